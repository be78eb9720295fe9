// Copyright 2026 The Barrage Authors.

#include "controller/run/load_splitter.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "common/util/int128.h"
#include "common/scenario/schedule.h"

namespace barrage {
namespace {

constexpr int64_t kMaxPeriod = int64_t{1} << 20;

// Deals residues 0..period-1 one at a time to the agent furthest below its
// quota after the deal (deficit (p+1)*w_i/W - c_i, compared in integers;
// ties go to the lower index). This keeps every prefix within one of each
// agent's quota, which a test checks for random weights.
std::vector<int> DealResidues(const std::vector<int64_t>& weights,
                              int64_t period) {
  std::vector<int> owner(static_cast<size_t>(period));
  std::vector<int64_t> dealt(weights.size(), 0);
  for (int64_t p = 0; p < period; ++p) {
    size_t best = 0;
    int128 best_deficit = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      const int128 deficit =
          static_cast<int128>(p + 1) * weights[i] -
          static_cast<int128>(dealt[i]) * period;
      if (i == 0 || deficit > best_deficit) {
        best = i;
        best_deficit = deficit;
      }
    }
    owner[static_cast<size_t>(p)] = static_cast<int>(best);
    ++dealt[best];
  }
  return owner;
}

}  // namespace

int64_t OwnedBelow(const SplitPlan& plan, int index, int64_t n) {
  return barrage::OwnedBelow(plan.period,
                             plan.shares[static_cast<size_t>(index)].slots, n);
}

absl::StatusOr<SplitPlan> SplitLoad(const Scenario& scenario,
                                    const std::vector<AgentCapacity>& agents) {
  if (agents.empty()) {
    return absl::FailedPreconditionError("cannot split a plan across 0 agents");
  }
  if (static_cast<int64_t>(agents.size()) < scenario.agents.min) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the scenario needs at least ", scenario.agents.min,
        " agents (agents.min); ", agents.size(), " available"));
  }
  std::vector<int64_t> weights;
  int64_t g = 0;
  for (const AgentCapacity& a : agents) {
    if (a.capacity < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "agent '", a.id, "' has capacity ", a.capacity, "; must be >= 1"));
    }
    weights.push_back(a.capacity);
    g = std::gcd(g, a.capacity);
  }
  int64_t period = 0;
  for (int64_t& w : weights) {
    w /= g;
    period += w;
    if (period > kMaxPeriod) {
      return absl::InvalidArgumentError(absl::StrCat(
          "agent capacities are too uneven to split (period above ",
          kMaxPeriod, "); use smaller weights"));
    }
  }

  SplitPlan plan;
  plan.period = period;
  plan.owner = DealResidues(weights, period);
  plan.shares.resize(agents.size());
  for (size_t i = 0; i < agents.size(); ++i) {
    plan.shares[i].agent_id = agents[i].id;
    plan.shares[i].index = static_cast<int>(i);
    plan.shares[i].fraction = Rational(weights[i], period);
  }
  for (int64_t r = 0; r < period; ++r) {
    plan.shares[static_cast<size_t>(plan.owner[static_cast<size_t>(r)])]
        .slots.push_back(r);
  }

  absl::Duration start;
  for (const Stage& stage : scenario.stages) {
    const int64_t first = ArrivalsBefore(scenario, start);
    const int64_t end = ArrivalsBefore(scenario, start + stage.duration);
    plan.stage_arrivals.push_back(end - first);
    for (Share& share : plan.shares) {
      StageShare s;
      if (stage.is_open()) {
        s.rate_from = stage.rate_from * share.fraction;
        s.rate_to = stage.rate_to * share.fraction;
        s.arrivals = OwnedBelow(plan, share.index, end) -
                     OwnedBelow(plan, share.index, first);
        share.total_arrivals += s.arrivals;
      } else {
        s.vus_from = OwnedBelow(plan, share.index, stage.vus_from);
        s.vus_to = OwnedBelow(plan, share.index, stage.vus_to);
      }
      share.stages.push_back(s);
    }
    start += stage.duration;
  }
  return plan;
}

}  // namespace barrage
