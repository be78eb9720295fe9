// Copyright 2026 The Barrage Authors.

#include "controller/run/load_splitter.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>

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


// VUs the residues `slots` (any order) carry when the plan runs `vus`.
int64_t VusOfSlots(const std::vector<int64_t>& slots, int64_t period, int64_t vus) {
  const int64_t whole = vus / period;
  const int64_t rest = vus % period;
  int64_t n = whole * static_cast<int64_t>(slots.size());
  for (int64_t r : slots) n += r < rest ? 1 : 0;
  return n;
}

// The split for `weights` (>= 0, at least one > 0; reduced by their gcd).
absl::StatusOr<SplitPlan> SplitWithWeights(const Scenario& scenario,
                                           const std::vector<AgentCapacity>& agents,
                                           std::vector<int64_t> weights) {
  int64_t g = 0;
  for (int64_t w : weights) g = std::gcd(g, w);
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
      StageShare st;
      if (stage.is_open()) {
        st.rate_from = stage.rate_from * share.fraction;
        st.rate_to = stage.rate_to * share.fraction;
        st.arrivals = OwnedBelow(plan, share.index, end) -
                      OwnedBelow(plan, share.index, first);
        share.total_arrivals += st.arrivals;
      } else {
        st.vus_from = OwnedBelow(plan, share.index, stage.vus_from);
        st.vus_to = OwnedBelow(plan, share.index, stage.vus_to);
      }
      share.stages.push_back(st);
    }
    start += stage.duration;
  }
  return plan;
}

// "5000 VUs need 5 agents at 1000 each (2 connected: agent-a 1000, ...)".
std::string TooFewConnections(int64_t peak, const std::vector<AgentCapacity>& agents) {
  int64_t held = 0;
  bool equal = true;
  std::string list;
  for (const AgentCapacity& a : agents) {
    held += a.max_in_flight;
    equal = equal && a.max_in_flight == agents.front().max_in_flight;
    absl::StrAppend(&list, list.empty() ? "" : ", ", a.id, " ", a.max_in_flight);
  }
  const int64_t each = agents.front().max_in_flight;
  if (equal) {
    return absl::StrCat(peak, " VUs need ", (peak + each - 1) / each, " agents at ", each,
                        " each (", agents.size(), " connected: ", list, ")");
  }
  return absl::StrCat(peak, " VUs need ", peak, " connections; ", agents.size(),
                      " connected agents hold ", held, " (", list, ")");
}

}  // namespace

int64_t OwnedBelow(const SplitPlan& plan, int index, int64_t n) {
  return barrage::OwnedBelow(plan.period,
                             plan.shares[static_cast<size_t>(index)].slots, n);
}

int64_t PeakVusOf(const SplitPlan& plan, int index, const Scenario& scenario) {
  return OwnedBelow(plan, index, scenario.PeakVus());
}

