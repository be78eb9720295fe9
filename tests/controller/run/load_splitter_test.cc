// Copyright 2026 The Barrage Authors.

#include "controller/run/load_splitter.h"

#include <random>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "common/util/int128.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

std::vector<AgentCapacity> Agents(int n) {
  std::vector<AgentCapacity> agents;
  for (int i = 0; i < n; ++i) agents.push_back({absl::StrCat("a", i), 1});
  return agents;
}

Scenario OpenScenario(Rational from, Rational to, absl::Duration d) {
  Scenario s;
  s.name = "t";
  Stage stage;
  stage.kind = from == to ? Stage::Kind::kRate : Stage::Kind::kRateRamp;
  stage.rate_from = from;
  stage.rate_to = to;
  stage.duration = d;
  s.stages.push_back(stage);
  return s;
}

Stage VuStage(int64_t from, int64_t to, absl::Duration d) {
  Stage stage;
  stage.kind = from == to ? Stage::Kind::kVus : Stage::Kind::kVusRamp;
  stage.vus_from = from;
  stage.vus_to = to;
  stage.duration = d;
  return stage;
}

// Sum of the agents' instantaneous rates at `t` within a stage.
Rational ShareRateAt(const SplitPlan& plan, size_t stage, Rational fraction) {
  Rational sum;
  for (const Share& sh : plan.shares) {
    const StageShare& ss = sh.stages[stage];
    sum = sum + ss.rate_from + (ss.rate_to - ss.rate_from) * fraction;
  }
  return sum;
}

// Checks every exactness property of a split of `s` across `agents`.
void CheckSplit(const Scenario& s, const std::vector<AgentCapacity>& agents,
                std::mt19937_64& rng) {
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, agents);
  REQUIRE(plan.ok());
  REQUIRE(plan->shares.size() == agents.size());
  // Residues partition the period.
  int64_t slots = 0;
  Rational fractions;
  for (const Share& sh : plan->shares) {
    slots += static_cast<int64_t>(sh.slots.size());
    fractions = fractions + sh.fraction;
    REQUIRE(sh.fraction.ok());
    REQUIRE(sh.fraction >= Rational());
  }
  REQUIRE(slots == plan->period);
  REQUIRE(fractions == Rational::FromInt(1));
  // Quota within one for every prefix of the period.
  int64_t total_weight = 0;
  for (const AgentCapacity& a : agents) total_weight += a.capacity;
  std::vector<int64_t> dealt(agents.size(), 0);
  for (int64_t p = 0; p < plan->period; ++p) {
    ++dealt[static_cast<size_t>(plan->owner[static_cast<size_t>(p)])];
    for (size_t i = 0; i < agents.size(); ++i) {
      // |dealt - (p+1) * w / W| < 1, in integers.
      const int128 diff = static_cast<int128>(dealt[i]) * total_weight -
                          static_cast<int128>(p + 1) * agents[i].capacity;
      REQUIRE(diff < total_weight);
      REQUIRE(-diff < total_weight);
    }
  }
  absl::Duration start;
  for (size_t k = 0; k < s.stages.size(); ++k) {
    const Stage& st = s.stages[k];
    if (st.is_open()) {
      // Rates sum to the plan at the boundaries and at random instants.
      REQUIRE(ShareRateAt(*plan, k, Rational()) == st.rate_from);
      REQUIRE(ShareRateAt(*plan, k, Rational::FromInt(1)) == st.rate_to);
      const Rational f(static_cast<int64_t>(rng() % 1000), 1000);
      REQUIRE(ShareRateAt(*plan, k, f) ==
              st.rate_from + (st.rate_to - st.rate_from) * f);
      int64_t arrivals = 0;
      for (const Share& sh : plan->shares) {
        REQUIRE(sh.stages[k].arrivals >= 0);
        arrivals += sh.stages[k].arrivals;
      }
      REQUIRE(arrivals == plan->stage_arrivals[k]);
      // The stage's arrivals equal the integral of its rate, +-1.
      const double expected = st.ExpectedArrivals();
      REQUIRE(static_cast<double>(arrivals) >= expected - 1);
      REQUIRE(static_cast<double>(arrivals) <= expected + 1);
    } else {
      int64_t from = 0;
      int64_t to = 0;
      for (const Share& sh : plan->shares) {
        from += sh.stages[k].vus_from;
        to += sh.stages[k].vus_to;
        REQUIRE(sh.stages[k].vus_from >= 0);
      }
      REQUIRE(from == st.vus_from);
      REQUIRE(to == st.vus_to);
    }
    // VUs and arrivals owned at random instants add up to the plan's.
    for (int probe = 0; probe < 5; ++probe) {
      const absl::Duration t =
          start + absl::Milliseconds(static_cast<int64_t>(
                      rng() % static_cast<uint64_t>(
                                  absl::ToInt64Milliseconds(st.duration))));
      const int64_t vus = VusAt(s, t);
      const int64_t before = ArrivalsBefore(s, t);
      int64_t vu_sum = 0;
      int64_t arrival_sum = 0;
      for (const Share& sh : plan->shares) {
        vu_sum += OwnedBelow(*plan, sh.index, vus);
        arrival_sum += OwnedBelow(*plan, sh.index, before);
      }
      REQUIRE(vu_sum == vus);
      REQUIRE(arrival_sum == before);
    }
    start += st.duration;
  }
}

