// Copyright 2026 The Barrage Authors.
//
// The splitter and agents' in-flight limits (--max-in-flight): every planned
// VU gets its connection, or the plan is refused before any load; rebalances
// stay within the limits where the takers have room.

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "controller/run/load_splitter.h"

namespace barrage {
namespace {

Scenario VuScenario(int64_t from, int64_t to) {
  Scenario s;
  s.name = "t";
  Stage stage;
  stage.kind = from == to ? Stage::Kind::kVus : Stage::Kind::kVusRamp;
  stage.vus_from = from;
  stage.vus_to = to;
  stage.duration = absl::Seconds(10);
  s.stages.push_back(stage);
  return s;
}

std::vector<AgentCapacity> Limited(int n, int64_t limit, int64_t capacity = 1) {
  std::vector<AgentCapacity> agents;
  for (int i = 0; i < n; ++i) {
    agents.push_back({"agent-" + std::string(1, static_cast<char>('a' + i)), capacity, limit});
  }
  return agents;
}

std::vector<int64_t> PeakVus(const SplitPlan& plan, const Scenario& s) {
  std::vector<int64_t> out;
  for (const Share& sh : plan.shares) out.push_back(PeakVusOf(plan, sh.index, s));
  return out;
}

TEST_CASE("3000 VUs over 3 agents at 1000 each give each exactly 1000") {
  const Scenario s = VuScenario(3000, 3000);
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, Limited(3, 1000));
  REQUIRE(plan.ok());
  CHECK(PeakVus(*plan, s) == std::vector<int64_t>{1000, 1000, 1000});
}

TEST_CASE("a plan with more VUs than the agents hold is refused, saying how many agents it needs") {
  absl::StatusOr<SplitPlan> plan = SplitLoad(VuScenario(5000, 5000), Limited(2, 1000));
  REQUIRE(absl::IsResourceExhausted(plan.status()));
  CHECK(plan.status().message() ==
        "5000 VUs need 5 agents at 1000 each (2 connected: agent-a 1000, agent-b 1000)");

  SECTION("a ramp's peak counts") {
    plan = SplitLoad(VuScenario(10, 2001), Limited(2, 1000));
    REQUIRE(absl::IsResourceExhausted(plan.status()));
    CHECK(plan.status().message() ==
          "2001 VUs need 3 agents at 1000 each (2 connected: agent-a 1000, agent-b 1000)");
  }
  SECTION("unequal limits say the connections needed and held") {
    std::vector<AgentCapacity> agents = {{"agent-a", 1, 1000}, {"agent-b", 1, 500}};
    plan = SplitLoad(VuScenario(5000, 5000), agents);
    REQUIRE(absl::IsResourceExhausted(plan.status()));
    CHECK(plan.status().message() ==
          "5000 VUs need 5000 connections; 2 connected agents hold 1500 "
          "(agent-a 1000, agent-b 500)");
  }
}

TEST_CASE("an open-model plan is not held to the in-flight limits") {
  Scenario s;
  s.name = "open";
  Stage stage;
  stage.kind = Stage::Kind::kRate;
  stage.rate_from = stage.rate_to = Rational(100'000, 1);
  stage.duration = absl::Seconds(10);
  s.stages.push_back(stage);
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, Limited(2, 10));
  REQUIRE(plan.ok());
  CHECK(plan->period == 2);  // the capacity split, unchanged
}

TEST_CASE("limits that the capacity split keeps change nothing") {
  const Scenario s = VuScenario(50, 50);
  std::vector<AgentCapacity> with = {{"a", 2, 1000}, {"b", 1, 1000}, {"c", 1, 1000}};
  std::vector<AgentCapacity> without = {{"a", 2}, {"b", 1}, {"c", 1}};
  absl::StatusOr<SplitPlan> limited = SplitLoad(s, with);
  absl::StatusOr<SplitPlan> free = SplitLoad(s, without);
  REQUIRE(limited.ok());
  REQUIRE(free.ok());
  CHECK(limited->period == free->period);
  CHECK(limited->owner == free->owner);
}

TEST_CASE("with unequal limits VUs go by capacity and stop at each limit") {
  SECTION("a capped agent's excess goes to the others by capacity") {
    // Capacity 1:1:2 of 1000 VUs is 250/250/500; b holds only 100, so its
    // 150 go to a and c in 1:2 (50 and 100).
    const Scenario s = VuScenario(1000, 1000);
    std::vector<AgentCapacity> agents = {{"a", 1, 1000}, {"b", 1, 100}, {"c", 2, 1000}};
    absl::StatusOr<SplitPlan> plan = SplitLoad(s, agents);
    REQUIRE(plan.ok());
    CHECK(PeakVus(*plan, s) == std::vector<int64_t>{300, 100, 600});
  }
  SECTION("largest remainders get the odd VUs") {
    CHECK(ApportionVus(10, {{"a", 1, 0}, {"b", 1, 0}, {"c", 1, 0}}) ==
          std::vector<int64_t>{4, 3, 3});
    CHECK(ApportionVus(11, {{"a", 1, 0}, {"b", 1, 3}, {"c", 1, 0}}) ==
          std::vector<int64_t>{4, 3, 4});
    CHECK(ApportionVus(7, {{"a", 3, 0}, {"b", 1, 0}}) == std::vector<int64_t>{5, 2});
  }
  SECTION("every limit full when the plan needs them all") {
    const Scenario s = VuScenario(1600, 1600);
    std::vector<AgentCapacity> agents = {{"a", 8, 1000}, {"b", 1, 500}, {"c", 1, 100}};
    absl::StatusOr<SplitPlan> plan = SplitLoad(s, agents);
    REQUIRE(plan.ok());
    CHECK(PeakVus(*plan, s) == std::vector<int64_t>{1000, 500, 100});
  }
}

TEST_CASE("no agent is ever above its limit, at any point of a ramp, for random limits") {
  const uint64_t seed = std::random_device()();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + static_cast<int>(rng() % 6);
    std::vector<AgentCapacity> agents;
    int64_t held = 0;
    for (int i = 0; i < n; ++i) {
      const int64_t limit = 1 + static_cast<int64_t>(rng() % 400);
      agents.push_back({absl::StrCat("a", i), 1 + static_cast<int64_t>(rng() % 8), limit});
      held += limit;
    }
    const int64_t peak = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(held));
    const Scenario s = VuScenario(0, peak);
    absl::StatusOr<SplitPlan> plan = SplitLoad(s, agents);
    REQUIRE(plan.ok());
    for (int64_t v = 0; v <= peak; v += 1 + peak / 50) {
      int64_t sum = 0;
      for (const Share& sh : plan->shares) {
        const int64_t mine = OwnedBelow(*plan, sh.index, v);
        CHECK(mine <= agents[static_cast<size_t>(sh.index)].max_in_flight);
        sum += mine;
      }
      CHECK(sum == v);
    }
    CHECK(!absl::IsResourceExhausted(SplitLoad(VuScenario(held, held), agents).status()));
    CHECK(absl::IsResourceExhausted(SplitLoad(VuScenario(held + 1, held + 1), agents).status()));
  }
}

