// Copyright 2026 The Barrage Authors.
//
// Flows in a run's result and reports: the time series codec, budget and
// deltas with flows; the result JSON's "flows"; the summary's flows table
// and failed checks; the CSV's flow rows and check_failed column; the
// HTML report's flows table and flow-duration chart. Synthetic runs
// (tests/support/synthetic_run.h) and merged reports.

#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_split.h"
#include "common/stats/histogram_codec.h"
#include "common/util/json_writer.h"
#include "controller/report/csv_report.h"
#include "controller/report/html_report.h"
#include "controller/report/result_doc.h"
#include "controller/report/run_result.h"
#include "controller/report/series_budget.h"
#include "controller/report/series_delta.h"
#include "controller/report/summary_text.h"
#include "controller/report/time_series.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using result_doc::Struct;

testing::SyntheticRunOptions WithFlows() {
  testing::SyntheticRunOptions o;
  o.duration_s = 20;
  o.rate_rps = 50;
  o.flows = {"shop", "browse"};
  o.flow_rate_rps = 8;
  o.flow_failure_rate = 0.1;
  return o;
}

std::string Json(const RunSeries& s) {
  JsonWriter j;
  WriteSeriesJson(s, j);
  return j.text();
}

absl::StatusOr<RunSeries> Parse(const std::string& json) {
  absl::StatusOr<Struct> root = result_doc::ParseResultJson(json);
  if (!root.ok()) return root.status();
  return SeriesFromJson(*root);
}

uint64_t FlowStarted(const RunSeries& s, size_t flow) {
  uint64_t n = 0;
  for (const SeriesInterval& in : s.intervals) n += in.flows[flow].started;
  return n;
}

TEST_CASE("a series with flows reads back as written") {
  const RunSeries s = testing::SyntheticSeries(WithFlows());
  REQUIRE(s.intervals[0].flows.size() == 2);
  const std::string json = Json(s);
  CHECK_THAT(json, ContainsSubstring("\"flows\":[\"shop\",\"browse\"]"));
  absl::StatusOr<RunSeries> back = Parse(json);
  REQUIRE(back.ok());
  CHECK(back->flows == s.flows);
  REQUIRE(back->intervals.size() == s.intervals.size());
  for (size_t i = 0; i < s.intervals.size(); ++i) {
    for (size_t f = 0; f < 2; ++f) {
      const FlowInterval& a = s.intervals[i].flows[f];
      const FlowInterval& b = back->intervals[i].flows[f];
      CHECK(a.started == b.started);
      CHECK(a.succeeded == b.succeeded);
      CHECK(a.failed == b.failed);
      CHECK(a.aborted == b.aborted);
      CHECK(a.duration == b.duration);
    }
  }
  CHECK(Json(*back) == json);
}

TEST_CASE("a series without flows is written as before and older ones read") {
  testing::SyntheticRunOptions o;
  o.duration_s = 3;
  const std::string json = Json(testing::SyntheticSeries(o));
  CHECK_THAT(json, !ContainsSubstring("\"flows\""));
  CHECK_THAT(json, !ContainsSubstring("\"f\":"));
  absl::StatusOr<RunSeries> back = Parse(json);
  REQUIRE(back.ok());
  CHECK(back->flows.empty());
  CHECK(back->intervals[0].flows.empty());
}

TEST_CASE("hostile flow entries in a series are refused by name") {
  const std::string head =
      R"({"interval_s":1,"requests":["a"],"flows":["shop"],"intervals":[{"t":0,"len":1,"r":[{}],)";
  SECTION("more entries than flows") {
    absl::StatusOr<RunSeries> s = Parse(head + R"("f":[{},{}]}]})");
    CHECK_THAT(std::string(s.status().message()), ContainsSubstring("intervals[0].f"));
  }
  SECTION("a negative count") {
    absl::StatusOr<RunSeries> s = Parse(head + R"("f":[{"n":[1,-1]}]}]})");
    CHECK_THAT(std::string(s.status().message()), ContainsSubstring(".f[0].n[1]"));
  }
  SECTION("a bad histogram") {
    absl::StatusOr<RunSeries> s = Parse(head + R"("f":[{"n":[1,1],"h":"!!"}]}]})");
    CHECK_THAT(std::string(s.status().message()), ContainsSubstring(".f[0].h"));
  }
  SECTION("more durations than succeeded iterations") {
    Histogram h;
    h.RecordN(1000, 3);
    SparseHistogram sparse = SparseHistogram::From(h);
    RunSeries series;
    series.requests = {"a"};
    series.flows = {"shop"};
    SeriesInterval in;
    in.requests.resize(1);
    in.flows.resize(1);
    in.flows[0].succeeded = 3;
    in.flows[0].duration = sparse;
    series.intervals.push_back(in);
    std::string json = Json(series);
    const size_t at = json.find("\"n\":[0,3]");
    REQUIRE(at != std::string::npos);
    json.replace(at, 9, "\"n\":[0,2]");
    CHECK_THAT(std::string(Parse(json).status().message()),
               ContainsSubstring("more values than succeeded"));
  }
}