std::vector<int64_t> ApportionVus(int64_t peak, const std::vector<AgentCapacity>& agents) {
  const size_t n = agents.size();
  std::vector<int64_t> vus(n, 0);
  std::vector<bool> capped(n, false);
  int64_t left = peak;
  while (true) {
    int64_t weight = 0;
    for (size_t i = 0; i < n; ++i) weight += capped[i] ? 0 : agents[i].capacity;
    if (weight == 0 || left <= 0) break;
    // An agent whose quota reaches its limit gets its limit; the rest is
    // shared again among the others (their quotas only grow).
    bool capped_one = false;
    for (size_t i = 0; i < n; ++i) {
      const int64_t limit = agents[i].max_in_flight;
      if (!capped[i] && limit > 0 &&
          static_cast<int128>(left) * agents[i].capacity >= static_cast<int128>(limit) * weight) {
        vus[i] = limit;
        capped[i] = true;
        capped_one = true;
      }
    }
    if (capped_one) {
      left = peak;
      for (size_t i = 0; i < n; ++i) left -= capped[i] ? vus[i] : 0;
      continue;
    }
    // Every quota is below its limit: floors, then one more each to the
    // largest remainders (a quota q < limit has floor(q) + 1 <= limit).
    std::vector<std::pair<int64_t, size_t>> remainders;
    int64_t dealt = 0;
    for (size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      const int128 q = static_cast<int128>(left) * agents[i].capacity;
      vus[i] = static_cast<int64_t>(q / weight);
      dealt += vus[i];
      remainders.push_back({static_cast<int64_t>(q % weight), i});
    }
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (size_t k = 0; k < remainders.size() && dealt < left; ++k, ++dealt) {
      ++vus[remainders[k].second];
    }
    break;
  }
  return vus;
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
  bool every_limit = true;
  int64_t held = 0;
  for (const AgentCapacity& a : agents) {
    if (a.capacity < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "agent '", a.id, "' has capacity ", a.capacity, "; must be >= 1"));
    }
    weights.push_back(a.capacity);
    every_limit = every_limit && a.max_in_flight > 0;
    held += std::max<int64_t>(a.max_in_flight, 0);
  }
  const int64_t peak = scenario.PeakVus();
  if (every_limit && peak > held) {
    return absl::ResourceExhaustedError(TooFewConnections(peak, agents));
  }
  absl::StatusOr<SplitPlan> plan = SplitWithWeights(scenario, agents, weights);
  if (!plan.ok() || peak == 0) return plan;
  bool within = true;
  for (size_t i = 0; i < agents.size(); ++i) {
    const int64_t limit = agents[i].max_in_flight;
    within = within && (limit <= 0 || PeakVusOf(*plan, static_cast<int>(i), scenario) <= limit);
  }
  if (within) return plan;
  // The capacity weights would put more VUs on an agent than it holds: the
  // weights become the VUs each holds at the peak. Every agent keeps a
  // share (at least one VU, from the agent with the most) when there are
  // VUs enough; with fewer VUs than agents, equal weights give each at
  // most one.
  std::vector<int64_t> vus(agents.size(), 1);
  if (peak >= static_cast<int64_t>(agents.size())) {
    vus = ApportionVus(peak, agents);
    for (int64_t& v : vus) {
      if (v > 0) continue;
      ++v;
      --*std::max_element(vus.begin(), vus.end());
    }
  }
  return SplitWithWeights(scenario, agents, std::move(vus));
}

std::vector<OverLimit> DealSlots(const std::string& lost, const std::set<std::string>& takers,
                                 const std::map<std::string, int64_t>& limits, int64_t period,
                                 int64_t peak_vus,
                                 std::map<std::string, std::vector<int64_t>>& slots) {
  auto limit_of = [&limits](const std::string& id) {
    auto it = limits.find(id);
    return it == limits.end() || it->second <= 0 ? INT64_MAX : it->second;
  };
  auto room_of = [&](const std::string& id) {
    const int64_t limit = limit_of(id);
    return limit == INT64_MAX ? INT64_MAX : limit - VusOfSlots(slots[id], period, peak_vus);
  };
  std::vector<int64_t> orphaned = slots[lost];
  slots.erase(lost);
  for (int64_t slot : orphaned) {
    const int64_t need = VusOfSlots({slot}, period, peak_vus);
    // The taker with the fewest slots among those with room; else the one
    // with the most room.
    std::string taker;
    std::string roomiest;
    for (const std::string& id : takers) {
      const int64_t room = room_of(id);
      if (room >= need && (taker.empty() || slots[id].size() < slots[taker].size())) taker = id;
      if (roomiest.empty() || room > room_of(roomiest)) roomiest = id;
    }
    if (taker.empty()) taker = roomiest;
    if (taker.empty()) break;
    slots[taker].push_back(slot);
  }
  std::vector<OverLimit> over;
  for (const std::string& id : takers) {
    const int64_t vus = VusOfSlots(slots[id], period, peak_vus);
    if (vus > limit_of(id)) over.push_back({id, vus, limit_of(id)});
  }
  return over;
}

}  // namespace barrage
