// Copyright 2026 The Barrage Authors.
//
// Warm-up stages in what reads a run: the result JSON's totals and the
// summary leave them out, the series keeps them marked, compare skips them
// and the HTML report shades them.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_replace.h"
#include "common/stats/histogram_codec.h"
#include "controller/report/compare.h"
#include "controller/report/html_report.h"
#include "controller/report/run_result.h"
#include "controller/report/summary_text.h"
#include "controller/report/time_series.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

// 2 s warm-up at 10/s, then 4 s at 10/s.
Scenario Warmup() {
  Scenario s;
  s.name = "warm";
  RequestSpec r;
  r.name = "a";
  s.requests.push_back(r);
  Stage warm;
  warm.duration = absl::Seconds(2);
  warm.rate_from = warm.rate_to = Rational::FromInt(10);
  warm.warmup = true;
  Stage load = warm;
  load.duration = absl::Seconds(4);
  load.warmup = false;
  s.stages = {warm, load};
  return s;
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
  return r;
}

std::string WarmupResultJson() {
  const Scenario s = Warmup();
  RunMerger m("r-1", s);
  uint64_t seq = 1;
  for (int64_t k = 0; k < 2; ++k) (void)m.Apply(Interval(seq++, k, 10, 800'000));
  for (int64_t k = 2; k < 6; ++k) (void)m.Apply(Interval(seq++, k, 10, 20'000));
  m.CloseIntervals(6'000'000'000, {"a1"}, 0, /*all=*/true);
  RunReport report;
  report.run_id = "r-1";
  report.status = "passed";
  report.duration_s = 6;
  return ResultJson(report, s, m);
}

TEST_CASE("the result's totals and summary leave warm-up out; the series keeps it, marked") {
  const std::string json = WarmupResultJson();
  CHECK_THAT(json, ContainsSubstring(R"("totals":{"requests":40,"errors":0,"error_rate":0,"rps":10,)"));
  CHECK_THAT(json, ContainsSubstring(R"("warmup_s":2)"));
  CHECK_THAT(json, ContainsSubstring(R"("duration_s":2,"target_rps":10,"warmup":true,)"));
  const absl::StatusOr<RunSeries> series = SeriesFromResultJson(json);
  REQUIRE(series.ok());
  REQUIRE(series->intervals.size() == 6);
  CHECK(series->intervals[0].warmup);
  CHECK(series->intervals[1].warmup);
  CHECK_FALSE(series->intervals[2].warmup);
  CHECK(series->intervals[0].Requests() == 10);
  const std::string text = SummaryText(json).value();
  CHECK_THAT(text, ContainsSubstring("40"));
  CHECK_THAT(text, !ContainsSubstring("800"));  // no warm-up latency in the summary
}

TEST_CASE("the HTML report shades warm-up with its own band and a legend key") {
  const absl::StatusOr<std::string> html = HtmlReport(WarmupResultJson(), {});
  REQUIRE(html.ok());
  CHECK_THAT(*html, ContainsSubstring(R"(<rect class="band band-warmup" data-from="0" data-to="2")"));
  CHECK_THAT(*html, ContainsSubstring("stage 0: 10/s (warm-up)"));
  CHECK_THAT(*html, ContainsSubstring(R"(<rect class="band band-1" data-from="2" data-to="6")"));
  CHECK_THAT(*html, ContainsSubstring("key-warmup"));
  CHECK_THAT(*html, ContainsSubstring("svg.chart .band-warmup{"));
}

TEST_CASE("compare skips warm-up intervals as it skips --skip") {
  testing::SyntheticRunOptions base;
  base.seed = 1;
  base.rate_rps = 200;
  base.median_ms = 50;
  base.run_id = "run-1";
  testing::SyntheticRunOptions cur = base;
  cur.seed = 2;
  cur.run_id = "run-2";
  // A 30 s warm-up five times slower, then the same service.
  cur.warmup_s = 30;
  cur.warmup_shift = 5;
  CompareOptions o;
  o.resamples = 300;
  const absl::StatusOr<CompareReport> r =
      Compare(testing::SyntheticRunJson(base), testing::SyntheticRunJson(cur), o);
  REQUIRE(r.ok());
  CHECK(r->verdict == Verdict::kSame);
  CHECK(r->current_s == 30);  // 60 s less the warm-up

  SECTION("the same slow start, not marked, regresses") {
    const std::string marked = testing::SyntheticRunJson(cur);
    const std::string unmarked = absl::StrReplaceAll(marked, {{R"(,"warmup":true)", ""}});
    REQUIRE(unmarked != marked);
    const absl::StatusOr<CompareReport> worse =
        Compare(testing::SyntheticRunJson(base), unmarked, o);
    REQUIRE(worse.ok());
    CHECK(worse->verdict == Verdict::kRegressed);
  }
}

}  // namespace
}  // namespace barrage
