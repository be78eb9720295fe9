// Copyright 2026 The Barrage Authors.
//
// Data files over real gRPC on loopback, in one process: the CLI's upload
// (pieces, checksum, the controller's size limit), and a unique source's
// rows dealt by a real controller to three real agent daemons, one killed
// mid-run. The agents' workers do not read rows yet (the flow engine
// does), so a thread per agent takes rows from its feed as a worker would
// (unique sources are safe to share across threads: their NextRow locks).

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "agent/daemon/agent_daemon.h"
#include "agent/daemon/grpc_control_stream.h"
#include "common/data/sha256.h"
#include "common/scenario/yaml_loader.h"
#include "controller/cli/data_upload.h"
#include "controller/server/controller_server.h"

namespace barrage {
namespace {

std::unique_ptr<v1::RunControl::Stub> StubFor(ControllerServer& controller) {
  return v1::RunControl::NewStub(
      grpc::CreateChannel(controller.grpc_target(), grpc::InsecureChannelCredentials()));
}

TEST_CASE("data files upload in pieces, checked by SHA-256, within --max-data-bytes") {
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  c.max_data_bytes = int64_t{3} << 20;
  ControllerServer controller(c);
  REQUIRE(controller.Start().ok());
  std::unique_ptr<v1::RunControl::Stub> stub = StubFor(controller);

  std::string fits(5 * (size_t{1} << 19), 'a');  // 2.5 MiB: three pieces
  fits[(size_t{1} << 20) + 7] = 'b';
  DataContents files = {{"users", Sha256Hex(fits), fits}};
  REQUIRE(UploadDataFiles(*stub, files, nullptr).ok());
  std::shared_ptr<const std::string> stored = controller.data_store().Find(Sha256Hex(fits));
  REQUIRE(stored != nullptr);
  CHECK(*stored == fits);

  const std::string big(size_t{4} << 20, 'c');
  const absl::Status too_big = UploadDataFiles(*stub, {{"big", Sha256Hex(big), big}}, nullptr);
  CHECK(too_big.code() == absl::StatusCode::kResourceExhausted);
  CHECK(too_big.message() ==
        "data 'big' is 4 MiB, the controller accepts at most 3 MiB (--max-data-bytes)");
  CHECK(controller.data_store().Find(Sha256Hex(big)) == nullptr);

  const absl::Status corrupt =
      UploadDataFiles(*stub, {{"users", Sha256Hex("something else"), "id\n1\n"}}, nullptr);
  CHECK(corrupt.code() == absl::StatusCode::kInvalidArgument);
  CHECK(corrupt.message().find("SHA-256 is") != absl::string_view::npos);
  controller.Shutdown();
}

TEST_CASE("a unique source's rows are dealt exactly once across 3 agents, one killed mid-run") {
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  ControllerServer controller(c);
  REQUIRE(controller.Start().ok());

  constexpr int kRows = 600;
  std::string csv = "id\n";
  for (int i = 0; i < kRows; ++i) absl::StrAppend(&csv, "user", i, "\n");
  const std::string sha = Sha256Hex(csv);
  REQUIRE(UploadDataFiles(*StubFor(controller), {{"users", sha, csv}}, nullptr).ok());

  // Port 9 (discard) on loopback: the requests fail fast; only rows count.
  absl::StatusOr<Scenario> scenario = LoadScenarioYaml(
      "name: unique\ntarget: http://127.0.0.1:9\nagents: {min: 3, wait: 10s}\n"
      "requests: [{name: a, path: /}]\nstages: [{duration: 60s, rate: 2/s}]\n",
      "unique.yaml");
  REQUIRE(scenario.ok());
  DataSource d;
  d.name = "users";
  d.file = "users.csv";
  d.mode = DataSource::Mode::kUnique;
  d.on_end = DataSource::OnEnd::kStop;
  d.columns = {"id"};
  d.rows = kRows;
  d.bytes = static_cast<int64_t>(csv.size());
  d.sha256 = sha;
  scenario->data.push_back(d);

  std::mutex mu;
  std::map<std::string, std::vector<v1::DataUse>> used;  // reported, per agent
  std::map<std::string, int> reports;                    // reports tapped, per agent
  std::map<std::string, std::shared_ptr<DataFeed>> feeds;
  std::vector<std::unique_ptr<AgentDaemon>> agents;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    AgentDaemonOptions a;
    a.controller = controller.grpc_target();
    a.id = absl::StrCat("agent-", i + 1);
    a.workers = 1;
    a.backoff_initial_ms = 20;
    a.report_tap = [&mu, &used, &reports, id = a.id](const v1::StatsReport& r) {
      std::lock_guard<std::mutex> lock(mu);
      ++reports[id];
      for (const v1::DataUse& u : r.data_used()) used[id].push_back(u);
    };
    a.request_tap = [&mu, &used, id = a.id](const v1::DataRequest& r) {
      std::lock_guard<std::mutex> lock(mu);
      for (const v1::DataUse& u : r.used()) used[id].push_back(u);
    };
    a.data_used_tap = [&mu, &used, id = a.id](const v1::DataUsed& r) {
      std::lock_guard<std::mutex> lock(mu);
      for (const v1::DataUse& u : r.used()) used[id].push_back(u);
    };
    a.data_tap = [&mu, &feeds, id = a.id](const std::vector<std::shared_ptr<DataFeed>>& f) {
      std::lock_guard<std::mutex> lock(mu);
      feeds[id] = f.at(0);
    };
    agents.push_back(std::make_unique<AgentDaemon>(a, GrpcDialerFor(a), SystemClock()));
    threads.emplace_back([dm = agents.back().get()] { dm->Run(); });
  }
  absl::StatusOr<std::shared_ptr<EventQueue>> events =
      controller.coordinator().StartRun(*scenario, "unique.yaml");
  REQUIRE(events.ok());

