// Copyright 2026 The Barrage Authors.
//
// The analyses after a capacity search, wired to a search of a fake
// service: the USL, the projection and baseline flags, the bottleneck.

#include "controller/capacity/capacity_analysis.h"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/exit_codes.h"
#include "controller/capacity/capacity_output.h"
#include "controller/cli/commands.h"
#include "tests/support/fake_clock.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

// A service of known capacity (median 10 ms at or below it, 300 ms above:
// SLO p95<50ms). Rate steps achieve their load; VU steps achieve the USL's
// X(N) for sigma 0.05, kappa 0.001 and `lambda` (500/s), their median
// response time at or below capacity the VU's cycle N / X less
// `think_ms` (closed loop). With `cpu`, the series has a monitor query
// "cpu" at load / 1000.
class FakeRunner final : public StepRunner {
 public:
  FakeRunner(testing::FakeClock& clock, int64_t capacity) : clock_(clock), capacity_(capacity) {}
  bool cpu = false;
  double lambda = 500;
  double think_ms = 0;

  absl::StatusOr<StepRun> Run(const StepLoad& load) override {
    ++runs_;
    clock_.Advance(10'000'000'000);
    const double n = static_cast<double>(load.load);
    testing::SyntheticRunOptions o;
    o.seed = runs_;
    o.duration_s = 10;
    const bool vus = load.model == LoadModel::kVus;
    o.rate_rps = vus ? UslThroughput(0.05, 0.001, lambda, n) : n;
    o.median_ms = load.load > capacity_ ? 300 : vus ? 1000 * n / o.rate_rps - think_ms : 10;
    StepEvidence e;
    e.measured = testing::SyntheticSeries(o);
    if (cpu) e.measured.monitor = {"cpu"};
    for (SeriesInterval& in : e.measured.intervals) {
      in.offered_rps = load.model == LoadModel::kRate ? in.achieved_rps : 0;
      in.vus = load.model == LoadModel::kVus ? load.load : 0;
      if (cpu) in.monitor = {MonitorCell{n / 1000, 1}};
    }
    e.agents.push_back({"a1"});
    e.agents[0].achieved_rps = o.rate_rps;
    return StepRun{absl::StrCat("r-", runs_), std::move(e)};
  }

 private:
  testing::FakeClock& clock_;
  const int64_t capacity_;
  int runs_ = 0;
};

Slo P95Under50() {
  Slo slo;
  slo.limits.push_back({SloMetric::kP95, 50'000});
  slo.text = "p95<50ms";
  return slo;
}

CapacityResult Search(LoadModel model, int64_t start, int64_t max, int64_t capacity,
                      bool cpu = false, double think_ms = 0, double lambda = 500) {
  testing::FakeClock clock;
  FakeRunner runner(clock, capacity);
  runner.cpu = cpu;
  runner.think_ms = think_ms;
  runner.lambda = lambda;
  SearchOptions o;
  o.model = model;
  o.start = start;
  o.max = max;
  o.run_estimate = absl::Seconds(10);
  o.deadline = absl::Hours(1);
  absl::StatusOr<CapacityResult> r =
      SearchCapacity(o, P95Under50(), runner, clock, [](const StepRecord&) {});
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("the USL is fitted to VU steps and written to the text and the JSON") {
  const CapacityResult r = Search(LoadModel::kVus, 1, 1000, 40);
  const std::vector<UslPoint> points = UslPointsOf(r);
  REQUIRE(points.size() == r.steps.size());
  CHECK(points.size() >= kUslMinPoints);
  for (size_t i = 0; i < points.size(); ++i) {
    // No think time: X * R is the VUs (its excess from interval edges capped).
    CHECK(points[i].n == static_cast<double>(r.steps[i].load));
    CHECK(points[i].x == r.steps[i].judgement.achieved_rps);
  }
  CapacityAnalysisOptions options;
  options.usl.resamples = 50;
  const CapacityHooks hooks = AnalyseCapacity(r, P95Under50(), options);
  const std::string json = CapacityJson(r, P95Under50(), hooks);
  CHECK_THAT(json, ContainsSubstring("\"usl\":{\"sigma\":"));
  for (const char* key : {"\"kappa\":", "\"lambda\":", "\"n_star\":", "\"x_max\":",
                          "\"intervals\":{\"sigma\":[", "\"residuals\":[", "\"r2\":"}) {
    CHECK_THAT(json, ContainsSubstring(key));
  }
  CHECK((absl::StrContains(json, "\"limited_by\":\"contention\"") ||
         absl::StrContains(json, "\"limited_by\":\"coherency\"")));
  CHECK_FALSE(absl::StrContains(json, "\"projection\""));
  CHECK_FALSE(absl::StrContains(json, "\"baseline\""));
  CHECK_FALSE(absl::StrContains(json, "\"bottleneck\""));
  const std::string text = CapacityText(r, P95Under50(), hooks);
  CHECK_THAT(text, ContainsSubstring("\nUSL: sigma "));
  CHECK_THAT(text, ContainsSubstring("R^2"));
}

TEST_CASE("VU steps with think time: the service's concurrency is X * R, below the VUs") {
  // 10 ms of think per 20-100 ms cycle: a VU is outstanding only while it waits.
  const CapacityResult r = Search(LoadModel::kVus, 1, 64, 40, false, /*think_ms=*/10, 50);
  const std::vector<UslPoint> points = UslPointsOf(r);
  REQUIRE(points.size() == r.steps.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const StepJudgement& j = r.steps[i].judgement;
    CHECK(points[i].n < static_cast<double>(r.steps[i].load));
    CHECK(std::abs(points[i].n - j.achieved_rps * j.mean_ms / 1000) < 1e-9 * points[i].n);
  }
}

TEST_CASE("rate steps' concurrency is Little's law's X * R") {
  const CapacityResult r = Search(LoadModel::kRate, 100, 1000, 1000);
  const std::vector<UslPoint> points = UslPointsOf(r);
  REQUIRE(points.size() == r.steps.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const StepJudgement& j = r.steps[i].judgement;
    CHECK(j.mean_ms > 5);
    CHECK(std::abs(points[i].n - j.achieved_rps * j.mean_ms / 1000) < 1e-9 * points[i].n);
  }
}

TEST_CASE("fewer than 6 load levels: the USL is an error, not a crash") {
  const CapacityResult r = Search(LoadModel::kRate, 100, 200, 1000);  // 100, 200: --max
  REQUIRE(r.steps.size() == 2);
  const CapacityHooks hooks = AnalyseCapacity(r, P95Under50(), {});
  CHECK_THAT(CapacityJson(r, P95Under50(), hooks),
             ContainsSubstring(
                 "\"usl\":{\"error\":\"the USL needs at least 6 load levels; have 2 (a lower "
                 "--start adds levels below the knee)\"}"));
  CHECK_THAT(CapacityText(r, P95Under50(), hooks),
             ContainsSubstring("USL: not fitted: the USL needs at least 6 load levels; have 2 "
                               "(a lower --start adds levels below the knee)\n"));
}

TEST_CASE("the growth flags project the headroom; --baseline checks k x baseline") {
  const CapacityResult r = Search(LoadModel::kRate, 100, 1000, 1000);  // capacity 1000
  REQUIRE(r.found);
  CapacityAnalysisOptions options;
  options.usl.resamples = 0;
  options.monthly_growth = 0.08;
  options.peak_rps = 500.0 / 60;
  options.baseline_rps = 200.0 / 60;
  options.baseline_factor = 10;
  const CapacityHooks hooks = AnalyseCapacity(r, P95Under50(), options);
  const std::string json = CapacityJson(r, P95Under50(), hooks);
  // ln(1000 / 8.33) / ln(1.08) = 62.2 months.
  const double months = std::log(1000 / (500.0 / 60)) / std::log(1.08);
  CHECK_THAT(json, ContainsSubstring(absl::StrCat("\"projection\":{\"months\":",
                                                  absl::StrFormat("%.2f", std::floor(months * 100) / 100))));
  CHECK_THAT(json, ContainsSubstring("\"growth_per_month\":0.08,"));
  CHECK_THAT(json, ContainsSubstring("\"baseline\":{\"verdict\":\"yes\",\"baseline_rps\":3.33333"));
  CHECK_THAT(json, ContainsSubstring("\"factor\":10,"));
  const std::string text = CapacityText(r, P95Under50(), hooks);
  CHECK_THAT(text, ContainsSubstring("projection: headroom runs out in 62.2 months"));
  CHECK_THAT(text, ContainsSubstring("baseline: 10x baseline is 33.3/s"));

  // No capacity: both say so.
  const CapacityResult none = Search(LoadModel::kRate, 100, 1000, 50);
  REQUIRE_FALSE(none.found);
  const std::string none_json = CapacityJson(none, P95Under50(),
                                             AnalyseCapacity(none, P95Under50(), options));
  CHECK_THAT(none_json, ContainsSubstring("\"projection\":{\"error\":\"no capacity was found\"}"));
  CHECK_THAT(none_json, ContainsSubstring("\"baseline\":{\"error\":\"no capacity was found\"}"));
}

TEST_CASE("the bottleneck at the knee comes from the steps' monitor means") {
  CapacityAnalysisOptions options;
  options.usl.resamples = 0;
  options.monitors = {{"cpu", 0.8}};
  const CapacityResult r = Search(LoadModel::kRate, 100, 10000, 1000, /*cpu=*/true);
  REQUIRE(std::abs(r.steps[0].judgement.monitor_means.at("cpu") - 0.1) < 1e-9);
  CapacityHooks hooks = AnalyseCapacity(r, P95Under50(), options);
  std::string json = CapacityJson(r, P95Under50(), hooks);
  CHECK_THAT(json, ContainsSubstring("\"bottleneck\":{\"knee_rps\":1012,\"resource\":\"cpu\""));
  CHECK_THAT(CapacityText(r, P95Under50(), hooks), ContainsSubstring("bottleneck: p95 rose past the SLO at "));
  CHECK_THAT(CapacityText(r, P95Under50(), hooks), ContainsSubstring(": cpu-bound\n"));

  // Monitor queries but no samples: look elsewhere.
  const CapacityResult bare = Search(LoadModel::kRate, 100, 10000, 1000);
  hooks = AnalyseCapacity(bare, P95Under50(), options);
  json = CapacityJson(bare, P95Under50(), hooks);
  CHECK_THAT(json, ContainsSubstring("\"resource\":null"));
  CHECK_THAT(json, ContainsSubstring("no monitored resource saturated: look elsewhere"));

  // No monitor queries: no bottleneck at all.
  options.monitors.clear();
  hooks = AnalyseCapacity(bare, P95Under50(), options);
  CHECK_FALSE(absl::StrContains(CapacityJson(bare, P95Under50(), hooks), "\"bottleneck\""));
  CHECK_FALSE(absl::StrContains(CapacityText(bare, P95Under50(), hooks), "bottleneck"));
}

struct Result {
  int code;
  std::string err;
};
Result Cli(std::vector<std::string> args) {
  args.insert(args.begin(), {"barrage", "capacity", "s.yaml", "--slo", "p95<50ms"});
  std::ostringstream out, err;
  const int code = RunCli(args, out, err);
  return {code, err.str()};
}

TEST_CASE("the projection and baseline flags' errors exit 2 naming the flag") {
  Result r = Cli({"--growth", "8%/month"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("give --growth and --peak together"));
  r = Cli({"--peak", "500/min"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("give --growth and --peak together"));
  r = Cli({"--growth", "lots", "--peak", "500/min"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage capacity: --growth: "));
  r = Cli({"--growth", "8%/month", "--peak", "fast"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage capacity: --peak: "));
  r = Cli({"--baseline", "200"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage capacity: --baseline: "));
  r = Cli({"--baseline", "200/min", "--times", "0"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--times: '0' is not a number > 0"));
  r = Cli({"--times", "5"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--times needs --baseline"));
}

}  // namespace
}  // namespace barrage
