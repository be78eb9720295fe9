// Copyright 2026 The Barrage Authors.

#include "agent/engine/arrival_scheduler.h"

#include <algorithm>
#include <cmath>

namespace barrage {

ArrivalScheduler::ArrivalScheduler(const Scenario& scenario, int64_t period,
                                   std::vector<int64_t> slots, int worker,
                                   int workers, ArrivalMode mode,
                                   uint64_t seed)
    : period_(std::max<int64_t>(period, 1)),
      slots_(std::move(slots)),
      workers_(std::max(workers, 1)),
      mode_(mode),
      rng_(SplitMix64::Mix(seed ^ SplitMix64::Mix(static_cast<uint64_t>(worker) + 1))),
      ordinal_(worker) {
  if (slots_.empty()) slots_.push_back(0);
  int64_t start = 0;
  int64_t first = 0;
  double expected_before = 0;
  for (const Stage& s : scenario.stages) {
    StageCurve c;
    c.start_ns = start;
    c.duration_ns = absl::ToInt64Nanoseconds(s.duration);
    c.first_arrival = first;
    c.arrivals = s.Arrivals();
    c.expected = s.ExpectedArrivals();
    c.expected_before = expected_before;
    c.from = s.is_open() ? s.rate_from.ToDouble() / 1e9 : 0;
    c.to = s.is_open() ? s.rate_to.ToDouble() / 1e9 : 0;
    stages_.push_back(c);
    start += c.duration_ns;
    first += c.arrivals;
    expected_before += c.expected;
  }
  // This worker runs (slots / period) / workers of the plan.
  poisson_scale_ = static_cast<double>(period_) * static_cast<double>(workers_) /
                   static_cast<double>(slots_.size());
  if (mode_ == ArrivalMode::kPoisson) {
    ComputePoisson();
  } else {
    ComputeUniform();
  }
}

// E(s) = from * s + (to - from) * s^2 / (2T). The root is taken in the form
// 2e / (from + sqrt(from^2 + 2 (to - from) e / T)), which stays accurate when
// the ramp is nearly flat and when it starts at zero.
double ArrivalScheduler::InverseNs(const StageCurve& c, double e) {
  if (e <= 0) return 0;
  const double slope = (c.to - c.from) / static_cast<double>(c.duration_ns);
  const double disc = std::max(0.0, c.from * c.from + 2.0 * slope * e);
  const double denom = c.from + std::sqrt(disc);
  if (denom <= 0) return static_cast<double>(c.duration_ns);
  return std::min(2.0 * e / denom, static_cast<double>(c.duration_ns));
}

void ArrivalScheduler::ComputeUniform() {
  const int64_t s = static_cast<int64_t>(slots_.size());
  const int64_t n = (ordinal_ / s) * period_ + slots_[static_cast<size_t>(ordinal_ % s)];
  while (stage_ < stages_.size() &&
         n >= stages_[stage_].first_arrival + stages_[stage_].arrivals) {
    ++stage_;
  }
  if (stage_ == stages_.size()) {
    next_ns_ = kDone;
    return;
  }
  const StageCurve& c = stages_[stage_];
  const double i = static_cast<double>(n - c.first_arrival);
  next_ns_ = c.start_ns + static_cast<int64_t>(std::llround(InverseNs(c, i)));
}

void ArrivalScheduler::ComputePoisson() {
  // Next point of a unit-rate Poisson process, warped onto the plan's
  // cumulative expected count.
  poisson_u_ += -std::log(1.0 - rng_.NextDouble());
  const double e = poisson_u_ * poisson_scale_;
  while (stage_ < stages_.size() &&
         e >= stages_[stage_].expected_before + stages_[stage_].expected) {
    ++stage_;
  }
  if (stage_ == stages_.size()) {
    next_ns_ = kDone;
    return;
  }
  const StageCurve& c = stages_[stage_];
  next_ns_ = c.start_ns + static_cast<int64_t>(std::llround(
                              InverseNs(c, e - c.expected_before)));
}

void ArrivalScheduler::Pop() {
  if (next_ns_ == kDone) return;
  ++popped_;
  if (mode_ == ArrivalMode::kPoisson) {
    ComputePoisson();
  } else {
    ordinal_ += workers_;
    ComputeUniform();
  }
  if (next_ns_ >= until_ns_) next_ns_ = kDone;
}

void ArrivalScheduler::StopAt(int64_t t_ns) {
  until_ns_ = std::min(until_ns_, t_ns);
  if (next_ns_ >= until_ns_) next_ns_ = kDone;
}

int64_t ArrivalScheduler::SkipBefore(int64_t t_ns) {
  int64_t skipped = 0;
  while (next_ns_ < t_ns) {
    Pop();
    ++skipped;
  }
  popped_ -= skipped;
  return skipped;
}

}  // namespace barrage
