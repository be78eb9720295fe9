// Copyright 2026 The Barrage Authors.
//
// ArrivalScheduler: the open model's intended send times for one worker.
//
// The plan's arrivals are numbered as in controller/load_splitter.h: arrival
// i of a stage is due when the stage's expected count E(s) reaches i. This
// agent owns the arrivals whose number mod `period` is in `slots`; its owned
// arrivals, in time order, are dealt round-robin to its W workers. So every
// worker's stream, every agent's stream and the fleet's stream are exact
// subsets of one generator's schedule, and their counts add up exactly.
//
// Poisson mode instead runs a seeded non-homogeneous Poisson process at this
// worker's share of the rate (time-warped unit-rate exponential gaps), so
// counts are random with the plan's mean and deterministic per seed.
//
// Times are nanoseconds since the run's start. Pure arithmetic, no clock,
// no allocation after construction. Not thread-safe: one per worker.
#ifndef BARRAGE_AGENT_ENGINE_ARRIVAL_SCHEDULER_H_
#define BARRAGE_AGENT_ENGINE_ARRIVAL_SCHEDULER_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "agent/engine/request_picker.h"
#include "common/scenario/scenario.h"

namespace barrage {

enum class ArrivalMode { kUniform, kPoisson };

class ArrivalScheduler {
 public:
  static constexpr int64_t kDone = std::numeric_limits<int64_t>::max();

  // `slots` are this agent's residues mod `period` (sorted, non-empty);
  // `worker` in [0, workers).
  ArrivalScheduler(const Scenario& scenario, int64_t period,
                   std::vector<int64_t> slots, int worker, int workers,
                   ArrivalMode mode, uint64_t seed);

  // Intended time of the next arrival, or kDone.
  int64_t PeekNs() const { return next_ns_; }
  // Consumes it and computes the one after.
  void Pop();

  // Skips every arrival due before `t_ns` (used when joining mid-run);
  // returns how many were skipped.
  int64_t SkipBefore(int64_t t_ns);

  // Ends the schedule before `t_ns`: arrivals due at or after it are not
  // this scheduler's (its slots moved to other owners, or the agent leaves).
  void StopAt(int64_t t_ns);

  int64_t popped() const { return popped_; }

 private:
  struct StageCurve {
    int64_t start_ns;
    int64_t duration_ns;
    int64_t first_arrival;  // global number of its first arrival
    int64_t arrivals;       // ceil(E(T))
    double expected_before; // sum of E(T) of earlier stages (Poisson)
    double expected;        // E(T)
    double from;            // rate at start, per ns
    double to;              // rate at end, per ns
  };

  // Seconds... in ns: the offset within `c` where E reaches `e` arrivals.
  static double InverseNs(const StageCurve& c, double e);
  void ComputeUniform();
  void ComputePoisson();

  std::vector<StageCurve> stages_;
  int64_t period_;
  std::vector<int64_t> slots_;
  int64_t workers_;
  ArrivalMode mode_;
  SplitMix64 rng_;
  double poisson_scale_ = 1;  // plan arrivals per unit of this worker's clock

  size_t stage_ = 0;
  int64_t ordinal_;  // this agent's k-th owned arrival (uniform)
  double poisson_u_ = 0;
  int64_t next_ns_ = kDone;
  int64_t until_ns_ = kDone;  // StopAt
  int64_t popped_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_ARRIVAL_SCHEDULER_H_
