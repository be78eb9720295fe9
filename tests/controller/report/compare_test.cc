// Copyright 2026 The Barrage Authors.

#include "controller/report/compare.h"

#include <string>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/match.h"
#include "common/util/json_writer.h"
#include "controller/report/compare_render.h"
#include "controller/report/result_doc.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using testing::SyntheticRunJson;
using testing::SyntheticRunOptions;
using testing::SyntheticSeries;

SyntheticRunOptions Run(uint64_t seed, double shift = 1.0) {
  SyntheticRunOptions o;
  o.seed = seed;
  o.rate_rps = 200;
  o.median_ms = 50;
  o.shift = shift;
  o.run_id = "run-" + std::to_string(seed);
  return o;
}

CompareOptions Fast() {
  CompareOptions o;
  o.resamples = 300;
  return o;
}

const MetricComparison& Find(const CompareReport& r, CompareMetric m,
                             const std::string& request = "") {
  for (const MetricComparison& c : r.metrics) {
    if (c.metric == m && c.request == request) return c;
  }
  FAIL("no metric " << CompareMetricName(m) << " for '" << request << "'");
  return r.metrics.front();
}

TEST_CASE("two runs of the same configuration compare SAME") {
  absl::StatusOr<CompareReport> r =
      Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(Run(2)), Fast());
  REQUIRE(r.ok());
  INFO(CompareText(*r));
  CHECK(r->verdict == Verdict::kSame);
  CHECK(CompareExitCode(*r) == 0);
  CHECK(r->metrics.size() == 5);  // one request: overall only
  CHECK(r->baseline_run == "run-1");
  CHECK(r->baseline_s == 60);
  for (const MetricComparison& m : r->metrics) {
    INFO(CompareMetricName(m.metric));
    CHECK(m.lo <= m.change);
    CHECK(m.change <= m.hi);
  }
}

TEST_CASE("a 30% slower run is REGRESSED, a 30% faster one IMPROVED") {
  absl::StatusOr<CompareReport> slow =
      Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(Run(2, 1.3)), Fast());
  REQUIRE(slow.ok());
  CHECK(slow->verdict == Verdict::kRegressed);
  CHECK(CompareExitCode(*slow) == 99);
  const MetricComparison& p95 = Find(*slow, CompareMetric::kP95);
  CHECK(p95.verdict == Verdict::kRegressed);
  CHECK(p95.change > 0.25);
  CHECK(p95.change < 0.35);
  CHECK(p95.lo > 0.05);
  CHECK(Find(*slow, CompareMetric::kErrorRate).verdict == Verdict::kSame);

  absl::StatusOr<CompareReport> fast =
      Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(Run(2, 1 / 1.3)), Fast());
  REQUIRE(fast.ok());
  CHECK(Find(*fast, CompareMetric::kP95).verdict == Verdict::kImproved);
  CHECK(fast->verdict == Verdict::kImproved);
  CHECK(CompareExitCode(*fast) == 0);
}

TEST_CASE("more errors and a lower rate are worse") {
  SyntheticRunOptions errs = Run(2);
  errs.error_rate = 0.05;
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(errs), Fast());
  REQUIRE(r.ok());
  const MetricComparison& e = Find(*r, CompareMetric::kErrorRate);
  CHECK(e.verdict == Verdict::kRegressed);
  CHECK(e.change > 4);  // percentage points
  CHECK(e.change < 6);

  SyntheticRunOptions slow = Run(2);
  slow.rate_rps = 150;
  CompareOptions force = Fast();
  force.force = true;  // the stages differ (target_rps)
  r = Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(slow), force);
  REQUIRE(r.ok());
  const MetricComparison& rate = Find(*r, CompareMetric::kRate);
  CHECK(rate.verdict == Verdict::kRegressed);
  CHECK(rate.change < -0.2);
  CHECK(rate.hi < 0);
}

TEST_CASE("a short run with a small shift is INCONCLUSIVE and says how long would decide") {
  SyntheticRunOptions a = Run(1), b = Run(2, 1.06);
  a.duration_s = b.duration_s = 20;
  a.rate_rps = b.rate_rps = 20;
  CompareOptions o = Fast();
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(a), SyntheticRunJson(b), o);
  REQUIRE(r.ok());
  const MetricComparison& p95 = Find(*r, CompareMetric::kP95);
  CHECK(p95.verdict == Verdict::kInconclusive);
  CHECK(p95.needed_s > 20);
  CHECK(r->verdict == Verdict::kInconclusive);
  CHECK(CompareExitCode(*r) == kExitCompareInconclusive);
  CHECK(absl::StrContains(CompareText(*r), "s runs would decide it"));
}

