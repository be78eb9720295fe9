// Copyright 2026 The Barrage Authors.

#include "controller/capacity/projection.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace barrage {
namespace {

// 3 significant digits, and whole numbers from 1000 up to 1e7 without an
// exponent ("1250", not "1.25e+03").
std::string Number(double v) {
  if (std::abs(v) >= 1000 && std::abs(v) < 1e7) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.3g", v);
}

absl::Status ValidCapacity(const CapacityEstimate& c) {
  if (!(c.lo > 0 && c.lo <= c.rps && c.rps <= c.hi && std::isfinite(c.hi))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "capacity %g/s [%g, %g]: needs 0 < lo <= capacity <= hi", c.rps, c.lo, c.hi));
  }
  return absl::OkStatus();
}

// A positive finite number, all of `text`.
bool PositiveNumber(absl::string_view text, double& out) {
  return absl::SimpleAtod(text, &out) && std::isfinite(out) && out > 0;
}

double Months(double capacity, double peak, double growth) {
  return capacity <= peak ? 0 : std::log(capacity / peak) / std::log1p(growth);
}

std::string Interval(const CapacityEstimate& c) {
  return absl::StrFormat("%s [%s, %s]", FormatRps(c.rps), Number(c.lo), Number(c.hi));
}

}  // namespace

std::string FormatRps(double rps) { return Number(rps) + "/s"; }

absl::StatusOr<double> ParseRatePerSecond(absl::string_view text) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  const size_t slash = t.find('/');
  double value = 0;
  if (slash == std::string::npos ||
      !PositiveNumber(absl::string_view(t).substr(0, slash), value)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rate \"%s\": expected a number > 0 per time unit, like 500/min", text));
  }
  const std::string unit = t.substr(slash + 1);
  if (unit == "s" || unit == "sec") return value;
  if (unit == "min" || unit == "minute") return value / 60;
  if (unit == "h" || unit == "hour") return value / 3600;
  return absl::InvalidArgumentError(
      absl::StrFormat("rate \"%s\": unit must be /s, /min or /h", text));
}

absl::StatusOr<double> ParseMonthlyGrowth(absl::string_view text) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::string_view rest = t;
  double percent = 0;
  const size_t pct = rest.find('%');
  if (pct == absl::string_view::npos || !PositiveNumber(rest.substr(0, pct), percent)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "growth \"%s\": expected a percentage > 0 per month, like 8%%/month", text));
  }
  rest.remove_prefix(pct + 1);
  if (rest != "/month" && rest != "/mo") {
    return absl::InvalidArgumentError(
        absl::StrFormat("growth \"%s\": the period must be /month", text));
  }
  return percent / 100;
}

absl::StatusOr<GrowthProjection> ProjectGrowth(const CapacityEstimate& capacity,
                                               double peak_rps, double monthly_growth) {
  if (absl::Status s = ValidCapacity(capacity); !s.ok()) return s;
  if (!(peak_rps > 0 && std::isfinite(peak_rps))) {
    return absl::InvalidArgumentError("peak: must be a rate > 0");
  }
  if (!(monthly_growth > 0 && std::isfinite(monthly_growth))) {
    return absl::InvalidArgumentError("growth: must be > 0 per month");
  }
  GrowthProjection p;
  p.months = Months(capacity.rps, peak_rps, monthly_growth);
  p.months_lo = Months(capacity.lo, peak_rps, monthly_growth);
  p.months_hi = Months(capacity.hi, peak_rps, monthly_growth);
  p.exhausted = peak_rps >= capacity.rps;
  const std::string growth = Number(monthly_growth * 100) + "%/month";
  if (p.exhausted) {
    p.sentence = absl::StrFormat(
        "no headroom: the peak of %s already reaches the capacity of %s",
        FormatRps(peak_rps), Interval(capacity));
  } else {
    p.sentence = absl::StrFormat(
        "headroom runs out in %.1f months (%.1f to %.1f) at %s from a peak of %s against "
        "a capacity of %s",
        p.months, p.months_lo, p.months_hi, growth, FormatRps(peak_rps), Interval(capacity));
  }
  return p;
}

const char* BaselineVerdictName(BaselineVerdict verdict) {
  switch (verdict) {
    case BaselineVerdict::kYes:
      return "yes";
    case BaselineVerdict::kNo:
      return "no";
    case BaselineVerdict::kUndecided:
      break;
  }
  return "undecided";
}

absl::StatusOr<BaselineCheck> CheckBaseline(const CapacityEstimate& capacity,
                                            double baseline_rps, double factor) {
  if (absl::Status s = ValidCapacity(capacity); !s.ok()) return s;
  if (!(baseline_rps > 0 && std::isfinite(baseline_rps))) {
    return absl::InvalidArgumentError("baseline: must be a rate > 0");
  }
  if (!(factor > 0 && std::isfinite(factor))) {
    return absl::InvalidArgumentError("baseline factor: must be > 0");
  }
  BaselineCheck c;
  c.target_rps = baseline_rps * factor;
  const std::string k = Number(factor) + "x";
  std::string where;
  std::string answer;
  if (capacity.lo >= c.target_rps) {
    c.verdict = BaselineVerdict::kYes;
    where = "is above it";
    answer = "yes, it sustains " + k;
  } else if (capacity.hi < c.target_rps) {
    c.verdict = BaselineVerdict::kNo;
    where = "is below it";
    answer = "no, it does not sustain " + k;
  } else {
    c.verdict = BaselineVerdict::kUndecided;
    where = "contains it";
    answer = "undecided (a longer search narrows the interval)";
  }
  c.evidence = absl::StrFormat("%s baseline is %s; the capacity %s %s: %s", k,
                               FormatRps(c.target_rps), Interval(capacity), where, answer);
  return c;
}

}  // namespace barrage
