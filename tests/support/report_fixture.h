// Copyright 2026 The Barrage Authors.
//
// A seeded, self-consistent result JSON with a time series, for the report
// renderers' tests and benchmarks (the HTML report's unit, Chromium and
// benchmark tests): `seconds` 1 s intervals of `requests` requests, ok
// latencies drawn from a lognormal (median 20 ms, slower in the error
// burst), a 503 burst, two agents, stages, thresholds and events. Totals,
// outcomes, per-request latency_ms and the series all come from the same
// draws, so a renderer's numbers can be checked against the JSON's.
// Deterministic for a given options value. Pure function.
#ifndef BARRAGE_TESTS_SUPPORT_REPORT_FIXTURE_H_
#define BARRAGE_TESTS_SUPPORT_REPORT_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace barrage::testing {

struct ReportFixtureOptions {
  int requests = 3;
  int seconds = 60;
  uint64_t seed = 1;
  // Ok samples drawn per request per second in the first stage (the second
  // stage, from stage_s[0] on, draws twice as many).
  int samples_per_second = 20;
  std::vector<double> stage_s = {30, 30};  // the stages' durations, s
  // Every request answers 503 for this share of its results in
  // [burst_from_s, burst_to_s); none outside it.
  double burst_from_s = 40;
  double burst_to_s = 45;
  double burst_error_share = 0.5;
  // The first request's name (the others are "r1", "r2", ...).
  std::string first_request = "home";
  std::string status = "failed";  // passed, failed, aborted or error
  bool with_series = true;
};

std::string ReportFixtureJson(const ReportFixtureOptions& options);

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_REPORT_FIXTURE_H_
