// Copyright 2026 The Barrage Authors.
//
// The cost of a monitored resource per request (issue 16 item 4): from a
// capacity search's steps, each an achieved rate and a monitor query's mean
// value over the step (service CPU in cores, memory, db connections...),
// the least-squares line value = base + cost * rate (gsl_fit_linear). Its
// projection answers "at 2x traffic you need X cores" with the confidence
// interval of the line's mean at that rate (Student t on n - 2 degrees of
// freedom): the uncertainty of the fitted relation, not of a single sample.
// Extrapolating far beyond the measured rates assumes the resource stays
// linear there; the projection says so when it extrapolates.
//
// Pure functions; safe from any thread.
#ifndef BARRAGE_CONTROLLER_CAPACITY_RESOURCE_MODEL_H_
#define BARRAGE_CONTROLLER_CAPACITY_RESOURCE_MODEL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace barrage {

struct ResourcePoint {
  double rate_rps = 0;  // achieved requests/s of the step
  double value = 0;     // the monitor's mean over the step, in its own unit
};

struct ResourceModel {
  double base = 0;              // value at zero traffic (the resource's idle level)
  double cost_per_request = 0;  // value per (request/s): cores per rps, etc.
  double base_lo = 0, base_hi = 0;  // confidence intervals at `level`
  double cost_lo = 0, cost_hi = 0;
  double r_squared = 0;
  double level = 0.95;
  size_t points = 0;
  double min_rate_rps = 0;  // the measured range, for the extrapolation warning
  double max_rate_rps = 0;
  // The fit's covariance (gsl_fit_linear_est needs it).
  double cov00 = 0, cov01 = 0, cov11 = 0;
};

// Fits the line. InvalidArgument with fewer than 3 points (the interval
// needs a degree of freedom), a non-finite number, or all rates equal;
// level must be in (0, 1).
absl::StatusOr<ResourceModel> FitResource(const std::vector<ResourcePoint>& points,
                                          double level = 0.95);

struct ResourceProjection {
  double rate_rps = 0;  // the rate projected to
  double value = 0;     // base + cost * rate
  double lo = 0;        // the mean's confidence interval at the model's level
  double hi = 0;
  bool extrapolated = false;  // rate outside [min_rate_rps, max_rate_rps]
};

ResourceProjection ProjectResource(const ResourceModel& model, double rate_rps);

// "at 2x traffic (760/s) you need 3.4 cpu (3.1 to 3.8, 95%; extrapolated
// beyond the measured 50-400/s)"; `name` is the monitor's name, `factor`
// multiplies `current_rps`.
std::string DescribeProjection(const std::string& name, const ResourceModel& model,
                               double current_rps, double factor);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_RESOURCE_MODEL_H_
