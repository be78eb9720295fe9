// Copyright 2026 The Barrage Authors.
//
// Warm-up stages (Stage::warmup) in the merger: their reports reach the
// time series (marked) and the agents' totals, never the whole-run views or
// the windows that thresholds judge.

#include <catch2/catch_test_macros.hpp>

#include "common/stats/histogram_codec.h"
#include "controller/run/run_merger.h"
#include "controller/run/thresholds.h"

namespace barrage {
namespace {

// 3 s of warm-up, then 5 s measured, one request "a"; p95 < 100 ms over the
// run and over 2 s windows.
Scenario WarmupThenLoad() {
  Scenario s;
  s.name = "w";
  RequestSpec r;
  r.name = "a";
  s.requests.push_back(r);
  Stage warm;
  warm.duration = absl::Seconds(3);
  warm.rate_from = warm.rate_to = Rational::FromInt(10);
  warm.warmup = true;
  Stage load = warm;
  load.duration = absl::Seconds(5);
  load.warmup = false;
  s.stages = {warm, load};
  return s;
}

Threshold P95Below100ms(bool whole_run) {
  Threshold t;
  t.metric = ThresholdMetric::kP95;
  t.limit = 100'000;
  t.whole_run = whole_run;
  t.window = absl::Seconds(2);
  return t;
}

v1::StatsReport Interval(uint64_t seq, int64_t k, uint64_t ok, uint64_t latency_us) {
  v1::StatsReport r;
  r.set_agent_id("a1");
  r.set_run_id("r-1");
  r.set_seq(seq);
  r.set_interval_start_ns(k * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  Histogram h;
  h.RecordN(latency_us, ok);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("a");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
  v1::StatusCount* st = r.add_statuses();
  st->set_request("a");
  st->set_status(200);
  st->set_count(ok);
  return r;
}

TEST_CASE("a slow warm-up does not fail a p95 threshold, whole-run or windowed") {
  RunMerger m("r-1", WarmupThenLoad());
  uint64_t seq = 1;
  // Warm-up: 900 ms responses (cold caches); then 10 ms.
  for (int64_t k = 0; k < 3; ++k) REQUIRE(m.Apply(Interval(seq++, k, 10, 900'000)).ok());
  for (int64_t k = 3; k < 8; ++k) REQUIRE(m.Apply(Interval(seq++, k, 10, 10'000)).ok());
  m.CloseIntervals(8'000'000'000, {"a1"}, 0, /*all=*/true);

  const MetricView run = m.RunView(kAllRequests, 8);
  CHECK(run.requests == 50);
  CHECK(run.seconds == 5);  // the warm-up's 3 s are out of the rate too
  CHECK(run.responses.max_us() < 100'000);
  const ThresholdResult whole = EvaluateThreshold(P95Below100ms(true), run);
  CHECK(whole.passed);

  SECTION("a window reaching back into the warm-up skips it") {
    const MetricView w = m.Window(kAllRequests, 8);
    CHECK(w.requests == 50);
    CHECK(w.seconds == 5);
    CHECK(EvaluateThreshold(P95Below100ms(false), w).passed);
  }
  SECTION("the same data without warm-up fails") {
    Scenario s = WarmupThenLoad();
    s.stages[0].warmup = false;
    RunMerger plain("r-1", s);
    uint64_t n = 1;
    for (int64_t k = 0; k < 3; ++k) REQUIRE(plain.Apply(Interval(n++, k, 10, 900'000)).ok());
    for (int64_t k = 3; k < 8; ++k) REQUIRE(plain.Apply(Interval(n++, k, 10, 10'000)).ok());
    CHECK_FALSE(EvaluateThreshold(P95Below100ms(true), plain.RunView(kAllRequests, 8)).passed);
  }
  SECTION("the series keeps the warm-up, marked; the agent's totals count it") {
    const RunSeries& series = m.series().series();
    REQUIRE(series.intervals.size() == 8);
    for (size_t i = 0; i < 8; ++i) CHECK(series.intervals[i].warmup == (i < 3));
    CHECK(series.intervals[0].Requests() == 10);
    CHECK(m.agents().at("a1").requests == 80);
    CHECK(m.Statuses(kAllRequests).at(200) == 50);
    CHECK(m.requests_by_interval().size() == 8);
    CHECK(m.WarmupSeconds(8) == 3);
    CHECK(m.WarmupSeconds(2) == 2);
  }
}

}  // namespace
}  // namespace barrage
