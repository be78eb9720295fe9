// Copyright 2026 The Barrage Authors.

#include "controller/capacity/usl_fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "controller/report/bootstrap.h"

namespace barrage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A term that changes the denominator by less than this at the largest
// observed N cannot be told from zero by the data; it is reported as exactly
// zero, so that kappa = 0 data says "N* infinite" instead of an N* of 10^5
// from solver round-off.
constexpr double kNegligibleTerm = 1e-3;

// Bounds stay reachable: sigma = sin^2(t) covers [0, 1] for any t. A start
// exactly on a bound has a zero derivative there, so starts are pulled in.
constexpr double kStartMargin = 1e-6;

struct Params {
  double sigma = 0;
  double kappa = 0;
  double lambda = 0;
};

struct Data {
  const std::vector<double>* n;
  const std::vector<double>* x;
};

Params FromSolver(const gsl_vector* p) {
  const double t = gsl_vector_get(p, 0);
  const double u = gsl_vector_get(p, 1);
  return {std::sin(t) * std::sin(t), std::sin(u) * std::sin(u),
          std::exp(gsl_vector_get(p, 2))};
}

void ToSolver(const Params& p, gsl_vector* out) {
  const double s = std::clamp(p.sigma, kStartMargin, 1 - kStartMargin);
  const double k = std::clamp(p.kappa, kStartMargin * kStartMargin, 1 - kStartMargin);
  gsl_vector_set(out, 0, std::asin(std::sqrt(s)));
  gsl_vector_set(out, 1, std::asin(std::sqrt(k)));
  gsl_vector_set(out, 2, std::log(p.lambda));
}

int Residuals(const gsl_vector* p, void* data, gsl_vector* f) {
  const Data& d = *static_cast<const Data*>(data);
  const Params q = FromSolver(p);
  for (size_t i = 0; i < d.n->size(); ++i) {
    gsl_vector_set(f, i, UslThroughput(q.sigma, q.kappa, q.lambda, (*d.n)[i]) - (*d.x)[i]);
  }
  return GSL_SUCCESS;
}

int Jacobian(const gsl_vector* p, void* data, gsl_matrix* j) {
  const Data& d = *static_cast<const Data*>(data);
  const Params q = FromSolver(p);
  const double dsigma = std::sin(2 * gsl_vector_get(p, 0));  // d sin^2(t) / dt
  const double dkappa = std::sin(2 * gsl_vector_get(p, 1));
  for (size_t i = 0; i < d.n->size(); ++i) {
    const double n = (*d.n)[i];
    const double den = 1 + q.sigma * (n - 1) + q.kappa * n * (n - 1);
    const double x = q.lambda * n / den;
    gsl_matrix_set(j, i, 0, -x * (n - 1) / den * dsigma);
    gsl_matrix_set(j, i, 1, -x * n * (n - 1) / den * dkappa);
    gsl_matrix_set(j, i, 2, x);  // d/dv of exp(v) * n / den
  }
  return GSL_SUCCESS;
}

struct Solution {
  Params params;
  double sse = kInf;
};

// One trust-region (Levenberg-Marquardt) solve from `start`; nullopt-like
// (sse = inf) when the solver fails or produces non-finite parameters.
Solution Solve(const std::vector<double>& n, const std::vector<double>& x,
               const Params& start) {
  Data data{&n, &x};
  gsl_multifit_nlinear_fdf fdf;
  fdf.f = Residuals;
  fdf.df = Jacobian;
  fdf.fvv = nullptr;
  fdf.n = n.size();
  fdf.p = 3;
  fdf.params = &data;
  gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace* w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n.size(), 3);
  gsl_vector* p0 = gsl_vector_alloc(3);
  ToSolver(start, p0);
  Solution out;
  int info = 0;
  if (gsl_multifit_nlinear_init(p0, &fdf, w) == GSL_SUCCESS) {
    const int status = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 1e-12, nullptr,
                                                   nullptr, &info, w);
    // GSL_EMAXITER still leaves the best point so far; anything else failed.
    if (status == GSL_SUCCESS || status == GSL_EMAXITER) {
      const Params q = FromSolver(gsl_multifit_nlinear_position(w));
      double sse = 0;
      gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w),
                    &sse);
      if (std::isfinite(q.lambda) && std::isfinite(sse)) out = {q, sse};
    }
  }
  gsl_vector_free(p0);
  gsl_multifit_nlinear_free(w);
  return out;
}

// Zeroes terms the data cannot distinguish from zero (kNegligibleTerm).
Params Snap(Params p, double n_max) {
  if (p.kappa * n_max * (n_max - 1) < kNegligibleTerm) p.kappa = 0;
  if (p.sigma * (n_max - 1) < kNegligibleTerm) p.sigma = 0;
  return p;
}

double NStar(const Params& p) {
  return p.kappa == 0 ? kInf : std::sqrt((1 - p.sigma) / p.kappa);
}

double XMax(const Params& p) {
  if (p.kappa == 0) return p.sigma == 0 ? kInf : p.lambda / p.sigma;
  return UslThroughput(p.sigma, p.kappa, p.lambda, NStar(p));
}