TEST_CASE("1000/min across 7 agents sums exactly") {
  std::mt19937_64 rng(1);
  Scenario s = OpenScenario(Rational(1000, 60), Rational(1000, 60),
                            absl::Minutes(5));
  CheckSplit(s, Agents(7), rng);
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, Agents(7));
  REQUIRE(plan.ok());
  CHECK(plan->stage_arrivals[0] == 5000);
  for (const Share& sh : plan->shares) {
    CHECK(sh.stages[0].rate_from == Rational(1000, 420));
    // 5000 / 7 = 714.28...: each agent gets 714 or 715.
    CHECK(sh.stages[0].arrivals >= 714);
    CHECK(sh.stages[0].arrivals <= 715);
  }
}

TEST_CASE("1 VU across 3 agents goes to one agent, none negative") {
  std::mt19937_64 rng(2);
  Scenario s;
  s.stages.push_back(VuStage(1, 1, absl::Minutes(1)));
  CheckSplit(s, Agents(3), rng);
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, Agents(3));
  REQUIRE(plan.ok());
  CHECK(plan->shares[0].stages[0].vus_from == 1);
  CHECK(plan->shares[1].stages[0].vus_from == 0);
  CHECK(plan->shares[2].stages[0].vus_from == 0);
}

TEST_CASE("the merged arrival stream is one generator's, interleaved") {
  // Equal agents: agent i owns arrivals i, i+N, i+2N, ...
  Scenario s = OpenScenario(Rational::FromInt(12), Rational::FromInt(12),
                            absl::Seconds(10));
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, Agents(4));
  REQUIRE(plan.ok());
  CHECK(plan->period == 4);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(plan->shares[static_cast<size_t>(i)].slots ==
            std::vector<int64_t>{i});
  }
  // Weighted agents: 2:1 gives the heavier agent every other slot or so.
  plan = SplitLoad(s, {{"big", 2}, {"small", 1}});
  REQUIRE(plan.ok());
  CHECK(plan->period == 3);
  CHECK(plan->shares[0].slots.size() == 2);
  CHECK(plan->shares[1].slots.size() == 1);
}

TEST_CASE("capacities are reduced by their common divisor") {
  Scenario s = OpenScenario(Rational::FromInt(1), Rational::FromInt(1),
                            absl::Seconds(10));
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, {{"a", 4}, {"b", 8}});
  REQUIRE(plan.ok());
  CHECK(plan->period == 3);
}

TEST_CASE("splits that cannot be made are clear errors") {
  Scenario s = OpenScenario(Rational::FromInt(1), Rational::FromInt(1),
                            absl::Seconds(10));
  absl::StatusOr<SplitPlan> plan = SplitLoad(s, {});
  CHECK(plan.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(plan.status().message()), ContainsSubstring("0 agents"));
  s.agents.min = 3;
  plan = SplitLoad(s, Agents(2));
  CHECK(plan.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(plan.status().message()),
             ContainsSubstring("at least 3"));
  s.agents.min = 1;
  plan = SplitLoad(s, {{"a", 0}});
  CHECK(plan.status().code() == absl::StatusCode::kInvalidArgument);
  plan = SplitLoad(s, {{"a", 1'000'000}, {"b", 999'999}});
  CHECK(plan.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(plan.status().message()), ContainsSubstring("uneven"));
}

TEST_CASE("random plans split exactly across 1 to 500 agents") {
  const uint64_t seed = 20261127;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  auto rate = [&] {
    // Rates from 1/h to 5000/s in assorted units.
    const int64_t units[] = {1, 60, 3600};
    return Rational(static_cast<int64_t>(rng() % 300'000),
                    units[rng() % 3]);
  };
  for (int round = 0; round < 60; ++round) {
    Scenario s;
    s.name = "random";
    const int stages = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < stages; ++k) {
      const absl::Duration d =
          absl::Milliseconds(1000 + static_cast<int64_t>(rng() % 600'000));
      if (rng() % 3 == 0) {
        s.stages.push_back(VuStage(static_cast<int64_t>(rng() % 2000),
                                   static_cast<int64_t>(rng() % 2000), d));
      } else {
        Stage st;
        st.kind = Stage::Kind::kRateRamp;
        st.rate_from = rate();
        st.rate_to = rng() % 2 ? st.rate_from : rate();
        st.duration = d;
        s.stages.push_back(st);
      }
    }
    const int n_choices[] = {1, 2, 3, 7, 13, 64, 500};
    const int n = n_choices[rng() % 7];
    std::vector<AgentCapacity> agents = Agents(n);
    if (rng() % 2 == 0) {
      for (AgentCapacity& a : agents) {
        a.capacity = 1 + static_cast<int64_t>(rng() % 16);
      }
    }
    INFO("round " << round << " agents " << n);
    CheckSplit(s, agents, rng);
  }
}

}  // namespace
}  // namespace barrage
