// Copyright 2026 The Barrage Authors.
//
// The Universal Scalability Law fitted to a capacity search's steps (issue
// 16 item 4): throughput X at concurrency N is
//
//   X(N) = lambda * N / (1 + sigma * (N - 1) + kappa * N * (N - 1))
//
// lambda is the throughput of one client alone (requests/s), sigma the
// contention (the serialised fraction: queueing on a shared resource) and
// kappa the coherency (the pairwise cost of keeping shared state
// consistent). With kappa > 0 throughput peaks at N* = sqrt((1 - sigma) /
// kappa) and falls beyond it (retrograde scaling); with kappa = 0 it rises
// towards lambda / sigma and N* is infinite.
//
// The fit is bounded nonlinear least squares by GSL's trust-region solver
// (gsl_multifit_nlinear, Levenberg-Marquardt): sigma and kappa in [0, 1],
// lambda > 0, enforced by solving for unbounded t with sigma = sin^2(t),
// kappa = sin^2(u), lambda = exp(v) (so a bound is reachable, not just
// approached), from a grid of 9 starting points (the best kept). The
// intervals are a residual bootstrap: the fitted curve plus residuals
// drawn with replacement (seeded; leverage-adjusted, centred, and widened
// by t(n - 3) / z for the few degrees of freedom), refitted, the percentile
// interval of each parameter over the resamples; over 200 noise seeds at a
// real search's levels and noise they cover the truth 93-96% of the time
// at 95% (usl_fit_test.cc). They cover noise, not bias: a constant time c
// per request outside the service (the network, the client) is
// indistinguishable from the service's own, so the fit reports sigma and
// kappa times D / (D + c) for a service of single-request time D.
//
// Pure functions of their arguments; safe from any thread. The first FitUsl
// call turns GSL's process-wide abort-on-error handler off (a failed fit is
// a Status, not an abort); nothing else in Barrage uses GSL's handler.
#ifndef BARRAGE_CONTROLLER_CAPACITY_USL_FIT_H_
#define BARRAGE_CONTROLLER_CAPACITY_USL_FIT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace barrage {

// The fit needs at least this many distinct load levels: three parameters
// and enough residuals to judge them.
inline constexpr size_t kUslMinPoints = 6;

// One load level: concurrency N (the requests outstanding, X * R by
// Little's law; capacity_analysis.h) and the throughput achieved there
// (requests/s). Both > 0.
struct UslPoint {
  double n = 0;
  double x = 0;
};

// A bootstrap percentile interval. For n_star and x_max the upper end may be
// +infinity (resamples with kappa = 0).
struct UslInterval {
  double lo = 0;
  double hi = 0;
};

// What bends the curve at N*: the contention term sigma * (N - 1) or the
// coherency term kappa * N * (N - 1), whichever is larger there (with
// kappa = 0: contention when sigma > 0). kNone: neither (sigma = kappa = 0,
// linear scaling over the observed range).
enum class UslLimit { kNone, kContention, kCoherency };
const char* UslLimitName(UslLimit limit);  // "none" | "contention" | "coherency"

struct UslFitOptions {
  int resamples = 500;  // bootstrap resamples; 0 = no intervals (lo = hi = estimate)
  uint64_t seed = 1;    // the bootstrap's RNG seed: same seed, same intervals
  double level = 0.95;  // the intervals' coverage
};

struct UslFit {
  double sigma = 0;
  double kappa = 0;   // exactly 0 when its term is negligible (see .cc)
  double lambda = 0;  // requests/s per unit of concurrency, at N = 1
  UslInterval sigma_ci;
  UslInterval kappa_ci;
  UslInterval lambda_ci;
  bool n_star_infinite = false;  // kappa == 0: throughput never peaks
  double n_star = 0;             // +infinity when n_star_infinite
  UslInterval n_star_ci;
  double x_max = 0;  // X(N*); lambda / sigma when N* is infinite (+inf if sigma is 0 too)
  UslInterval x_max_ci;
  std::vector<double> residuals;  // observed - fitted X, in the points' order
  double r_squared = 0;           // 1 - SSE / SST (SST about the mean X)
  UslLimit limited_by = UslLimit::kNone;
  int resamples = 0;   // bootstrap resamples that converged (of options.resamples)
  uint64_t seed = 0;   // the bootstrap seed used

  // "sigma 0.050 [0.041, 0.058], kappa 0.00100 [...], lambda ...; N* 31
  // [28, 35], X max 512/s; R^2 0.998: contention-limited"; N* "infinite
  // (kappa = 0: no retrograde scaling observed)".
  std::string Describe() const;
};

// X(N) for the given parameters (requests/s).
double UslThroughput(double sigma, double kappa, double lambda, double n);

// Fits the USL to `points`. InvalidArgument with fewer than kUslMinPoints
// points ("the USL needs at least 6 load levels; have 4"), a point with
// N <= 0, X < 0 or a non-finite value, or options out of range;
// FailedPrecondition when the solver cannot fit the points at all.
absl::StatusOr<UslFit> FitUsl(const std::vector<UslPoint>& points,
                              const UslFitOptions& options = {});

// Little's law for rate steps: the mean concurrency N = X * R of a step
// that achieved `throughput_rps` (requests/s) with mean response time
// `response_s` (seconds).
double LittlesLawConcurrency(double throughput_rps, double response_s);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_USL_FIT_H_
