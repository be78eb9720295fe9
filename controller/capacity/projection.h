// Copyright 2026 The Barrage Authors.
//
// Growth projection and the baseline check (issue 16 item 5), from a
// capacity found by `barrage capacity` with its interval:
//
//   - when the headroom runs out under compound growth g per month from a
//     current peak: months = ln(capacity / peak) / ln(1 + g), the interval
//     carried from the capacity's [lo, hi] (the formula is increasing in
//     capacity, so its ends map to the months' ends);
//   - whether k x a baseline (the seed's "handles 10x baseline") is
//     sustained: yes when the capacity's lower bound reaches it, no when the
//     upper bound is below it, undecided when the interval straddles it.
//
// Rates are requests per second throughout; the parsers turn "500/min"
// into 8.333.../s. Pure functions; safe from any thread.
#ifndef BARRAGE_CONTROLLER_CAPACITY_PROJECTION_H_
#define BARRAGE_CONTROLLER_CAPACITY_PROJECTION_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace barrage {

// A capacity estimate: the sustainable rate and its confidence interval,
// requests/s, lo <= rps <= hi.
struct CapacityEstimate {
  double rps = 0;
  double lo = 0;
  double hi = 0;
};

// "500/min", "8.5/s", "2000/h" (also "/sec", "/minute", "/hour"): a rate
// > 0, returned per second. InvalidArgument naming the text otherwise.
absl::StatusOr<double> ParseRatePerSecond(absl::string_view text);

// "8%/month" (also "/mo"): compound growth per month as a fraction (0.08),
// > 0. InvalidArgument naming the text otherwise.
absl::StatusOr<double> ParseMonthlyGrowth(absl::string_view text);

struct GrowthProjection {
  double months = 0;     // 0 when the peak already reaches the capacity
  double months_lo = 0;  // from capacity.lo (0 when lo <= peak)
  double months_hi = 0;  // from capacity.hi
  bool exhausted = false;  // the peak is at or above the capacity already
  // "headroom runs out in 17.6 months (16.9 to 18.3) at 8%/month from a
  // peak of 8.33/s against a capacity of 400/s [380, 420]"
  std::string sentence;
};

// InvalidArgument unless growth > 0, peak > 0 and 0 < lo <= rps <= hi.
absl::StatusOr<GrowthProjection> ProjectGrowth(const CapacityEstimate& capacity,
                                               double peak_rps, double monthly_growth);

enum class BaselineVerdict { kYes, kNo, kUndecided };
const char* BaselineVerdictName(BaselineVerdict verdict);  // "yes" | "no" | "undecided"

struct BaselineCheck {
  BaselineVerdict verdict = BaselineVerdict::kUndecided;
  double target_rps = 0;  // factor x baseline
  // "10x baseline is 33.3/s; the capacity's interval [380, 420]/s is above
  // it: yes, it sustains 10x"
  std::string evidence;
};

// InvalidArgument unless baseline > 0, factor > 0 and the capacity is as
// for ProjectGrowth.
absl::StatusOr<BaselineCheck> CheckBaseline(const CapacityEstimate& capacity,
                                            double baseline_rps, double factor = 10);

// "8.33/s", "400/s", "0.0167/s", "1250/s": 3 significant digits, whole from
// 1000/s.
std::string FormatRps(double rps);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_PROJECTION_H_
