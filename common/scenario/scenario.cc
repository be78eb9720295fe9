// Copyright 2026 The Barrage Authors.

#include "common/scenario/scenario.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/int128.h"

namespace barrage {

namespace {

// E(m ms) = from * x + (to - from) * x^2 / (2 T), x = m / 1000 s,
// T = M / 1000 s, from = a / b, to = c / d, as one fraction num / den:
//   num = 2 M a d m + (c b - a d) m^2,  den = 2000 M b d.
// Bounds (rates <= 1e7/s with den <= 3.6e6, M <= 2.7e9 ms) keep both well
// inside 128 bits.
struct Fraction {
  int128 num;
  int128 den;
};

Fraction ExpectedAt(const Stage& s, int64_t m) {
  const int128 a = s.rate_from.num(), b = s.rate_from.den();
  const int128 c = s.rate_to.num(), d = s.rate_to.den();
  const int128 big_m = absl::ToInt64Milliseconds(s.duration);
  const int128 mm = m;
  return {2 * big_m * a * d * mm + (c * b - a * d) * mm * mm,
          2000 * big_m * b * d};
}

int64_t FloorOf(Fraction f) { return static_cast<int64_t>(f.num / f.den); }
int64_t CeilOf(Fraction f) {
  return static_cast<int64_t>((f.num + f.den - 1) / f.den);
}

}  // namespace

int64_t Stage::ArrivalsBefore(absl::Duration elapsed) const {
  if (!is_open() || elapsed <= absl::ZeroDuration()) return 0;
  const int64_t m = absl::ToInt64Milliseconds(std::min(elapsed, duration));
  return CeilOf(ExpectedAt(*this, m));
}

int64_t Stage::WholeExpectedArrivals() const {
  if (!is_open()) return 0;
  return FloorOf(ExpectedAt(*this, absl::ToInt64Milliseconds(duration)));
}

double Stage::ExpectedArrivals() const {
  if (!is_open()) return 0;
  const Fraction f = ExpectedAt(*this, absl::ToInt64Milliseconds(duration));
  return static_cast<double>(f.num) / static_cast<double>(f.den);
}

absl::Duration Scenario::TotalDuration() const {
  absl::Duration total;
  for (const Stage& s : stages) total += s.duration;
  return total;
}

int64_t Scenario::TotalWeight() const {
  int64_t total = 0;
  for (const RequestSpec& r : requests) total += r.weight;
  for (const FlowSpec& f : flows) total += f.weight;
  return total;
}

Rational Scenario::PeakRate() const {
  Rational peak;
  for (const Stage& s : stages) {
    if (!s.is_open()) continue;
    peak = std::max(peak, std::max(s.rate_from, s.rate_to));
  }
  return peak;
}

int64_t Scenario::PeakVus() const {
  int64_t peak = 0;
  for (const Stage& s : stages) {
    if (s.is_open()) continue;
    peak = std::max({peak, s.vus_from, s.vus_to});
  }
  return peak;
}

const char* ThresholdMetricName(ThresholdMetric metric) {
  switch (metric) {
    case ThresholdMetric::kP50: return "p50";
    case ThresholdMetric::kP90: return "p90";
    case ThresholdMetric::kP95: return "p95";
    case ThresholdMetric::kP99: return "p99";
    case ThresholdMetric::kP999: return "p999";
    case ThresholdMetric::kMax: return "max";
    case ThresholdMetric::kMean: return "mean";
    case ThresholdMetric::kErrorRate: return "error_rate";
    case ThresholdMetric::kRps: return "rps";
    case ThresholdMetric::kMonitor: return "monitor";
  }
  return "?";
}

bool IsLatencyMetric(ThresholdMetric metric) {
  return metric != ThresholdMetric::kErrorRate && metric != ThresholdMetric::kRps &&
         metric != ThresholdMetric::kMonitor;
}

const char* OnLossName(OnLoss on_loss) {
  switch (on_loss) {
    case OnLoss::kRedistribute: return "redistribute";
    case OnLoss::kContinue: return "continue";
    case OnLoss::kAbort: return "abort";
  }
  return "?";
}

const char* OnJoinName(OnJoin on_join) {
  switch (on_join) {
    case OnJoin::kRebalance: return "rebalance";
    case OnJoin::kIgnore: return "ignore";
  }
  return "?";
}

std::string HumanDuration(absl::Duration d) {
  if (d == absl::ZeroDuration()) return "0s";
  int64_t ns = absl::ToInt64Nanoseconds(d);
  if (ns % 1'000'000'000 != 0) {
    if (ns % 1'000'000 == 0) return absl::StrCat(ns / 1'000'000, "ms");
    if (ns % 1'000 == 0) return absl::StrCat(ns / 1'000, "us");
    return absl::StrCat(ns, "ns");
  }
  int64_t s = ns / 1'000'000'000;
  std::string out;
  if (s >= 3600) absl::StrAppend(&out, s / 3600, "h");
  if (s % 3600 >= 60) absl::StrAppend(&out, (s % 3600) / 60, "m");
  if (s % 60 != 0) absl::StrAppend(&out, s % 60, "s");
  return out;
}

std::string FormatRate(Rational per_second) {
  std::string s = absl::StrFormat("%.3f", per_second.ToDouble());
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "/s";
}

bool Threshold::AbortGraceOver(uint64_t requests, absl::Duration elapsed) const {
  if (!min_requests.has_value() && !delay.has_value()) {
    return requests >= static_cast<uint64_t>(kDefaultAbortMinRequests) ||
           elapsed >= kDefaultAbortDelay;
  }
  return (!min_requests.has_value() || requests >= static_cast<uint64_t>(*min_requests)) &&
         (!delay.has_value() || elapsed >= *delay);
}

std::string Threshold::Expression() const {
  std::string value;
  if (metric == ThresholdMetric::kMonitor) {
    value = absl::StrFormat("%g", limit);
  } else if (IsLatencyMetric(metric)) {
    value = HumanDuration(absl::Microseconds(std::llround(limit)));
  } else if (metric == ThresholdMetric::kErrorRate) {
    value = absl::StrFormat("%g%%", limit * 100.0);
  } else {
    value = absl::StrFormat("%g/s", limit);
  }
  std::string out = absl::StrCat(ThresholdMetricName(metric),
                                 monitor.empty() ? "" : ".", monitor,
                                 above ? " > " : " < ", value);
  if (!request.empty()) absl::StrAppend(&out, " (", request, ")");
  if (!flow.empty()) absl::StrAppend(&out, " (flow ", flow, ")");
  if (!whole_run) absl::StrAppend(&out, " over ", HumanDuration(window));
  if (abort) absl::StrAppend(&out, " [abort]");
  return out;
}

}  // namespace barrage
