// Copyright 2026 The Barrage Authors.
//
// The plan's schedule as numbers both the controller (splitting) and the
// agents (firing) compute the same way:
//   - arrivals are numbered 0, 1, 2, ... across the plan; arrival i of a
//     stage is due when the stage's expected count reaches i
//     (Stage::ArrivalsBefore);
//   - virtual users are numbered 0, 1, 2, ...; VU j is active while the
//     plan's VU count exceeds j;
//   - an agent owns arrival or VU n when n mod period is one of its slots.
// Pure functions of their arguments.
#ifndef BARRAGE_COMMON_SCENARIO_SCHEDULE_H_
#define BARRAGE_COMMON_SCENARIO_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "common/scenario/scenario.h"

namespace barrage {

// Arrivals of the whole plan due in [0, t).
int64_t ArrivalsBefore(const Scenario& scenario, absl::Duration t);

// The plan's virtual users at time t (0 in open stages and after the end):
// a ramp from a to b over T holds a + floor((b - a) s / T) at offset s when
// rising and a - floor((a - b) s / T) when falling.
int64_t VusAt(const Scenario& scenario, absl::Duration t);

// How many of the items 0..n-1 an agent owning `slots` (sorted residues mod
// `period`) owns.
int64_t OwnedBelow(int64_t period, const std::vector<int64_t>& slots,
                   int64_t n);

// The plan's arrival rate (requests/s) at t; 0 in closed stages.
double PlanRateAt(const Scenario& scenario, absl::Duration t);

// The stage running at t, or -1 before the start / after the end.
int StageAt(const Scenario& scenario, absl::Duration t);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_SCHEDULE_H_