// The leverages h_i of the points at `p`: the diagonal of the hat matrix
// J (J'J)^-1 J' of the fit linearised there (J: dX/d(sigma, kappa,
// lambda)). Empty when J'J is singular (a parameter the points do not
// determine).
std::vector<double> Leverages(const std::vector<double>& n, const Params& p) {
  const size_t count = n.size();
  gsl_matrix* j = gsl_matrix_alloc(count, 3);
  for (size_t i = 0; i < count; ++i) {
    const double den = 1 + p.sigma * (n[i] - 1) + p.kappa * n[i] * (n[i] - 1);
    const double x = p.lambda * n[i] / den;
    gsl_matrix_set(j, i, 0, -x * (n[i] - 1) / den);
    gsl_matrix_set(j, i, 1, -x * n[i] * (n[i] - 1) / den);
    gsl_matrix_set(j, i, 2, n[i] / den);
  }
  gsl_matrix* jtj = gsl_matrix_alloc(3, 3);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, j, j, 0.0, jtj);
  std::vector<double> h;
  if (gsl_linalg_cholesky_decomp1(jtj) == GSL_SUCCESS &&
      gsl_linalg_cholesky_invert(jtj) == GSL_SUCCESS) {
    for (size_t i = 0; i < count; ++i) {
      double hi = 0;
      for (size_t a = 0; a < 3; ++a) {
        for (size_t b = 0; b < 3; ++b) {
          hi += gsl_matrix_get(j, i, a) * gsl_matrix_get(jtj, a, b) * gsl_matrix_get(j, i, b);
        }
      }
      h.push_back(hi);
    }
  }
  gsl_matrix_free(jtj);
  gsl_matrix_free(j);
  return h;
}

UslInterval Interval(std::vector<double> values, double level) {
  const PercentileBounds b = PercentileInterval(std::move(values), level);
  return {b.lo, b.hi};
}

std::string Number(double v) {
  if (std::isinf(v)) return "inf";
  return absl::StrFormat("%.3g", v);
}

}  // namespace

const char* UslLimitName(UslLimit limit) {
  switch (limit) {
    case UslLimit::kContention:
      return "contention";
    case UslLimit::kCoherency:
      return "coherency";
    case UslLimit::kNone:
      break;
  }
  return "none";
}

