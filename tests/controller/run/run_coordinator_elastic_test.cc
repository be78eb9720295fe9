// Copyright 2026 The Barrage Authors.
//
// Elastic agents: an agent that joins a running run takes a share of the
// rest of it (agents.on_join: rebalance) or stays idle (ignore), and an agent
// that leaves gracefully (Leaving) hands its share on without a loss. The
// totals are checked exactly: from the messages the fake agents were sent,
// every arrival of the plan has exactly one owner. Fake agents, fake clock.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <map>
#include <optional>
#include <set>

#include "common/scenario/schedule.h"
#include "common/scenario/yaml_loader.h"
#include "common/stats/histogram_codec.h"
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

Scenario Plan(const std::string& agents) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: c\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: 10s, rate: 100/s}]\n" + agents,
      "c.yaml");
  REQUIRE(s.ok());
  return *s;
}

// One share an agent was given: from run time `from_ms` on (until `until_ms`,
// when it left), arrival n is its when n mod period is in `slots`.
struct Share {
  int64_t from_ms = 0;
  int64_t period = 1;
  std::set<int64_t> slots;
};

struct Fixture {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  RunCoordinator coordinator{registry, clock, CoordinatorOptions()};
  std::map<std::string, std::shared_ptr<FakeAgentHandle>> agents;
  std::map<std::string, int64_t> left_at_ms;  // agents that said Leaving
  std::string run;

  void Connect(const std::string& id) {
    agents[id] = std::make_shared<FakeAgentHandle>();
    REQUIRE(registry.Register(MakeHello(id), agents[id]).ok());
  }
  // Starts the run over the connected agents and brings it to running.
  std::shared_ptr<EventQueue> Start(const std::string& agents_yaml) {
    auto events = coordinator.StartRun(Plan(agents_yaml), "c.yaml");
    REQUIRE(events.ok());
    for (auto& [id, handle] : agents) {
      for (const auto& m : handle->sent()) {
        if (m.has_start_run()) run = m.start_run().run_id();
      }
    }
    for (auto& [id, handle] : agents) coordinator.OnAccepted(id, run);
    REQUIRE(coordinator.Status().state == "running");
    return *events;
  }
  // Advances run time by `ns` in 100 ms ticks, heartbeating every agent.
  void Run(int64_t ns) {
    for (int64_t t = 0; t < ns; t += kSecond / 10) {
      clock.Advance(kSecond / 10);
      for (auto& [id, handle] : agents) registry.Touch(id, handle.get());
      coordinator.Tick();
    }
  }
  std::vector<Share> SharesOf(const std::string& id) {
    std::vector<Share> shares;
    int64_t period = 1;
    for (const auto& m : agents[id]->sent()) {
      if (m.has_start_run()) {
        period = m.start_run().assignment().period();
        const auto& s = m.start_run().assignment().slots();
        shares.push_back({m.start_run().resume_offset_ms(), period, {s.begin(), s.end()}});
      }
      if (m.has_update_share()) {
        if (m.update_share().period() > 0) period = m.update_share().period();
        const auto& s = m.update_share().slots();
        shares.push_back({m.update_share().from_ms(), period, {s.begin(), s.end()}});
      }
    }
    return shares;
  }
  // How many agents own arrival `n`, due in run millisecond `ms`.
  int Owners(int64_t n, int64_t ms) {
    int owners = 0;
    for (auto& [id, handle] : agents) {
      auto left = left_at_ms.find(id);
      if (left != left_at_ms.end() && ms >= left->second) continue;
      const std::vector<Share> shares = SharesOf(id);
      const Share* current = nullptr;
      for (const Share& s : shares) {
        if (s.from_ms <= ms) current = &s;
      }
      if (current != nullptr && current->slots.count(n % current->period)) ++owners;
    }
    return owners;
  }
  // Every arrival of the plan has exactly one owner; the first arrival that
  // has not, or -1.
  int64_t FirstMisownedArrival(const Scenario& plan) {
    const int64_t total_ms = absl::ToInt64Milliseconds(plan.TotalDuration());
    for (int64_t ms = 0; ms < total_ms; ++ms) {
      const int64_t first = ArrivalsBefore(plan, absl::Milliseconds(ms));
      const int64_t end = ArrivalsBefore(plan, absl::Milliseconds(ms + 1));
      for (int64_t n = first; n < end; ++n) {
        if (Owners(n, ms) != 1) return n;
      }
    }
    return -1;
  }
};

std::vector<v1::RunEvent::Notice> Notices(EventQueue& q) {
  std::vector<v1::RunEvent::Notice> out;
  while (auto e = q.Pop(absl::ZeroDuration())) {
    if (e->has_event()) out.push_back(e->event());
  }
  return out;
}

bool Has(const std::vector<v1::RunEvent::Notice>& notices, const std::string& kind,
         const std::string& agent, const std::string& detail) {
  for (const auto& n : notices) {
    if (n.kind() == kind && n.agent() == agent && n.detail() == detail) return true;
  }
  return false;
}

v1::StatsReport Final(const std::string& run, const std::string& agent, int64_t interval) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id(run);
  r.set_seq(1);
  r.set_interval_start_ns(interval * kSecond);
  r.set_interval_length_ns(kSecond);
  r.set_final(true);
  return r;
}

