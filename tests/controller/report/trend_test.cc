// Copyright 2026 The Barrage Authors.

#include "controller/report/trend.h"

#include <cmath>
#include <random>
#include <string>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

// Run-to-run noise of a latency percentile: lognormal, sigma 3% (what
// repeated short runs against one service show).
constexpr double kNoise = 0.03;

// `levels[i]` times the noise, per metric; newest first, as the store lists.
std::vector<TrendRun> History(const std::vector<double>& levels_ms, uint64_t seed,
                              double error_rate = 0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, kNoise);
  std::vector<TrendRun> oldest_first;
  for (size_t i = 0; i < levels_ms.size(); ++i) {
    TrendRun r;
    r.run_id = absl::StrCat("r-", i);
    r.started_at = absl::StrCat("2026-01-01T00:", i < 10 ? "0" : "", i, ":00Z");
    r.status = "passed";
    r.p50_ms = levels_ms[i] * std::exp(noise(rng));
    r.p95_ms = 2 * levels_ms[i] * std::exp(noise(rng));
    r.p99_ms = 3 * levels_ms[i] * std::exp(noise(rng));
    r.error_rate = error_rate;
    oldest_first.push_back(r);
  }
  return {oldest_first.rbegin(), oldest_first.rend()};
}

std::vector<double> Steps(size_t n, const std::vector<std::pair<size_t, double>>& steps) {
  std::vector<double> levels(n, 10.0);
  for (const auto& [at, level] : steps) {
    for (size_t i = at; i < n; ++i) levels[i] = level;
  }
  return levels;
}

TEST_CASE("a step in a noisy sequence is found within one run of where it begins, across seeds") {
  int extra = 0;  // seeds with more splits than the step
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0, kNoise);
    std::vector<double> x;
    for (size_t i = 0; i < 20; ++i) x.push_back(std::log(i < 12 ? 10.0 : 11.5) + noise(rng));
    ChangePointOptions o;
    o.seed = seed;
    const std::vector<size_t> found = EDivisive(x, o);
    // E-divisive alone may add a split of the noise (each segment is tested
    // at 5%); AnalyzeTrend's minimum effect removes those (below).
    size_t near = 0;
    for (size_t at : found) near += at >= 11 && at <= 13 ? 1 : 0;
    CHECK(near == 1);
    if (found.size() > 1) ++extra;
  }
  CHECK(extra <= 4);
}

TEST_CASE("the trend names the run where a latency step begins") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    TrendOptions o;
    o.change_points.seed = seed;
    const TrendReport r = AnalyzeTrend(History(Steps(16, {{10, 13.0}}), seed), o);
    REQUIRE(r.enough_runs);
    REQUIRE(r.runs.size() == 16);
    CHECK(r.runs.front().run_id == "r-0");  // oldest first
    REQUIRE(r.changes.size() == 3);        // p50, p95, p99; the error rate did not move
    for (const TrendChange& c : r.changes) {
      CAPTURE(TrendMetricName(c.metric));
      CHECK(c.index >= 9);
      CHECK(c.index <= 11);
      CHECK(c.run_id == r.runs[c.index].run_id);
      CHECK(c.after / c.before > 1.2);
      CHECK(c.p_value < 0.05);
    }
    const std::vector<TrendPoint> points = TrendPoints(r);
    REQUIRE(points.size() == 16);
    for (size_t i = 0; i < points.size(); ++i) {
      bool flagged = false;
      for (const TrendChange& c : r.changes) flagged = flagged || c.index == i;
      CHECK(points[i].change_point == flagged);
    }
  }
}

TEST_CASE("stationary histories flag no change in at least 95 of 100 seeds") {
  int quiet = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    TrendOptions o;
    o.change_points.seed = seed;
    const TrendReport r = AnalyzeTrend(History(Steps(30, {}), 1000 + seed), o);
    REQUIRE(r.enough_runs);
    if (r.changes.empty()) ++quiet;
  }
  INFO("histories with no change flagged: " << quiet << " of 100");
  CHECK(quiet >= 95);
}

