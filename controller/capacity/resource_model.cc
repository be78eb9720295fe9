// Copyright 2026 The Barrage Authors.

#include "controller/capacity/resource_model.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace barrage {
namespace {

// 3 significant digits, and whole numbers from 1000 up to 1e7 without an
// exponent ("1250", not "1.25e+03").
std::string Number(double v) {
  if (std::abs(v) >= 1000 && std::abs(v) < 1e7) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.3g", v);
}

}  // namespace

absl::StatusOr<ResourceModel> FitResource(const std::vector<ResourcePoint>& points,
                                          double level) {
  if (!(level > 0 && level < 1)) {
    return absl::InvalidArgumentError("resource model: level must be in (0, 1)");
  }
  if (points.size() < 3) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the resource model needs at least 3 steps; have %d", static_cast<int>(points.size())));
  }
  std::vector<double> rate, value;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(points[i].rate_rps) || !std::isfinite(points[i].value)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("resource point %d: not a finite number", static_cast<int>(i)));
    }
    rate.push_back(points[i].rate_rps);
    value.push_back(points[i].value);
  }
  const auto [lo, hi] = std::minmax_element(rate.begin(), rate.end());
  if (*lo == *hi) {
    return absl::InvalidArgumentError(
        "the resource model needs steps at different rates; all are at one rate");
  }
  ResourceModel m;
  m.level = level;
  m.points = points.size();
  m.min_rate_rps = *lo;
  m.max_rate_rps = *hi;
  double sumsq = 0;
  gsl_fit_linear(rate.data(), 1, value.data(), 1, rate.size(), &m.base, &m.cost_per_request,
                 &m.cov00, &m.cov01, &m.cov11, &sumsq);
  // gsl_fit_linear's covariance is scaled by the residual variance already
  // (sumsq / (n - 2)), so the t quantile completes the interval.
  const double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, static_cast<double>(m.points - 2));
  m.base_lo = m.base - t * std::sqrt(m.cov00);
  m.base_hi = m.base + t * std::sqrt(m.cov00);
  m.cost_lo = m.cost_per_request - t * std::sqrt(m.cov11);
  m.cost_hi = m.cost_per_request + t * std::sqrt(m.cov11);
  double mean = 0;
  for (double v : value) mean += v / static_cast<double>(value.size());
  double sst = 0;
  for (double v : value) sst += (v - mean) * (v - mean);
  m.r_squared = sst > 0 ? 1 - sumsq / sst : 1;
  return m;
}

ResourceProjection ProjectResource(const ResourceModel& model, double rate_rps) {
  ResourceProjection p;
  p.rate_rps = rate_rps;
  double err = 0;
  gsl_fit_linear_est(rate_rps, model.base, model.cost_per_request, model.cov00, model.cov01,
                     model.cov11, &p.value, &err);
  const double t = model.points > 2 ? gsl_cdf_tdist_Pinv(0.5 + model.level / 2,
                                                         static_cast<double>(model.points - 2))
                                    : 0;
  p.lo = p.value - t * err;
  p.hi = p.value + t * err;
  p.extrapolated = rate_rps < model.min_rate_rps || rate_rps > model.max_rate_rps;
  return p;
}

std::string DescribeProjection(const std::string& name, const ResourceModel& model,
                               double current_rps, double factor) {
  const ResourceProjection p = ProjectResource(model, current_rps * factor);
  std::string out = absl::StrFormat(
      "at %sx traffic (%s/s) you need %s %s (%s to %s, %d%%", Number(factor),
      Number(p.rate_rps), Number(p.value), name, Number(p.lo), Number(p.hi),
      static_cast<int>(std::lround(model.level * 100)));
  if (p.extrapolated) {
    out += absl::StrFormat("; extrapolated beyond the measured %s-%s/s",
                           Number(model.min_rate_rps), Number(model.max_rate_rps));
  }
  return out + ")";
}

}  // namespace barrage