TEST_CASE("the floor keeps sub-millisecond changes from counting") {
  SyntheticRunOptions a = Run(1), b = Run(2, 1.3);
  a.median_ms = b.median_ms = 0.2;  // 200 us: +30% is 60 us
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(a), SyntheticRunJson(b), Fast());
  REQUIRE(r.ok());
  CHECK(Find(*r, CompareMetric::kP50).tolerance > 1);  // 1 ms / 0.2 ms
  CHECK(r->verdict == Verdict::kSame);
  CompareOptions no_floor = Fast();
  no_floor.floor_us = 0;
  r = Compare(SyntheticRunJson(a), SyntheticRunJson(b), no_floor);
  REQUIRE(r.ok());
  CHECK(r->verdict == Verdict::kRegressed);
}

TEST_CASE("several requests are compared overall and one by one") {
  SyntheticRunOptions a = Run(1), b = Run(2, 1.3);
  a.requests = b.requests = {"home", "search"};
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(a), SyntheticRunJson(b), Fast());
  REQUIRE(r.ok());
  CHECK(r->metrics.size() == 15);
  CHECK(Find(*r, CompareMetric::kP95, "search").verdict == Verdict::kRegressed);
  const std::string text = CompareText(*r);
  CHECK(absl::StrContains(text, "\noverall\n"));
  CHECK(absl::StrContains(text, "\nrequest search\n"));
}

TEST_CASE("Holm judges the smallest p-value first at the strictest level and steps down") {
  // B = 1000; tolerance 0. Item 0: 15 resamples <= 0 (p 0.015); item 1: 20 (p 0.02).
  auto item = [](int at_or_below) {
    HolmItem h;
    for (int i = 0; i < 1000; ++i) h.worse.push_back(i < at_or_below ? -1.0 : 1.0 + i);
    return h;
  };
  SECTION("alone, p 0.015 is REGRESSED at 95%") {
    std::vector<HolmItem> one = {item(15)};
    HolmVerdicts(one, 0.95);
    CHECK(one[0].level == 0.95);
    CHECK(one[0].verdict == Verdict::kRegressed);
  }
  SECTION("with a second metric it is judged at 97.5% and fails; the step-down stops") {
    std::vector<HolmItem> two = {item(20), item(15)};
    HolmVerdicts(two, 0.95);
    CHECK(two[1].rank == 1);
    CHECK(two[1].level == 0.975);
    CHECK(two[1].p_value == 0.015);
    CHECK(two[1].verdict == Verdict::kInconclusive);
    CHECK(two[0].rank == 2);
    CHECK(two[0].level == 0.95);
    CHECK(two[0].verdict == Verdict::kInconclusive);  // its 95% interval clears 0, but Holm stopped
  }
  SECTION("both clear their levels: both REGRESSED") {
    std::vector<HolmItem> two = {item(20), item(5)};
    HolmVerdicts(two, 0.95);
    CHECK(two[0].verdict == Verdict::kRegressed);
    CHECK(two[1].verdict == Verdict::kRegressed);
  }
  SECTION("a report's levels follow its ranks") {
    absl::StatusOr<CompareReport> r =
        Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(Run(2, 1.1)), Fast());
    REQUIRE(r.ok());
    for (const MetricComparison& m : r->metrics) {
      CHECK(m.level == 1 - 0.05 / (6 - m.holm_rank));
    }
  }
}

TEST_CASE("runs that are not comparable are refused with every difference, or compared with --force") {
  SyntheticRunOptions b = Run(2);
  b.load_sha256 = "other";
  b.target = "http://127.0.0.1:9090";
  b.rate_rps = 100;
  b.requests = {"get", "post"};
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(b), Fast());
  REQUIRE(absl::IsFailedPrecondition(r.status()));
  const std::string message(r.status().message());
  CHECK(absl::StrContains(message, "--force"));
  CHECK(absl::StrContains(message, "target: http://127.0.0.1:8080 vs http://127.0.0.1:9090"));
  CHECK(absl::StrContains(message, "load_sha256"));
  CHECK(absl::StrContains(message, "stages[0].target_rps: 200 vs 100"));
  CHECK(absl::StrContains(message, "requests: get vs get,post"));
  CHECK_FALSE(absl::StrContains(message, "scenario_sha256"));

  CompareOptions force = Fast();
  force.force = true;
  r = Compare(SyntheticRunJson(Run(1)), SyntheticRunJson(b), force);
  REQUIRE(r.ok());
  CHECK(r->forced);
  CHECK(r->differences.size() == 4);
  CHECK(absl::StrContains(CompareText(*r), "FORCED"));
  CHECK(absl::StrContains(CompareMarkdown(*r), "**Forced:**"));
}

TEST_CASE("results without fingerprints are compared by stages and requests, with a note") {
  SyntheticRunOptions a = Run(1), b = Run(2);
  a.fingerprint = b.fingerprint = false;
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(a), SyntheticRunJson(b), Fast());
  REQUIRE(r.ok());
  REQUIRE(r->notes.size() == 1);
  CHECK(absl::StrContains(r->notes[0], "fingerprint"));
  a.fingerprint = true;
  CHECK(absl::IsFailedPrecondition(
      Compare(SyntheticRunJson(a), SyntheticRunJson(b), Fast()).status()));
}