TEST_CASE("coarsening and deltas carry the flows, totals unchanged") {
  testing::SyntheticRunOptions o = WithFlows();
  o.duration_s = 100;
  RunSeries s = testing::SyntheticSeries(o);
  const uint64_t started = FlowStarted(s, 0);
  SeriesBudget tiny;
  tiny.json_bytes = 5'000;
  REQUIRE(FitSeries(s, tiny));
  CHECK(s.intervals.size() < 100);
  CHECK(FlowStarted(s, 0) == started);
  CHECK(s.intervals[0].length_s > 1);
  CHECK(s.intervals[0].flows[0].duration.significant_digits() == 2);

  SeriesDelta mirror;
  mirror.full = true;
  mirror.series.flows = {"shop"};
  SeriesDelta next;
  next.full = false;
  next.series.flows = {"shop", "browse"};
  REQUIRE(ApplySeriesDelta(std::move(next), mirror).ok());
  CHECK(mirror.series.flows == std::vector<std::string>{"shop", "browse"});
}

TEST_CASE("the CSV has a check_failed column and flow:NAME rows") {
  testing::SyntheticRunOptions o = WithFlows();
  o.duration_s = 2;
  RunSeries s = testing::SyntheticSeries(o);
  s.intervals[0].requests[0].outcomes[static_cast<size_t>(Outcome::kCheckFailed)] = 4;
  const std::string csv = CsvFromSeries(s);
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  // Header, then per interval: get, all, flow:shop, flow:browse.
  REQUIRE(lines.size() == 1 + 2 * 4);
  CHECK(lines[0] ==
        "time_s,length_s,request,requests,http_error,timeout,connect_error,other,aborted,"
        "p50_ms,p95_ms,p99_ms,max_ms,achieved_rps,check_failed,failed");
  const std::vector<std::string> get = absl::StrSplit(lines[1], ',');
  REQUIRE(get.size() == 16);
  CHECK(get[2] == "get");
  CHECK(get[14] == "4");
  CHECK(get[15] == "4");  // errors: the check failures (no http errors here)
  const FlowInterval& shop = s.intervals[0].flows[0];
  const std::vector<std::string> flow = absl::StrSplit(lines[3], ',');
  REQUIRE(flow.size() == 16);
  CHECK(flow[2] == "flow:shop");
  CHECK(flow[3] == std::to_string(shop.ended()));
  CHECK(flow[4].empty());
  CHECK(flow[8] == "0");  // aborted iterations
  CHECK(flow[14].empty());
  CHECK(flow[15] == std::to_string(shop.failed));
  CHECK(lines[4].find(",flow:browse,") != std::string::npos);
}

