// Copyright 2026 The Barrage Authors.
//
// Which agents a run plans over (agents.select.labels) and what one agent's
// refusal does: left out when the others can carry the run, else the run
// fails with its reason. Fake agents and a fake clock.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <optional>
#include <set>

#include "common/scenario/yaml_loader.h"
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

Scenario Plan(const std::string& extra = "") {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: c\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: 3s, rate: 12/s}]\n" + extra,
      "c.yaml");
  REQUIRE(s.ok());
  return *s;
}

struct Fixture {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  RunCoordinator coordinator{registry, clock, CoordinatorOptions()};
  std::map<std::string, std::shared_ptr<FakeAgentHandle>> agents;

  void Connect(const std::string& id, const std::map<std::string, std::string>& labels = {},
               double max_rate = 0) {
    v1::Hello hello = MakeHello(id);
    for (const auto& [k, v] : labels) (*hello.mutable_labels())[k] = v;
    hello.set_max_rate_per_s(max_rate);
    agents[id] = std::make_shared<FakeAgentHandle>();
    REQUIRE(registry.Register(hello, agents[id]).ok());
  }
  std::optional<v1::StartRun> StartOf(const std::string& id) {
    for (const auto& m : agents[id]->sent()) {
      if (m.has_start_run()) return m.start_run();
    }
    return std::nullopt;
  }
  std::vector<int64_t> LastSlots(const std::string& id) {
    std::vector<int64_t> slots;
    for (const auto& m : agents[id]->sent()) {
      if (m.has_start_run()) {
        slots.assign(m.start_run().assignment().slots().begin(),
                     m.start_run().assignment().slots().end());
      }
      if (m.has_update_share()) {
        slots.assign(m.update_share().slots().begin(), m.update_share().slots().end());
      }
    }
    return slots;
  }
};

std::vector<v1::RunEvent> Drain(EventQueue& q) {
  std::vector<v1::RunEvent> out;
  while (auto e = q.Pop(absl::ZeroDuration())) out.push_back(*e);
  return out;
}

TEST_CASE("an agent that refuses is left out when the others can carry the run") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  f.Connect("c");
  auto events = f.coordinator.StartRun(Plan(), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.StartOf("a")->run_id();
  CHECK(f.StartOf("a")->assignment().period() == 3);
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnRefused("c", run, "target host 127.0.0.1 is not allowed");
  CHECK(f.coordinator.Status().state == "starting");
  f.coordinator.OnAccepted("b", run);
  CHECK(f.coordinator.Status().state == "running");
  // The refused slot went to one of the others, from the run's start.
  std::set<int64_t> all;
  for (const char* id : {"a", "b"}) {
    for (int64_t s : f.LastSlots(id)) CHECK(all.insert(s).second);
  }
  CHECK(all == std::set<int64_t>{0, 1, 2});
  bool told = false;
  for (const auto& e : Drain(**events)) {
    if (e.has_event() && e.event().kind() == "agent_left_out") {
      told = e.event().agent() == "c" &&
             e.event().detail() == "target host 127.0.0.1 is not allowed";
    }
  }
  CHECK(told);
  CHECK(f.registry.Idle().size() == 1);  // c is free again
}

TEST_CASE("a refusal fails the run when the others cannot carry it") {
  Fixture f;
  std::string extra;
  std::string why;
  SECTION("fewer than agents.min would be left") {
    f.Connect("a");
    f.Connect("b");
    extra = "agents: {min: 2}";
    why = "the other 1 agent(s) cannot carry it (agents.min: 2)";
  }
  SECTION("the others' --max-rate cannot take the share") {
    f.Connect("a", {}, 8);  // 12/s alone would be above 8/s
    f.Connect("b");
    why = "a would peak at 12 requests/s, above its --max-rate 8/s";
  }
  auto events = f.coordinator.StartRun(Plan(extra), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.StartOf("a")->run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnRefused("b", run, "its share peaks above this agent's --max-rate");
  std::optional<v1::RunResult> result;
  for (const auto& e : Drain(**events)) {
    if (e.has_result()) result = e.result();
  }
  REQUIRE(result.has_value());
  CHECK(result->exit_code() == 3);
  CHECK_THAT(result->error(),
             ContainsSubstring("agent b refused the run: its share peaks above"));
  CHECK_THAT(result->error(), ContainsSubstring(why));
}

TEST_CASE("a run plans only over agents whose labels match agents.select") {
  Fixture f;
  f.Connect("a1", {{"zone", "a"}});
  f.Connect("b1", {{"zone", "b"}});
  SECTION("matching agents are split the load; others get nothing") {
    f.Connect("a2", {{"zone", "a"}, {"tier", "edge"}});
    auto events = f.coordinator.StartRun(
        Plan("agents: {min: 2, select: {labels: {zone: a}}}"), "c.yaml");
    REQUIRE(events.ok());
    REQUIRE(f.StartOf("a1").has_value());
    REQUIRE(f.StartOf("a2").has_value());
    CHECK(f.StartOf("a1")->assignment().agents_in_run() == 2);
    CHECK_FALSE(f.StartOf("b1").has_value());
  }
  SECTION("agents.min counts matching agents only") {
    auto events = f.coordinator.StartRun(
        Plan("agents: {min: 2, wait: 2s, select: {labels: {zone: a}}}"), "c.yaml");
    REQUIRE(events.ok());
    CHECK(f.coordinator.Status().state == "waiting_for_agents");
    f.clock.Advance(3 * kSecond);
    f.registry.Touch("a1", f.agents["a1"].get());
    f.registry.Touch("b1", f.agents["b1"].get());
    f.coordinator.Tick();
    std::optional<v1::RunResult> result;
    for (const auto& e : Drain(**events)) {
      if (e.has_result()) result = e.result();
    }
    REQUIRE(result.has_value());
    CHECK(result->exit_code() == 3);
    CHECK_THAT(result->error(), ContainsSubstring("only 1 of the 2 agents"));
    CHECK_THAT(result->error(), ContainsSubstring("matching agents.select labels zone=a"));
  }
}

}  // namespace
}  // namespace barrage