TEST_CASE("a result without a series is refused clearly") {
  const std::string old = "{\"version\": 1, \"run\": \"old\", \"stages\": [], \"requests\": {}}";
  absl::StatusOr<CompareReport> r = Compare(old, old, Fast());
  REQUIRE(absl::IsFailedPrecondition(r.status()));
  CHECK(absl::StrContains(r.status().message(), "baseline: the result has no time series"));
  CHECK(absl::IsInvalidArgument(Compare("[1]", old, Fast()).status()));
}

// A run whose first 30 s are twice as slow (a warm-up), then as `Run`.
std::string WarmingUp(uint64_t seed) {
  SyntheticRunOptions cold = Run(seed, 2.0), warm = Run(seed + 100);
  cold.duration_s = warm.duration_s = 30;
  RunSeries s = SyntheticSeries(cold);
  for (SeriesInterval in : SyntheticSeries(warm).intervals) {
    in.start_s += 30;
    s.intervals.push_back(std::move(in));
  }
  JsonWriter j;
  j.BeginObject().Key("version").Int(1).Key("run").String("warming");
  j.Key("request_order").BeginArray().String("get").EndArray();
  j.Key("requests").BeginObject().Key("get").BeginObject().EndObject().EndObject();
  j.Key("series");
  WriteSeriesJson(s, j);
  j.EndObject();
  return j.text();
}

TEST_CASE("skip_s drops the warm-up intervals from both runs") {
  SyntheticRunOptions a = Run(1);
  a.fingerprint = false;
  // The synthetic JSON has stages; WarmingUp's has none: force past that.
  CompareOptions o = Fast();
  o.force = true;
  absl::StatusOr<CompareReport> r = Compare(SyntheticRunJson(a), WarmingUp(2), o);
  REQUIRE(r.ok());
  INFO(CompareText(*r));
  // The slow half is in the resamples as variance: far from SAME.
  CHECK(Find(*r, CompareMetric::kP50).change > 0.3);
  CHECK(Find(*r, CompareMetric::kP50).verdict != Verdict::kSame);
  CHECK(r->verdict >= Verdict::kInconclusive);
  o.skip_s = 30;
  r = Compare(SyntheticRunJson(a), WarmingUp(2), o);
  REQUIRE(r.ok());
  CHECK(r->baseline_s == 30);
  CHECK(r->current_s == 30);
  CHECK(Find(*r, CompareMetric::kP95).verdict == Verdict::kSame);
  o.skip_s = 60;
  CHECK(absl::IsFailedPrecondition(Compare(SyntheticRunJson(a), WarmingUp(2), o).status()));
}

TEST_CASE("the same seed gives the same report; the renderings agree") {
  const std::string a = SyntheticRunJson(Run(1)), b = SyntheticRunJson(Run(2, 1.1));
  absl::StatusOr<CompareReport> r1 = Compare(a, b, Fast());
  absl::StatusOr<CompareReport> r2 = Compare(a, b, Fast());
  REQUIRE(r1.ok());
  REQUIRE(r2.ok());
  CHECK(CompareJson(*r1) == CompareJson(*r2));
  const std::string text = CompareText(*r1);
  const MetricComparison& p95 = Find(*r1, CompareMetric::kP95);
  INFO(text);
  CHECK(absl::StrContains(text, "  p95 "));
  CHECK(absl::StrContains(text, "ms -> "));
  CHECK(absl::StrContains(text, VerdictName(p95.verdict)));
  CHECK(absl::StrContains(text, "verdict: "));
  const std::string md = CompareMarkdown(*r1);
  CHECK(absl::StrContains(md, "| group | metric | baseline | current | change | interval | verdict |"));
  absl::StatusOr<result_doc::Struct> json = result_doc::ParseResultJson(CompareJson(*r1));
  REQUIRE(json.ok());
  CHECK(result_doc::Str(*json, "verdict") == VerdictName(r1->verdict));
  CHECK(result_doc::List(*json, "metrics").size() == r1->metrics.size());
}

TEST_CASE("tolerances parse as percentages and percentage points") {
  const std::array<double, kCompareMetricCount> d = CompareOptions().tolerance;
  absl::StatusOr<std::array<double, kCompareMetricCount>> t =
      ParseTolerances("p95=2%,p99=0.2, error_rate=1pp,rate=3%", d);
  REQUIRE(t.ok());
  CHECK((*t)[0] == d[0]);
  CHECK((*t)[1] == 0.02);
  CHECK((*t)[2] == 0.2);
  CHECK((*t)[3] == 1);
  CHECK((*t)[4] == 0.03);
  CHECK(absl::StrContains(ParseTolerances("p90=5%", d).status().message(), "'p90=5%'"));
  CHECK(absl::IsInvalidArgument(ParseTolerances("p95=-1%", d).status()));
  CHECK(absl::IsInvalidArgument(ParseTolerances("p95", d).status()));
}

}  // namespace
}  // namespace barrage