TEST_CASE("an agent that joins mid-run takes an exact share of the rest") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  auto events = f.Start("");
  f.Run(3 * kSecond);
  f.Connect("c");
  f.Run(kSecond / 10);
  // c was started to resume a little ahead, the others re-split from there.
  const std::vector<Share> c = f.SharesOf("c");
  REQUIRE(c.size() == 1);
  // Run time 2.6 s (the run began 0.5 s after its start), plus the delay.
  CHECK(c[0].from_ms == 2800);
  CHECK(f.registry.Idle().empty());
  for (const char* id : {"a", "b"}) {
    const std::vector<Share> s = f.SharesOf(id);
    REQUIRE(s.size() == 2);
    CHECK(s[1].from_ms == c[0].from_ms);
    CHECK(s[1].period == c[0].period);
    CHECK(s[1].slots.size() == 1);  // a third each (capacity 1)
  }
  CHECK(c[0].period == 3);
  CHECK(f.FirstMisownedArrival(Plan("")) == -1);
  const auto notices = Notices(*events);
  CHECK(Has(notices, "agent_joined", "c", "rebalance"));
  // Its reports are merged; the run finishes when all three are final.
  f.coordinator.OnStats(Final(f.run, "a", 9));
  f.coordinator.OnStats(Final(f.run, "b", 9));
  f.Run(kSecond / 10);
  CHECK(f.coordinator.Status().state == "running");
  f.coordinator.OnStats(Final(f.run, "c", 9));
  CHECK(f.coordinator.reports_rejected() == 0);
}

TEST_CASE("with on_join: ignore a joining agent stays idle") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  auto events = f.Start("agents: {on_join: ignore}");
  f.Run(3 * kSecond);
  f.Connect("c");
  f.Run(kSecond);
  CHECK(f.SharesOf("c").empty());
  CHECK(f.agents["c"]->sent().empty());
  CHECK(f.SharesOf("a").size() == 1);
  CHECK(f.SharesOf("b").size() == 1);
  REQUIRE(f.registry.Idle().size() == 1);
  CHECK(f.registry.Idle()[0].id == "c");
  const auto notices = Notices(*events);
  CHECK(Has(notices, "agent_joined", "c", "ignore"));
  int joined = 0;  // once, not on every tick
  for (const auto& n : notices) joined += n.kind() == "agent_joined" ? 1 : 0;
  CHECK(joined == 1);
  CHECK(f.FirstMisownedArrival(Plan("")) == -1);
}

TEST_CASE("a graceful leave hands its share on, with no loss and no abort") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  f.Connect("c");
  std::string policy;
  SECTION("on_loss: abort") { policy = "agents: {on_loss: abort}"; }
  SECTION("on_loss: continue") { policy = "agents: {on_loss: continue}"; }
  SECTION("on_loss: redistribute") { policy = ""; }
  auto events = f.Start(policy);
  f.Run(6 * kSecond);
  f.coordinator.OnLeaving("b", f.run, 6200);
  f.left_at_ms["b"] = 6200;
  for (const char* id : {"a", "c"}) {
    const std::vector<Share> s = f.SharesOf(id);
    REQUIRE(s.size() == 2);
    CHECK(s[1].from_ms == 6200);
  }
  CHECK(f.FirstMisownedArrival(Plan("")) == -1);
  f.Run(kSecond / 2);
  f.coordinator.OnStats(Final(f.run, "b", 6));
  // The stream closes after the final report.
  REQUIRE(f.registry.Unregister("b", f.agents["b"].get()));
  f.coordinator.OnAgentGone("b");
  f.Run(kSecond);
  CHECK(f.coordinator.Status().state == "running");
  const auto notices = Notices(*events);
  CHECK(Has(notices, "agent_left", "b", "redistribute"));
  for (const auto& n : notices) CHECK(n.kind() != "agent_lost");
  // What is left ends when the other two are final.
  f.coordinator.OnStats(Final(f.run, "a", 9));
  f.coordinator.OnStats(Final(f.run, "c", 9));
  f.Run(kSecond / 10);
  CHECK(f.coordinator.Status().state == "finished");
}

TEST_CASE("a join then a leave keep every arrival owned exactly once") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  auto events = f.Start("");
  f.Run(3 * kSecond);
  f.Connect("c");
  f.Run(3 * kSecond);
  f.coordinator.OnLeaving("a", f.run, 6150);
  f.left_at_ms["a"] = 6150;
  CHECK(f.FirstMisownedArrival(Plan("")) == -1);
  const auto notices = Notices(*events);
  CHECK(Has(notices, "agent_joined", "c", "rebalance"));
  CHECK(Has(notices, "agent_left", "a", "redistribute"));
}

TEST_CASE("a newcomer that refuses its share hands it back") {
  Fixture f;
  f.Connect("a");
  f.Connect("b");
  auto events = f.Start("");
  f.Run(3 * kSecond);
  f.Connect("c");
  f.Run(kSecond / 10);
  REQUIRE(f.SharesOf("c").size() == 1);
  f.coordinator.OnRefused("c", f.run, "its share peaks above --max-rate");
  // Treat c as never having owned anything.
  const int64_t from = f.SharesOf("c")[0].from_ms;
  f.left_at_ms["c"] = from;
  CHECK(f.FirstMisownedArrival(Plan("")) == -1);
  f.Run(kSecond);
  CHECK(f.coordinator.Status().state == "running");
  CHECK(f.SharesOf("c").size() == 1);  // not taken in again
  const auto notices = Notices(*events);
  CHECK(Has(notices, "agent_left_out", "c", "its share peaks above --max-rate"));
}

}  // namespace
}  // namespace barrage