TEST_CASE("a lost agent's VUs go to takers with room") {
  // 3000 VUs over a, b, c (period 3: a slot carries 1000 VUs).
  const Scenario s = VuScenario(3000, 3000);
  std::map<std::string, std::vector<int64_t>> slots = {{"a", {0}}, {"b", {1}}, {"c", {2}}};

  SECTION("with room: every VU keeps its connection") {
    const std::map<std::string, int64_t> limits = {{"a", 1000}, {"b", 2000}, {"c", 1000}};
    const std::vector<OverLimit> over =
        DealSlots("a", {"b", "c"}, limits, 3, s.PeakVus(), slots);
    CHECK(over.empty());
    CHECK(slots["b"] == std::vector<int64_t>{1, 0});  // b has room, c has none
    CHECK(slots["c"] == std::vector<int64_t>{2});
  }
  SECTION("without room: the takers over their limits are named") {
    const std::map<std::string, int64_t> limits = {{"a", 1000}, {"b", 1000}, {"c", 1000}};
    const std::vector<OverLimit> over =
        DealSlots("a", {"b", "c"}, limits, 3, s.PeakVus(), slots);
    REQUIRE(over.size() == 1);
    CHECK(over[0].agent == "b");
    CHECK(over[0].vus == 2000);
    CHECK(over[0].limit == 1000);
  }
  SECTION("without limits: to the taker holding the fewest slots, as before") {
    std::map<std::string, std::vector<int64_t>> many = {{"a", {0, 3}}, {"b", {1}}, {"c", {2, 4}}};
    CHECK(DealSlots("a", {"b", "c"}, {}, 5, s.PeakVus(), many).empty());
    CHECK(many["b"] == std::vector<int64_t>{1, 0, 3});  // ties go to the first
    CHECK(many["c"] == std::vector<int64_t>{2, 4});
  }
}

}  // namespace
}  // namespace barrage
