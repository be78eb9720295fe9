// Copyright 2026 The Barrage Authors.
//
// Splits a scenario's load across agents, exactly.
//
// The whole plan's arrivals are numbered n = 0, 1, 2, ... in time order, as
// if one generator fired them all (see Stage::ArrivalsBefore for when each
// is due), and its virtual users are numbered
// j = 0, 1, 2, ... (VU j is active while the plan's VU count exceeds j).
// The splitter deals the residues of a period P among the agents: agent i
// owns arrival n when owner[n mod P] == i, and VU j when owner[j mod P] == i.
//
// Consequences, which the tests check:
//   - the agents' shares partition the plan: at every instant their rates
//     sum to the plan's rate and their VUs to the plan's VUs, exactly;
//   - the merged arrival stream is exactly the single generator's, so it is
//     as even as one generator's (the phases interleave);
//   - P is the sum of the agents' capacity weights (reduced by their gcd),
//     and residues are dealt so that every prefix of the period gives each
//     agent within one of its quota: constant VU stages are split as a
//     largest-remainder apportionment would (each agent floor or ceil of its
//     quota), and ramps stay balanced as they move;
//   - every planned VU has its connection: an agent's VUs never exceed its
//     max_in_flight (when given). When the capacity-weighted split would
//     put more VUs on an agent than it holds, the weights become the peak
//     VUs themselves, apportioned by largest remainder weighted by
//     capacity and capped at each limit (so open stages then split by those
//     weights too); when the limits together hold fewer than the plan's
//     peak VUs, the plan is refused (ResourceExhausted) before any load.
//     Open stages' in-flight need (rate x timeout) is not checked.
//
// Pure functions; no threads, no I/O.
#ifndef BARRAGE_CONTROLLER_RUN_LOAD_SPLITTER_H_
#define BARRAGE_CONTROLLER_RUN_LOAD_SPLITTER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/scenario/rational.h"
#include "common/scenario/scenario.h"
#include "common/scenario/schedule.h"

namespace barrage {

struct AgentCapacity {
  std::string id;
  int64_t capacity = 1;  // relative weight, >= 1
  // Requests (connections) it holds in flight at once; 0: no limit.
  int64_t max_in_flight = 0;
};

// One agent's part of one stage.
struct StageShare {
  Rational rate_from;     // requests/s (open stages)
  Rational rate_to;
  int64_t vus_from = 0;   // virtual users (closed stages)
  int64_t vus_to = 0;
  int64_t arrivals = 0;   // arrivals this agent fires in the stage
};

struct Share {
  std::string agent_id;
  int index = 0;
  std::vector<int64_t> slots;  // residues mod period this agent owns
  Rational fraction;           // slots.size() / period
  std::vector<StageShare> stages;
  int64_t total_arrivals = 0;
};

struct SplitPlan {
  int64_t period = 1;
  std::vector<int> owner;      // owner[r] = agent index of residue r
  std::vector<int64_t> stage_arrivals;  // the plan's arrivals per stage
  std::vector<Share> shares;   // one per agent, in input order
};

// Fails (InvalidArgument / FailedPrecondition) for zero agents, fewer than
// scenario.agents.min, a capacity below 1, or weights whose period exceeds
// 1,048,576 after reduction; ResourceExhausted when the agents' limits hold
// fewer connections than the plan's peak VUs, saying how many agents it
// needs: "5000 VUs need 5 agents at 1000 each (2 connected: agent-a 1000,
// agent-b 1000)" (unequal limits: "... need 5000 connections; 2 connected
// agents hold 1500 (...)").
absl::StatusOr<SplitPlan> SplitLoad(const Scenario& scenario,
                                    const std::vector<AgentCapacity>& agents);

// VUs agent `index` runs at the plan's peak (scenario.PeakVus()).
int64_t PeakVusOf(const SplitPlan& plan, int index, const Scenario& scenario);

// Peak VUs apportioned to agents with these capacity weights (>= 1) and
// limits (0: none) by largest remainder, capped at each limit (what a cap
// leaves goes to the others by weight); ties go to the lower index.
// Requires peak <= the limits' sum when every agent has one.
std::vector<int64_t> ApportionVus(int64_t peak, const std::vector<AgentCapacity>& agents);

// An agent asked to hold more VUs than its limit.
struct OverLimit {
  std::string agent;
  int64_t vus = 0;    // at the plan's peak
  int64_t limit = 0;  // its max_in_flight
};

// A rebalance within limits: deals `lost`'s slots (removed from `slots`)
// to `takers` one at a time, each to the taker holding the fewest slots
// among those with room for the slot's peak VUs (`limits`: max_in_flight
// per agent, absent or 0 = none), or when none has room, to the one with
// the most. Returns the takers left above their limit (empty: every VU
// still has its connection). `period` is the split's, `peak_vus` the plan's.
std::vector<OverLimit> DealSlots(const std::string& lost, const std::set<std::string>& takers,
                                 const std::map<std::string, int64_t>& limits, int64_t period,
                                 int64_t peak_vus,
                                 std::map<std::string, std::vector<int64_t>>& slots);

// How many of the items 0..n-1 (arrivals or VUs) agent `index` owns
// (see common/schedule.h).
int64_t OwnedBelow(const SplitPlan& plan, int index, int64_t n);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_LOAD_SPLITTER_H_