  // Wait for the three feeds (the run started on every agent).
  auto feed_of = [&](const std::string& id) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = feeds.find(id);
    return it == feeds.end() ? nullptr : it->second;
  };
  for (int waited = 0; waited < 1000; ++waited) {
    if (feed_of("agent-1") && feed_of("agent-2") && feed_of("agent-3")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(feed_of("agent-3") != nullptr);

  // Each agent takes a row every 20 ms (50/s; 150/s in all: the 600 rows
  // last ~4 s); agent-2 pauses, once it has taken 40, to be killed.
  std::atomic<bool> done{false};
  std::atomic<bool> paused{false};
  std::vector<std::thread> takers;
  for (const char* id : {"agent-1", "agent-2", "agent-3"}) {
    takers.emplace_back([&, id = std::string(id)] {
      std::shared_ptr<DataFeed> feed = feed_of(id);
      RowSource* rows = feed->source(0);
      while (!done.load() && !rows->Exhausted()) {
        if (id == "agent-2" && feed->Taken() >= 40) {
          paused.store(true);
          break;
        }
        rows->NextRow();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  for (int waited = 0; waited < 1000 && !paused.load(); ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(paused.load());
  // Kill agent-2 once every row it took is in a report that has gone out:
  // its taken rows are all tapped, and one more report followed (the
  // writer sends in order, at once).
  const int64_t victim_taken = feed_of("agent-2")->Taken();
  int reports_at_flush = -1;
  for (int waited = 0; waited < 1000; ++waited) {
    {
      std::lock_guard<std::mutex> lock(mu);
      int64_t reported = 0;
      for (const v1::DataUse& u : used["agent-2"]) reported += static_cast<int64_t>(u.count());
      if (reported == victim_taken && reports_at_flush < 0) reports_at_flush = reports["agent-2"];
      if (reports_at_flush >= 0 && reports["agent-2"] > reports_at_flush) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(reports_at_flush >= 0);
  agents[1]->Shutdown();  // the stream closes: agent lost

  std::string json;
  std::vector<std::string> notices;
  int exit_code = -1;
  for (int waited = 0; waited < 300 && json.empty(); ++waited) {
    while (auto e = (*events)->Pop(absl::Milliseconds(100))) {
      if (e->has_event()) notices.push_back(e->event().kind() + ": " + e->event().detail());
      if (e->has_result()) {
        json = e->result().summary_json();
        exit_code = e->result().exit_code();
      }
    }
  }
  done.store(true);
  for (auto& t : takers) t.join();
  for (auto& a : agents) a->Shutdown();
  for (auto& t : threads) t.join();
  controller.Shutdown();
  REQUIRE_FALSE(json.empty());
  INFO(json);

  // The controller's accounting: every row used, the run stopped for it,
  // completed as a normal run.
  // (then "redealt": the rows the killed agent may have taken unreported.)
  CHECK(json.find("\"data\":[{\"name\":\"users\",\"mode\":\"unique\",\"rows\":600,\"used\":600,"
                  "\"redealt\":") != std::string::npos);
  bool stopped_for_data = false;
  for (const std::string& n : notices) {
    stopped_for_data |= n == "data_used_up: data 'users' used up (600 rows): run stopped";
  }
  CHECK(stopped_for_data);
  CHECK(exit_code == 0);
  // The agents' data_used: each row exactly once, agent-2's too.
  std::vector<int> taken(kRows, 0);
  for (const auto& [id, uses] : used) {
    for (const v1::DataUse& u : uses) {
      REQUIRE(u.first_row() + u.count() <= static_cast<uint64_t>(kRows));
      for (uint64_t r = u.first_row(); r < u.first_row() + u.count(); ++r) ++taken[r];
    }
  }
  int once = 0;
  for (int r = 0; r < kRows; ++r) once += taken[r] == 1;
  CHECK(once == kRows);
  CHECK(victim_taken >= 40);
}

}  // namespace
}  // namespace barrage
