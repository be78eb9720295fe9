// Copyright 2026 The Barrage Authors.
//
// In one process, over real gRPC on loopback: a controller, three agent
// daemons and `barrage target` with jitter. Every report each agent sends is
// tapped; merged here, they must give exactly the latency distribution the
// controller reports for the run: nothing lost, nothing counted twice.

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "agent/daemon/agent_daemon.h"
#include "agent/daemon/grpc_control_stream.h"
#include "common/scenario/yaml_loader.h"
#include "tools/target/target_server.h"
#include "controller/server/controller_server.h"
#include "controller/report/run_result.h"

namespace barrage {
namespace {

// The JSON object that follows `"key":` in `json`.
std::string ObjectAfter(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\":{");
  if (at == std::string::npos) return "";
  return json.substr(at, json.find('}', at) - at + 1);
}

TEST_CASE("the run's merged histogram is exactly the sum of the agents'") {
  TargetServer::Options t;
  t.host = "127.0.0.1";
  t.port = 0;
  t.delay = absl::Milliseconds(3);
  t.jitter = absl::Milliseconds(2);
  TargetServer target(t);
  REQUIRE(target.Start().ok());

  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  ControllerServer controller(c);
  REQUIRE(controller.Start().ok());

  absl::StatusOr<Scenario> scenario = LoadScenarioYaml(
      absl::StrCat("name: exact\ntarget: http://", target.address(),
                   "\nagents: {min: 3, wait: 10s}\n"
                   "requests: [{name: a, path: /a, weight: 2}, {name: b, path: /b}]\n"
                   "stages: [{duration: 3s, rate: 300/s}]\n"),
      "exact.yaml");
  REQUIRE(scenario.ok());

  std::mutex mu;
  std::vector<v1::StatsReport> reports;
  std::vector<std::unique_ptr<AgentDaemon>> agents;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    AgentDaemonOptions a;
    a.controller = controller.grpc_target();
    a.id = absl::StrCat("agent-", i + 1);
    a.workers = 1;
    a.backoff_initial_ms = 20;
    a.report_tap = [&](const v1::StatsReport& r) {
      std::lock_guard<std::mutex> lock(mu);
      reports.push_back(r);
    };
    agents.push_back(std::make_unique<AgentDaemon>(a, GrpcDialerFor(a), SystemClock()));
    threads.emplace_back([d = agents.back().get()] { d->Run(); });
  }
  absl::StatusOr<std::shared_ptr<EventQueue>> events =
      controller.coordinator().StartRun(*scenario, "exact.yaml");
  REQUIRE(events.ok());
  std::string json;
  for (int waited = 0; waited < 300 && json.empty(); ++waited) {
    while (auto e = (*events)->Pop(absl::Milliseconds(100))) {
      if (e->has_result()) json = e->result().summary_json();
    }
  }
  for (auto& a : agents) a->Shutdown();
  for (auto& th : threads) th.join();
  controller.Shutdown();
  REQUIRE_FALSE(json.empty());

  REQUIRE_FALSE(reports.empty());
  RunMerger local(reports[0].run_id(), *scenario);
  for (const auto& r : reports) REQUIRE(local.Apply(r).ok());
  CHECK(local.agents().size() == 3);
  CHECK(local.Requests(kAllRequests) == 900);
  CHECK(target.Stats().requests == 900);
  RunReport report;
  report.run_id = reports[0].run_id();
  const std::string expected = ResultJson(report, *scenario, local);
  INFO("controller: " << json);
  INFO("agents:     " << expected);
  CHECK(ObjectAfter(json, "totals").find("\"requests\":900") != std::string::npos);
  CHECK(ObjectAfter(json, "latency_ms") == ObjectAfter(expected, "latency_ms"));
  CHECK(ObjectAfter(json, "service_time_ms") == ObjectAfter(expected, "service_time_ms"));
  CHECK(ObjectAfter(json, "outcomes") == ObjectAfter(expected, "outcomes"));
  // Per request, too.
  for (const char* name : {"\"a\":{\"requests\"", "\"b\":{\"requests\""}) {
    const size_t got = json.find(name);
    const size_t want = expected.find(name);
    REQUIRE(got != std::string::npos);
    REQUIRE(want != std::string::npos);
    CHECK(json.substr(got, 200) == expected.substr(want, 200));
  }
}

}  // namespace
}  // namespace barrage