// A merged run of request "home" and flow "shop" (login, pay): shop.pay's
// check "status" failed 3 times and capture "token" once.
std::string MergedResultJson() {
  Scenario sc;
  sc.name = "flows";
  RequestSpec home;
  home.name = "home";
  sc.requests.push_back(home);
  FlowSpec shop;
  shop.name = "shop";
  for (const char* step : {"login", "pay"}) {
    FlowStep st;
    st.step = step;
    st.request.name = std::string("shop.") + step;
    shop.steps.push_back(st);
  }
  sc.flows.push_back(shop);
  Stage stage;
  stage.duration = absl::Seconds(1);
  stage.rate_from = stage.rate_to = Rational::FromInt(10);
  sc.stages.push_back(stage);
  RunMerger m("r-1", sc);
  v1::StatsReport r;
  r.set_agent_id("a");
  r.set_run_id("r-1");
  r.set_seq(1);
  r.set_interval_length_ns(1'000'000'000);
  auto series = [&r](const char* request, v1::Outcome outcome, uint64_t n, uint64_t us) {
    Histogram h;
    h.RecordN(us, n);
    v1::SeriesDelta* s = r.add_series();
    s->set_request(request);
    s->set_outcome(outcome);
    EncodeHistogram(h, s->mutable_response());
    EncodeHistogram(h, s->mutable_service());
  };
  series("home", v1::OUTCOME_OK, 10, 5'000);
  series("shop.login", v1::OUTCOME_OK, 20, 10'000);
  series("shop.pay", v1::OUTCOME_OK, 16, 20'000);
  series("shop.pay", v1::OUTCOME_CHECK_FAILED, 4, 20'000);
  for (const auto& [reason, n] : {std::pair<const char*, uint64_t>{"check status", 3},
                                  {"capture token", 1}}) {
    v1::ErrorCount* e = r.add_errors();
    e->set_request("shop.pay");
    e->set_reason(reason);
    e->set_count(n);
  }
  v1::FlowDelta* f = r.add_flows();
  f->set_flow("shop");
  f->set_started(21);
  f->set_succeeded(16);
  f->set_failed(4);
  f->set_aborted(1);
  Histogram d, t;
  d.RecordN(30'000, 16);
  t.RecordN(530'000, 16);
  EncodeHistogram(d, f->mutable_duration());
  EncodeHistogram(t, f->mutable_duration_with_think());
  v1::FlowFailure* x = f->add_failures();
  x->set_step("shop.pay");
  x->set_count(4);
  REQUIRE(m.Apply(r).ok());
  m.CloseIntervals(0, {}, 0, /*all=*/true);
  RunReport report;
  report.run_id = "r-1";
  report.duration_s = 1;
  return ResultJson(report, sc, m);
}

TEST_CASE("the result JSON has a flows section and the steps among the requests") {
  const std::string json = MergedResultJson();
  absl::StatusOr<Struct> root = result_doc::ParseResultJson(json);
  REQUIRE(root.ok());
  const std::vector<const Struct*> flows = result_doc::List(*root, "flows");
  REQUIRE(flows.size() == 1);
  const Struct& f = *flows[0];
  CHECK(result_doc::Str(f, "name") == "shop");
  CHECK(result_doc::Count(f, "started") == 21);
  CHECK(result_doc::Count(f, "succeeded") == 16);
  CHECK(result_doc::Count(f, "failed") == 4);
  CHECK(result_doc::Count(f, "aborted") == 1);
  CHECK(result_doc::Num(f, "success_rate") == 0.8);
  CHECK(result_doc::Num(result_doc::Obj(f, "duration_ms"), "p50") == 30);
  CHECK(result_doc::Num(result_doc::Obj(f, "duration_ms"), "max") == 30);
  CHECK(result_doc::Num(result_doc::Obj(f, "duration_with_think_ms"), "p99") == 530);
  const std::vector<const Struct*> failures = result_doc::List(f, "failures");
  REQUIRE(failures.size() == 1);
  CHECK(result_doc::Str(*failures[0], "step") == "shop.pay");
  CHECK(result_doc::Count(*failures[0], "count") == 4);
  CHECK_THAT(json, ContainsSubstring("\"steps\":[\"shop.login\",\"shop.pay\"]"));
  CHECK(result_doc::RequestOrder(*root) ==
        std::vector<std::string>{"home", "shop.login", "shop.pay"});
  CHECK(result_doc::Count(result_doc::Obj(*root, "outcomes"), "check_failed") == 4);
  CHECK_THAT(json, ContainsSubstring("\"flows\":[\"shop\"]"));  // in the series
}

TEST_CASE("the summary has a flows table and the failed checks by name") {
  absl::StatusOr<std::string> text = SummaryText(MergedResultJson());
  REQUIRE(text.ok());
  CHECK_THAT(*text, ContainsSubstring("errors by kind:  check_failed 4"));
  CHECK_THAT(*text, ContainsSubstring("check_failed by check: check status 3, capture token 1"));
  CHECK_THAT(*text, ContainsSubstring("\nflows: iterations"));
  CHECK_THAT(*text, ContainsSubstring(
                        "  shop                             21   80.00%    30.00    30.00    30.00"
                        "  shop.pay (4)\n"));
  CHECK_THAT(*text, ContainsSubstring("1 aborted"));
  CHECK_THAT(*text, ContainsSubstring("  shop.login "));  // a step's latency row
}

TEST_CASE("a summary without flows has no flows table") {
  testing::SyntheticRunOptions o;
  o.duration_s = 2;
  absl::StatusOr<std::string> text = SummaryText(testing::SyntheticRunJson(o));
  REQUIRE(text.ok());
  CHECK_THAT(*text, !ContainsSubstring("flows:"));
}

TEST_CASE("the HTML report has a flows table and a flow-duration chart") {
  absl::StatusOr<std::string> html = HtmlReport(testing::SyntheticRunJson(WithFlows()), {});
  REQUIRE(html.ok());
  CHECK_THAT(*html, ContainsSubstring("<table id=\"table-flows\">"));
  CHECK_THAT(*html, ContainsSubstring("<tr data-flow=\"shop\">"));
  CHECK_THAT(*html, ContainsSubstring("<tr data-flow=\"browse\">"));
  CHECK_THAT(*html, ContainsSubstring("data-key=\"top_failing_step\">shop.pay ("));
  // The flow chart follows the latency chart, with a line per flow and percentile.
  const size_t latency = html->find("id=\"chart-latency\"");
  const size_t flows = html->find("id=\"chart-flows\"");
  REQUIRE(latency != std::string::npos);
  REQUIRE(flows != std::string::npos);
  CHECK(latency < flows);
  CHECK(flows < html->find("id=\"chart-errors\""));
  CHECK_THAT(*html, ContainsSubstring("data-name=\"shop-p95\""));
  CHECK_THAT(*html, ContainsSubstring("data-name=\"browse-p50\""));
  // check_failed is a column of the requests table and a line of errors.
  CHECK_THAT(*html, ContainsSubstring("<th>check_failed</th>"));
  CHECK_THAT(*html, ContainsSubstring("data-name=\"check_failed\""));

  testing::SyntheticRunOptions plain;
  plain.duration_s = 3;
  absl::StatusOr<std::string> without = HtmlReport(testing::SyntheticRunJson(plain), {});
  REQUIRE(without.ok());
  CHECK_THAT(*without, !ContainsSubstring("table-flows"));
  CHECK_THAT(*without, !ContainsSubstring("chart-flows"));
}

}  // namespace
}  // namespace barrage
