// Copyright 2026 The Barrage Authors.
//
// The result JSON and text summary of a run cut short, with failures:
// stages that ran part of their length or not at all, latency of
// successful requests apart from failed ones, errors by reason.

#include "controller/report/run_result.h"

#include <cmath>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/stats/histogram_codec.h"
#include "controller/report/summary_text.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

Scenario ThreeStages() {
  Scenario s;
  s.name = "cut";
  RequestSpec r;
  r.name = "a";
  s.requests.push_back(r);
  for (int i = 0; i < 3; ++i) {
    Stage st;
    st.duration = absl::Seconds(10);
    st.rate_from = st.rate_to = Rational::FromInt(20);
    s.stages.push_back(st);
  }
  return s;
}

// `ok` successes of 300 ms and `refused` failures of 30 us in interval `k`.
v1::StatsReport Interval(uint64_t seq, int64_t k, uint64_t ok, uint64_t refused) {
  v1::StatsReport r;
  r.set_agent_id("a1");
  r.set_run_id("r-1");
  r.set_seq(seq);
  r.set_interval_start_ns(k * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  Histogram good;
  good.RecordN(300'000, ok);
  Histogram bad;
  bad.RecordN(30, refused);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("a");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(good, s->mutable_response());
  EncodeHistogram(good, s->mutable_service());
  if (refused > 0) {
    v1::SeriesDelta* f = r.add_series();
    f->set_request("a");
    f->set_outcome(v1::OUTCOME_CONNECT_ERROR);
    EncodeHistogram(bad, f->mutable_response());
    EncodeHistogram(bad, f->mutable_service());
    v1::ErrorCount* e = r.add_errors();
    e->set_request("a");
    e->set_reason("connect: refused");
    e->set_count(refused);
  }
  return r;
}

TEST_CASE("an aborted run's stages report the time they ran, or that they were not reached") {
  const Scenario s = ThreeStages();
  RunMerger m("r-1", s);
  // The run was stopped at 11.2 s: stage 0 ran whole, stage 1 for 1.2 s.
  uint64_t seq = 1;
  for (int64_t k = 0; k < 10; ++k) REQUIRE(m.Apply(Interval(seq++, k, 20, 0)).ok());
  REQUIRE(m.Apply(Interval(seq++, 10, 20, 0)).ok());
  REQUIRE(m.Apply(Interval(seq++, 11, 2, 0)).ok());
  RunReport report;
  report.run_id = "r-1";
  report.status = "aborted";
  report.duration_s = 11.2;
  const std::vector<StageRun> ran = StagesRun(s, m, report.duration_s);
  REQUIRE(ran.size() == 3);
  CHECK(ran[0].reached);
  CHECK(ran[0].achieved_rps == 20.0);
  CHECK(ran[1].reached);
  CHECK(std::abs(ran[1].ran_s - 1.2) < 1e-9);
  CHECK(std::abs(ran[1].achieved_rps - 22 / 1.2) < 1e-9);  // not 22 / 10 s
  CHECK_FALSE(ran[2].reached);
  const std::string json = ResultJson(report, s, m);
  CHECK_THAT(json, ContainsSubstring(R"("reached":true,"ran_s":1.2,"achieved_rps":18.333)"));
  CHECK_THAT(json, ContainsSubstring(R"("reached":false,"ran_s":0,"achieved_rps":null)"));
  const std::string text = SummaryText(json).value();
  CHECK_THAT(text, ContainsSubstring("1  ran 1.2 of 10.0 s  achieved 18.33/s"));
  CHECK_THAT(text, ContainsSubstring("2  not reached"));
}

TEST_CASE("the result shows successful latency, failed latency and errors by reason apart") {
  Scenario s = ThreeStages();
  s.stages.resize(1);
  RunMerger m("r-1", s);
  REQUIRE(m.Apply(Interval(1, 0, 10, 90)).ok());
  RunReport report;
  report.run_id = "r-1";
  report.duration_s = 10;
  const std::string json = ResultJson(report, s, m);
  CHECK_THAT(json, ContainsSubstring(R"("latency_ms":{"min":300,)"));
  CHECK_THAT(json, ContainsSubstring(R"("error_latency_ms":{"min":0.03,)"));
  CHECK_THAT(json, ContainsSubstring(
                       R"("errors_by_reason":[{"reason":"connect: refused","count":90}])"));
  const std::string text = SummaryText(json).value();
  CHECK_THAT(text, ContainsSubstring("latency: successful requests only"));
  CHECK_THAT(text, ContainsSubstring("errors by reason: connect: refused 90"));
  CHECK_THAT(text, ContainsSubstring("failed requests (all)"));
  // A run that ran its whole plan lists no stages.
  CHECK_THAT(text, !ContainsSubstring("not reached"));
}

TEST_CASE("connection phases reach the result and the summary; old agents send none") {
  Scenario s = ThreeStages();
  s.stages.resize(1);
  RunMerger m("r-1", s);
  v1::StatsReport with = Interval(1, 0, 10, 0);
  Histogram connect;
  connect.RecordN(200, 4);  // 4 new connections of 10 requests
  Histogram tls;
  tls.RecordN(1'500, 4);
  Histogram ttfb;
  ttfb.RecordN(2'000, 10);
  EncodeHistogram(connect, with.mutable_series(0)->mutable_connect());
  EncodeHistogram(tls, with.mutable_series(0)->mutable_tls());
  EncodeHistogram(ttfb, with.mutable_series(0)->mutable_ttfb());
  REQUIRE(m.Apply(with).ok());
  REQUIRE(m.Apply(Interval(2, 1, 10, 0)).ok());  // an agent without phases
  RunReport report;
  report.run_id = "r-1";
  report.duration_s = 10;
  const std::string json = ResultJson(report, s, m);
  CHECK_THAT(json, ContainsSubstring(
                       R"("phases_ms":{"connect":{"p50":0.2,"p95":0.2,"p99":0.2,"max":0.2,)"
                       R"("count":4},"tls":{"p50":1.5,"p95":1.5,"p99":1.5,"max":1.5,"count":4},)"
                       R"("ttfb":{"p50":2,"p95":2,"p99":2,"max":2,"count":10}})"));
  const std::string text = SummaryText(json).value();
  CHECK_THAT(text, ContainsSubstring("  phases p50/p99/max ms (n):  connect 0.20/0.20/0.20 (4)"
                                     "  tls 1.50/1.50/1.50 (4)  ttfb 2.00/2.00/2.00 (10)\n"));
  // A phase with more entries than responses is refused, the whole report.
  v1::StatsReport bad = Interval(3, 2, 1, 0);
  EncodeHistogram(ttfb, bad.mutable_series(0)->mutable_ttfb());
  CHECK(m.Apply(bad).code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace barrage
