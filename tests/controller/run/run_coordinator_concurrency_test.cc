// Copyright 2026 The Barrage Authors.
//
// A run holds its planned concurrency or says so: a plan the agents'
// --max-in-flight cannot hold does not start; a loss that leaves more VUs
// than the others hold, or an agent reporting capped VUs, is a
// concurrency_not_held event and a failed concurrency_held check (status
// failed, exit 99). Fake agents and a fake clock.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/yaml_loader.h"
#include "common/util/exit_codes.h"
#include "controller/run/run_coordinator.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;

constexpr int64_t kSecond = 1'000'000'000;

Scenario Plan(int64_t vus) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      absl::StrCat("name: c\ntarget: http://127.0.0.1:9\n"
                   "requests: [{name: a, path: /}]\n"
                   "stages: [{duration: 3s, vus: ",
                   vus, ", think: 1s}]\n"),
      "c.yaml");
  REQUIRE(s.ok());
  return *s;
}

struct Fixture {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  RunCoordinator coordinator{registry, clock, CoordinatorOptions()};
  std::map<std::string, std::shared_ptr<FakeAgentHandle>> agents;
  std::shared_ptr<EventQueue> events;
  std::string run;
  std::vector<v1::RunEvent::Notice> notices;
  std::optional<v1::RunResult> result;

  void Connect(const std::string& id, int64_t max_in_flight) {
    v1::Hello hello = MakeHello(id);
    hello.set_max_in_flight(max_in_flight);
    agents[id] = std::make_shared<FakeAgentHandle>();
    REQUIRE(registry.Register(hello, agents[id]).ok());
  }
  void Start(int64_t vus) {
    absl::StatusOr<std::shared_ptr<EventQueue>> q = coordinator.StartRun(Plan(vus), "c.yaml");
    REQUIRE(q.ok());
    events = *q;
    for (auto& [id, handle] : agents) {
      for (const auto& m : handle->sent()) {
        if (m.has_start_run()) run = m.start_run().run_id();
      }
    }
    for (auto& [id, handle] : agents) coordinator.OnAccepted(id, run);
  }
  // Advances run time by `ns` in 100 ms ticks, heartbeating every agent.
  void Run(int64_t ns) {
    for (int64_t t = 0; t < ns; t += kSecond / 10) {
      clock.Advance(kSecond / 10);
      for (auto& [id, handle] : agents) registry.Touch(id, handle.get());
      coordinator.Tick();
    }
  }
  void Final(const std::string& agent, bool vus_capped = false) {
    v1::StatsReport r;
    r.set_agent_id(agent);
    r.set_run_id(run);
    r.set_seq(1);
    r.set_interval_start_ns(2 * kSecond);
    r.set_interval_length_ns(kSecond);
    r.set_final(true);
    r.mutable_counters()->set_vus_capped(vus_capped);
    r.mutable_counters()->set_active_vus(500);
    r.mutable_counters()->set_max_in_flight(400);
    coordinator.OnStats(r);
    Run(kSecond / 10);
  }
  void Drain() {
    while (auto e = events->Pop(absl::ZeroDuration())) {
      if (e->has_event()) notices.push_back(e->event());
      if (e->has_result()) result = e->result();
    }
  }
  bool Has(const std::string& kind, const std::string& agent, const std::string& detail) const {
    for (const auto& n : notices) {
      if (n.kind() == kind && n.agent() == agent && n.detail() == detail) return true;
    }
    return false;
  }
};

TEST_CASE("a plan the agents' in-flight limits cannot hold does not start (exit 3)") {
  Fixture f;
  int64_t limit = 1000;
  SECTION("agents that say their limit") {}
  SECTION("older agents that say 0 are taken as 1000") { limit = 0; }
  f.Connect("agent-a", limit);
  f.Connect("agent-b", limit);
  f.Start(3000);
  f.Drain();
  REQUIRE(f.result.has_value());
  CHECK(f.result->exit_code() == kExitCannotStart);
  CHECK(f.result->error() ==
        "3000 VUs need 3 agents at 1000 each (2 connected: agent-a 1000, agent-b 1000)");
  CHECK(f.run.empty());  // no agent was sent a share
}

TEST_CASE("a loss the others cannot hold is concurrency_not_held and fails the run (exit 99)") {
  Fixture f;
  f.Connect("a", 1000);
  f.Connect("b", 1000);
  f.Connect("c", 1000);
  f.Start(3000);
  REQUIRE(f.coordinator.Status().state == "running");
  f.Run(kSecond);
  f.coordinator.OnAgentGone("c");
  f.Drain();
  CHECK(f.Has("concurrency_not_held", "a",
              "planned 2000 VUs, held 1000 (its --max-in-flight) after c left"));
  f.agents.erase("c");
  f.Run(3 * kSecond);
  f.Final("a");
  f.Final("b");
  f.Drain();
  REQUIRE(f.result.has_value());
  CHECK(f.result->status() == "failed");
  CHECK(f.result->exit_code() == kExitThresholdFailed);
  CHECK_THAT(f.result->summary_json(),
             ContainsSubstring("{\"name\":\"concurrency_held\",\"passed\":false,\"detail\":"
                               "\"a: planned 2000 VUs, held 1000 (its --max-in-flight) after c "
                               "left\"}"));
  CHECK_THAT(f.result->summary_text(), ContainsSubstring("FAIL  concurrency_held"));
}

TEST_CASE("a loss the others have room for keeps the concurrency_held check passing") {
  Fixture f;
  f.Connect("a", 2000);
  f.Connect("b", 2000);
  f.Connect("c", 2000);
  f.Start(3000);
  f.Run(kSecond);
  f.coordinator.OnAgentGone("c");
  f.agents.erase("c");
  f.Run(3 * kSecond);
  f.Final("a");
  f.Final("b");
  f.Drain();
  REQUIRE(f.result.has_value());
  for (const auto& n : f.notices) CHECK(n.kind() != "concurrency_not_held");
  CHECK(f.result->status() == "passed");
  CHECK(f.result->exit_code() == kExitPassed);
  CHECK_THAT(f.result->summary_json(),
             ContainsSubstring("{\"name\":\"concurrency_held\",\"passed\":true}"));
}

TEST_CASE("an agent that reports capped VUs fails the concurrency_held check") {
  Fixture f;
  f.Connect("a", 1000);
  f.Start(500);
  f.Run(4 * kSecond);
  f.Final("a", /*vus_capped=*/true);
  f.Drain();
  CHECK(f.Has("concurrency_not_held", "a", "planned 500 VUs, held 400 (its in-flight limit)"));
  REQUIRE(f.result.has_value());
  CHECK(f.result->exit_code() == kExitThresholdFailed);
  CHECK_THAT(f.result->summary_text(),
             ContainsSubstring("FAIL  concurrency_held  (a: planned 500 VUs, held 400"));
}

}  // namespace
}  // namespace barrage