double UslThroughput(double sigma, double kappa, double lambda, double n) {
  return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

double LittlesLawConcurrency(double throughput_rps, double response_s) {
  return throughput_rps * response_s;
}

absl::StatusOr<UslFit> FitUsl(const std::vector<UslPoint>& points,
                              const UslFitOptions& options) {
  if (points.size() < kUslMinPoints) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the USL needs at least %d load levels; have %d", static_cast<int>(kUslMinPoints),
        static_cast<int>(points.size())));
  }
  if (options.resamples < 0 || !(options.level > 0 && options.level < 1)) {
    return absl::InvalidArgumentError(
        "USL fit options: resamples must be >= 0 and level in (0, 1)");
  }
  std::vector<double> n;
  std::vector<double> x;
  for (size_t i = 0; i < points.size(); ++i) {
    const UslPoint& p = points[i];
    if (!std::isfinite(p.n) || !std::isfinite(p.x) || p.n <= 0 || p.x < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "USL point %d: N must be > 0 and X >= 0 (have N = %g, X = %g)",
          static_cast<int>(i), p.n, p.x));
    }
    n.push_back(p.n);
    x.push_back(p.x);
  }
  // GSL's default handler aborts the process on an internal error (a
  // singular step, say); a failed fit is a Status here instead.
  static std::once_flag handler_off;
  std::call_once(handler_off, [] { gsl_set_error_handler_off(); });

  const size_t lowest = std::min_element(n.begin(), n.end()) - n.begin();
  const double n_max = *std::max_element(n.begin(), n.end());
  const double lambda0 = std::max(x[lowest] / n[lowest], 1e-9);
  Solution best;
  for (double sigma0 : {0.01, 0.1, 0.4}) {
    for (double kappa0 : {1e-5, 1e-3, 1e-1}) {
      const Solution s = Solve(n, x, {sigma0, kappa0, lambda0});
      if (s.sse < best.sse) best = s;
    }
  }
  if (!std::isfinite(best.sse)) {
    return absl::FailedPreconditionError("the USL fit did not converge on these points");
  }
  const Params est = Snap(best.params, n_max);

  UslFit fit;
  fit.sigma = est.sigma;
  fit.kappa = est.kappa;
  fit.lambda = est.lambda;
  fit.n_star_infinite = est.kappa == 0;
  fit.n_star = NStar(est);
  fit.x_max = XMax(est);
  fit.seed = options.seed;
  std::vector<double> fitted;
  double mean = 0;
  for (double v : x) mean += v / static_cast<double>(x.size());
  double sse = 0;
  double sst = 0;
  for (size_t i = 0; i < n.size(); ++i) {
    fitted.push_back(UslThroughput(est.sigma, est.kappa, est.lambda, n[i]));
    fit.residuals.push_back(x[i] - fitted.back());
    sse += fit.residuals.back() * fit.residuals.back();
    sst += (x[i] - mean) * (x[i] - mean);
  }
  fit.r_squared = sst > 0 ? 1 - sse / sst : 1;
  if (fit.n_star_infinite) {
    fit.limited_by = est.sigma > 0 ? UslLimit::kContention : UslLimit::kNone;
  } else {
    fit.limited_by =
        est.sigma >= est.kappa * fit.n_star ? UslLimit::kContention : UslLimit::kCoherency;
  }

  // Residual bootstrap: the fitted curve plus residuals drawn with
  // replacement, refitted from the estimate. A fitted residual is smaller
  // than its error by sqrt(1 - h_i) (h_i its point's leverage; the fit
  // absorbed p = 3 degrees of freedom, most of them at the ends of the N
  // range, which is where sigma and kappa are decided), so with 6-12 points
  // raw residuals make the intervals too narrow. They are divided by
  // sqrt(1 - h_i) and centred first (Davison and Hinkley, Bootstrap
  // Methods, 6.2.3, the fit linearised at the estimate); when the leverages
  // cannot be computed, all are scaled by sqrt(n / (n - p)) instead.
  // tests/controller/capacity/usl_fit_test.cc checks the coverage over 200
  // noise seeds.
  const double count = static_cast<double>(n.size());
  const std::vector<double> leverage = Leverages(n, est);
  std::vector<double> errors;
  double errors_mean = 0;
  for (size_t i = 0; i < n.size(); ++i) {
    const double scale = leverage.empty() ? std::sqrt(count / (count - 3))
                                          : 1 / std::sqrt(std::max(1 - leverage[i], 0.05));
    errors.push_back(fit.residuals[i] * scale);
    errors_mean += errors.back() / count;
  }
  // The resamples' spread stands in for the estimate's, as a normal
  // interval would; with n - p residual degrees of freedom the variance is
  // itself uncertain (9 for 12 points), which Student's t accounts for and
  // the plain percentile interval does not (it covered ~91% at 95%). The
  // errors are scaled by t(n - p) / z at the interval's level, so that in
  // the linear Gaussian case the interval is the t interval.
  const double tail = (1 + options.level) / 2;
  const double widen =
      gsl_cdf_tdist_Pinv(tail, count - 3) / gsl_cdf_ugaussian_Pinv(tail);
  for (double& e : errors) e = (e - errors_mean) * widen;
  std::vector<double> sigmas, kappas, lambdas, n_stars, x_maxes;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<size_t> pick(0, n.size() - 1);
  std::vector<double> resampled(n.size());
  for (int b = 0; b < options.resamples; ++b) {
    for (size_t i = 0; i < n.size(); ++i) {
      resampled[i] = std::max(0.0, fitted[i] + errors[pick(rng)]);
    }
    const Solution s = Solve(n, resampled, est);
    if (!std::isfinite(s.sse)) continue;
    const Params q = Snap(s.params, n_max);
    sigmas.push_back(q.sigma);
    kappas.push_back(q.kappa);
    lambdas.push_back(q.lambda);
    n_stars.push_back(NStar(q));
    x_maxes.push_back(XMax(q));
  }
  fit.resamples = static_cast<int>(sigmas.size());
  if (sigmas.empty()) {
    fit.sigma_ci = {fit.sigma, fit.sigma};
    fit.kappa_ci = {fit.kappa, fit.kappa};
    fit.lambda_ci = {fit.lambda, fit.lambda};
    fit.n_star_ci = {fit.n_star, fit.n_star};
    fit.x_max_ci = {fit.x_max, fit.x_max};
  } else {
    fit.sigma_ci = Interval(sigmas, options.level);
    fit.kappa_ci = Interval(kappas, options.level);
    fit.lambda_ci = Interval(lambdas, options.level);
    fit.n_star_ci = Interval(n_stars, options.level);
    fit.x_max_ci = Interval(x_maxes, options.level);
  }
  return fit;
}

std::string UslFit::Describe() const {
  std::string out = absl::StrFormat(
      "sigma %s [%s, %s], kappa %s [%s, %s], lambda %s/s [%s, %s]; ", Number(sigma),
      Number(sigma_ci.lo), Number(sigma_ci.hi), Number(kappa), Number(kappa_ci.lo),
      Number(kappa_ci.hi), Number(lambda), Number(lambda_ci.lo), Number(lambda_ci.hi));
  if (n_star_infinite) {
    out += "N* infinite (kappa = 0: no retrograde scaling observed), X max ";
    out += std::isinf(x_max) ? "unbounded" : Number(x_max) + "/s";
  } else {
    out += absl::StrFormat("N* %s [%s, %s], X max %s/s [%s, %s]", Number(n_star),
                           Number(n_star_ci.lo), Number(n_star_ci.hi), Number(x_max),
                           Number(x_max_ci.lo), Number(x_max_ci.hi));
  }
  out += absl::StrFormat("; R^2 %.3f", r_squared);
  if (limited_by != UslLimit::kNone) {
    out += absl::StrFormat(": %s-limited", UslLimitName(limited_by));
  } else {
    out += ": linear scaling";
  }
  return out;
}

}  // namespace barrage
