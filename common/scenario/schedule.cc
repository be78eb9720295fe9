// Copyright 2026 The Barrage Authors.

#include "common/scenario/schedule.h"

#include <algorithm>

#include "common/util/int128.h"

namespace barrage {

int64_t ArrivalsBefore(const Scenario& scenario, absl::Duration t) {
  int64_t total = 0;
  absl::Duration start;
  for (const Stage& stage : scenario.stages) {
    if (t <= start) break;
    total += stage.ArrivalsBefore(t - start);
    start += stage.duration;
  }
  return total;
}

int64_t VusAt(const Scenario& scenario, absl::Duration t) {
  if (t < absl::ZeroDuration()) return 0;
  absl::Duration start;
  for (const Stage& stage : scenario.stages) {
    if (t < start + stage.duration) {
      if (stage.is_open()) return 0;
      const int128 span = static_cast<int128>(stage.vus_to) - stage.vus_from;
      const int128 into = absl::ToInt64Nanoseconds(t - start);
      const int128 whole = absl::ToInt64Nanoseconds(stage.duration);
      const int128 moved = (span < 0 ? -span : span) * into / whole;
      return span < 0 ? stage.vus_from - static_cast<int64_t>(moved)
                      : stage.vus_from + static_cast<int64_t>(moved);
    }
    start += stage.duration;
  }
  return 0;
}

int64_t OwnedBelow(int64_t period, const std::vector<int64_t>& slots,
                   int64_t n) {
  if (n <= 0) return 0;
  const int64_t whole = n / period;
  const int64_t rest = n % period;
  const int64_t partial =
      std::lower_bound(slots.begin(), slots.end(), rest) - slots.begin();
  return whole * static_cast<int64_t>(slots.size()) + partial;
}

double PlanRateAt(const Scenario& scenario, absl::Duration t) {
  absl::Duration start;
  for (const Stage& st : scenario.stages) {
    if (t >= start && t < start + st.duration) {
      if (!st.is_open()) return 0;
      const double f = absl::FDivDuration(t - start, st.duration);
      return st.rate_from.ToDouble() +
             (st.rate_to.ToDouble() - st.rate_from.ToDouble()) * f;
    }
    start += st.duration;
  }
  return 0;
}

int StageAt(const Scenario& scenario, absl::Duration t) {
  if (t < absl::ZeroDuration()) return -1;
  absl::Duration start;
  for (size_t i = 0; i < scenario.stages.size(); ++i) {
    start += scenario.stages[i].duration;
    if (t < start) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace barrage
