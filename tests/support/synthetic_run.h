// Copyright 2026 The Barrage Authors.
//
// A seeded synthetic run: the full result JSON (README "Result JSON",
// including "exit_code", "fingerprint" and "series" via WriteSeriesJson)
// of `duration_s` 1 s intervals at `rate_rps`, for tests and benchmarks of
// everything that reads results (compare, trend, reports). Each interval
// has Poisson(rate_rps) results spread over the requests by their weights
// (equal); a result is an error (http_error, status 503) with probability
// `error_rate`, else ok (status 200) with a response time drawn from the
// lognormal(median_ms, sigma) or, when `shape` is set, from
// testing::Samples(shape) (sample_distributions.h), times `shift`.
// With `flows`, each interval also has Poisson(flow_rate_rps) iterations
// per flow (from their own seeded stream, so the requests stay as they
// would be without flows), each failed at step "FLOW.pay" with probability
// `flow_failure_rate`, else succeeded with a lognormal(flow_median_ms, sigma)
// duration (and that plus 500 ms of think time); the JSON gets "flows"
// (README "Result JSON") with steps "FLOW.login" and "FLOW.pay" (not among
// the requests) and the series their FlowIntervals.
// The same options give the same JSON, byte for byte.
#ifndef BARRAGE_TESTS_SUPPORT_SYNTHETIC_RUN_H_
#define BARRAGE_TESTS_SUPPORT_SYNTHETIC_RUN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/report/time_series.h"
#include "tests/support/sample_distributions.h"

namespace barrage::testing {

struct SyntheticRunOptions {
  uint64_t seed = 1;
  std::string run_id = "synthetic";
  int duration_s = 60;     // number of 1 s intervals
  double rate_rps = 100;   // mean results per second, all requests together
  std::vector<std::string> requests = {"get"};
  double median_ms = 20;   // lognormal median of the ok response times
  double sigma = 0.3;      // lognormal shape (of the log)
  std::optional<Shape> shape;  // when set, draw from Samples(shape) instead
  double shift = 1.0;      // multiplies every response time
  // The first `warmup_s` intervals are warm-up (SeriesInterval::warmup),
  // their response times multiplied by `warmup_shift` as well.
  int warmup_s = 0;
  double warmup_shift = 1.0;
  double error_rate = 0;   // probability that a result is an http_error
  int digits = 3;          // significant digits of the interval histograms
  bool fingerprint = true;
  std::string scenario_sha256 = "5ce7a1";
  std::string load_sha256 = "10ad";
  std::string target = "http://127.0.0.1:8080";
  std::vector<std::string> flows;  // none by default
  double flow_rate_rps = 10;       // mean iterations per second, per flow
  double flow_median_ms = 200;
  double flow_failure_rate = 0;
};

RunSeries SyntheticSeries(const SyntheticRunOptions& options);
std::string SyntheticRunJson(const SyntheticRunOptions& options);

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_SYNTHETIC_RUN_H_