TEST_CASE("two changes in one history are both found") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    TrendOptions o;
    o.change_points.seed = seed;
    const TrendReport r = AnalyzeTrend(History(Steps(30, {{10, 14.0}, {20, 8.0}}), seed), o);
    std::vector<size_t> p95;
    for (const TrendChange& c : r.changes) {
      if (c.metric == TrendMetric::kP95) p95.push_back(c.index);
    }
    REQUIRE(p95.size() == 2);
    CHECK(p95[0] >= 9);
    CHECK(p95[0] <= 11);
    CHECK(p95[1] >= 19);
    CHECK(p95[1] <= 21);
  }
}

TEST_CASE("fewer than 6 runs are not enough to look for changes") {
  TrendOptions o;
  TrendReport r = AnalyzeTrend(History(Steps(5, {{3, 30.0}}), 7), o);
  CHECK_FALSE(r.enough_runs);
  CHECK(r.runs.size() == 5);
  CHECK(r.changes.empty());
  r = AnalyzeTrend(History(Steps(6, {}), 7), o);
  CHECK(r.enough_runs);
}

TEST_CASE("runs that did not finish are skipped and counted; --last counts used runs") {
  std::vector<TrendRun> history = History(Steps(10, {}), 3);  // newest first: r-9 .. r-0
  history[1].status = "aborted";                             // r-8
  history[2].status = "error";                               // r-7
  history[4].status = "interrupted";                         // r-5
  history[8].status = "running";                             // r-1: older than the last 4 used
  TrendOptions o;
  o.last = 4;
  const TrendReport r = AnalyzeTrend(history, o);
  REQUIRE(r.runs.size() == 4);
  CHECK(r.runs[0].run_id == "r-3");
  CHECK(r.runs[1].run_id == "r-4");
  CHECK(r.runs[2].run_id == "r-6");
  CHECK(r.runs[3].run_id == "r-9");
  CHECK(r.skipped == 3);
  history[0].status = "failed";  // a failed run is a measurement too
  o.last = 30;
  const TrendReport all = AnalyzeTrend(history, o);
  CHECK(all.runs.size() == 6);
  CHECK(all.skipped == 4);
}

TEST_CASE("an error-rate change counts from half a percentage point") {
  auto with_errors = [](double before, double after) {
    std::vector<TrendRun> h = History(Steps(12, {}), 11);
    for (size_t i = 0; i < h.size(); ++i) h[i].error_rate = i < 6 ? after : before;  // newest first
    return AnalyzeTrend(h, TrendOptions());
  };
  auto error_changes = [](const TrendReport& r) {
    std::vector<TrendChange> out;
    for (const TrendChange& c : r.changes) {
      if (c.metric == TrendMetric::kErrorRate) out.push_back(c);
    }
    return out;
  };
  SECTION("0.3 points: not flagged") { CHECK(error_changes(with_errors(0.001, 0.004)).empty()); }
  SECTION("1 point: flagged at the first run with it") {
    const std::vector<TrendChange> c = error_changes(with_errors(0.001, 0.011));
    REQUIRE(c.size() == 1);
    CHECK(c[0].run_id == "r-6");
    CHECK(std::fabs(c[0].before - 0.001) < 1e-12);
    CHECK(std::fabs(c[0].after - 0.011) < 1e-12);
  }
}

TEST_CASE("a small latency shift under 5% is never flagged, however clean") {
  std::vector<TrendRun> h = History(Steps(20, {{10, 10.3}}), 5);
  for (TrendRun& r : h) {  // no noise at all: a perfectly clean 3% step
    const double level = std::stoi(r.run_id.substr(2)) >= 10 ? 10.3 : 10.0;
    r.p50_ms = level;
    r.p95_ms = 2 * level;
    r.p99_ms = 3 * level;
  }
  CHECK(AnalyzeTrend(h, TrendOptions()).changes.empty());
}

TEST_CASE("the same history and seed give the same changes") {
  const std::vector<TrendRun> h = History(Steps(25, {{8, 12.0}}), 99);
  const TrendReport a = AnalyzeTrend(h, TrendOptions());
  const TrendReport b = AnalyzeTrend(h, TrendOptions());
  REQUIRE(a.changes.size() == b.changes.size());
  for (size_t i = 0; i < a.changes.size(); ++i) {
    CHECK(a.changes[i].index == b.changes[i].index);
    CHECK(a.changes[i].p_value == b.changes[i].p_value);
  }
}

}  // namespace
}  // namespace barrage
