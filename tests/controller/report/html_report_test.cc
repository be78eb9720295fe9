// Copyright 2026 The Barrage Authors.

#include "controller/report/html_report.h"

#include <regex>
#include <string>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "controller/report/result_doc.h"
#include "controller/report/series_view.h"
#include "controller/report/svg_chart.h"
#include "tests/support/report_fixture.h"

namespace barrage {
namespace {

using testing::ReportFixtureJson;
using testing::ReportFixtureOptions;

std::string Report(const std::string& json, const HtmlReportOptions& options = {}) {
  absl::StatusOr<std::string> html = HtmlReport(json, options);
  REQUIRE(html.ok());
  return *html;
}

// The opening tag of the element with `id`.
std::string TagWithId(const std::string& html, const std::string& id) {
  const size_t at = html.find(absl::StrCat("id=\"", id, "\""));
  REQUIRE(at != std::string::npos);
  const size_t open = html.rfind('<', at);
  return html.substr(open, html.find('>', at) - open + 1);
}

// The element with `id`, up to its closing tag (no nesting of the same tag).
std::string Element(const std::string& html, const std::string& id, const std::string& tag) {
  const size_t at = html.find(absl::StrCat("id=\"", id, "\""));
  REQUIRE(at != std::string::npos);
  const size_t open = html.rfind('<', at);
  const size_t close = html.find(absl::StrCat("</", tag, ">"), at);
  REQUIRE(close != std::string::npos);
  return html.substr(open, close - open);
}

// data-points of the line `name` in `chart`, checked against its data-t.
int Points(const std::string& chart, const std::string& name) {
  const std::regex line(absl::StrCat("<polyline[^>]*data-name=\"", name,
                                     "\"[^>]*data-points=\"(\\d+)\" data-t=\"([^\"]*)\""));
  std::smatch m;
  REQUIRE(std::regex_search(chart, m, line));
  const int n = std::stoi(m[1]);
  const std::vector<std::string> t = absl::StrSplit(m[2].str(), ' ', absl::SkipEmpty());
  CHECK(static_cast<int>(t.size()) == n);
  return n;
}

// The data-value of the cell `key` in the row that begins at `row`.
double Cell(const std::string& table, const std::string& row, const std::string& key) {
  const size_t at = table.find(row);
  REQUIRE(at != std::string::npos);
  const std::regex cell(absl::StrCat("data-key=\"", key, "\" data-value=\"([^\"]*)\""));
  std::smatch m;
  const std::string rest = table.substr(at, table.find("</tr>", at) - at);
  REQUIRE(std::regex_search(rest, m, cell));
  return std::stod(m[1]);
}

TEST_CASE("the report has every chart with its points and the banner's verdict") {
  ReportFixtureOptions o;
  const std::string html = Report(ReportFixtureJson(o));
  CHECK(TagWithId(html, "verdict").find("data-status=\"failed\" data-exit-code=\"99\"") !=
        std::string::npos);
  const std::string latency = Element(html, "chart-latency", "svg");
  CHECK(latency.find("data-series=\"p50,p95,p99,max\"") != std::string::npos);
  for (const char* line : {"p50", "p95", "p99", "max"}) CHECK(Points(latency, line) == 60);
  const std::string rate = Element(html, "chart-rate", "svg");
  CHECK(Points(rate, "offered_rps") == 60);
  CHECK(Points(rate, "achieved_rps") == 60);
  CHECK(Points(Element(html, "chart-errors", "svg"), "http_error") == 60);
  CHECK(Points(Element(html, "chart-fleet", "svg"), "vus") == 60);
  CHECK(Points(Element(html, "chart-distribution", "svg"), "run") == 61);
  // Two stages shaded and two events marked on every time chart.
  for (const char* id : {"chart-rate", "chart-latency", "chart-errors", "chart-fleet"}) {
    const std::string chart = Element(html, id, "svg");
    CHECK(chart.find("class=\"band band-1\" data-from=\"30\" data-to=\"60\"") != std::string::npos);
    CHECK(chart.find("data-kind=\"agent_lost\"") != std::string::npos);
    CHECK(chart.find("data-kind=\"threshold_failed\"") != std::string::npos);
  }
  CHECK(html.find("id=\"chart-trend\"") == std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("table numbers are the result JSON's") {
  const std::string json = ReportFixtureJson(ReportFixtureOptions{});
  const std::string html = Report(json);
  absl::StatusOr<result_doc::Struct> r = result_doc::ParseResultJson(json);
  REQUIRE(r.ok());
  const std::string requests = Element(html, "table-requests", "table");
  for (const std::string& name : result_doc::RequestOrder(*r)) {
    const result_doc::Struct& q = result_doc::Obj(result_doc::Obj(*r, "requests"), name);
    const std::string row = absl::StrCat("data-request=\"", name, "\"");
    CHECK(Cell(requests, row, "requests") == result_doc::Num(q, "requests"));
    CHECK(Cell(requests, row, "errors") == result_doc::Num(q, "errors"));
    CHECK(Cell(requests, row, "http_error") == result_doc::Num(q, "errors"));
    for (const char* p : {"p50", "p90", "p95", "p99", "p999", "max"}) {
      CHECK(Cell(requests, row, p) == result_doc::Num(result_doc::Obj(q, "latency_ms"), p));
    }
  }
  CHECK(Cell(requests, "class=\"all\"", "p99") ==
        result_doc::Num(result_doc::Obj(*r, "latency_ms"), "p99"));
  const std::string agents = Element(html, "table-agents", "table");
  CHECK(Cell(agents, "data-agent=\"agent-1\"", "cpu_seconds") == 1.25);
  CHECK(agents.find("0.9.0") != std::string::npos);
  CHECK(agents.find("native") != std::string::npos);
  const std::string thresholds = Element(html, "table-thresholds", "table");
  CHECK(Cell(thresholds, "p95 &lt; 250ms", "value_ms") ==
        result_doc::Num(result_doc::Obj(*r, "latency_ms"), "p95"));
  CHECK(thresholds.find("<tr class=\"fail\"><td data-key=\"expr\">error_rate &lt; 1%") !=
        std::string::npos);
  CHECK(Cell(Element(html, "table-totals", "table"), "<th>requests", "requests") ==
        result_doc::Num(result_doc::Obj(*r, "totals"), "requests"));
  CHECK(Element(html, "fingerprint", "section").find(std::string(64, 'a')) != std::string::npos);
}

TEST_CASE("strings from the JSON are escaped and nothing refers outside the file") {
  ReportFixtureOptions o;
  o.first_request = "<script>alert(1)</script>";
  HtmlReportOptions options;
  options.baseline_json = ReportFixtureJson(ReportFixtureOptions{});
  options.trend = {{"run-a", "2026-01-01T00:00:00Z", 10, 20, 30, 0.001, false},
                   {"run-b <i>", "2026-01-02T00:00:00Z", 15, 30, 45, 0.02, true}};
  const std::string html = Report(ReportFixtureJson(o), options);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("agent-2 <b>") == std::string::npos);
  CHECK(html.find("run-b <i>") == std::string::npos);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  // The target URL appears as text only, never in an attribute.
  CHECK(html.find(">http://127.0.0.1:8080<") != std::string::npos);
  CHECK(!std::regex_search(html, std::regex("=\"\\s*https?:")));
  // One inline script, at the end.
  CHECK(html.find("<script>") == html.rfind("<script>"));
  const std::string tail = Element(html, "chart-distribution", "svg");
  CHECK(Points(tail, "baseline") == 61);
  const std::string trend = Element(html, "chart-trend", "svg");
  CHECK(Points(trend, "p95") == 2);
  CHECK(Points(trend, "error_rate") == 2);
  CHECK(trend.find("data-kind=\"change-point\"") != std::string::npos);
}

TEST_CASE("a long run draws at most 1000 points per line and keeps the spikes") {
  ReportFixtureOptions o;
  o.requests = 2;
  o.seconds = 3600;
  o.samples_per_second = 5;
  o.stage_s = {1800, 1800};
  o.burst_from_s = 1000;
  o.burst_to_s = 1001;  // one second of 503s
  const std::string json = ReportFixtureJson(o);
  const std::string html = Report(json);
  const std::string rate = Element(html, "chart-errors", "svg");
  CHECK(Points(rate, "http_error") <= 1000);
  CHECK(Points(Element(html, "chart-latency", "svg"), "p99") <= 1000);
  CHECK(Points(Element(html, "chart-rate", "svg"), "achieved_rps") <= 1000);
  // The one-second burst survives decimation at its full rate.
  absl::StatusOr<RunSeries> s = SeriesFromResultJson(json);
  REQUIRE(s.ok());
  const SeriesView view = ViewOf(*s);
  CHECK(view.intervals_per_point == 8);
  double peak = 0;
  for (double v : view.errors[0].y) peak = std::max(peak, v);
  CHECK(peak == s->intervals[1000].Errors());
  // p50 of a display point is the merged histogram's, not an average.
  SparseHistogram first;
  for (size_t i = 0; i < 8; ++i) first.Merge(s->intervals[i].MergedOk());
  CHECK(view.latency[0].y[0] == static_cast<double>(first.Quantile(0.5)) / 1000.0);
  CHECK(view.latency[3].y[0] == static_cast<double>(first.max_us()) / 1000.0);
}

TEST_CASE("an older result without a series still renders, and bad input is refused") {
  ReportFixtureOptions o;
  o.with_series = false;
  o.status = "passed";
  std::string json = ReportFixtureJson(o);
  // Without "exit_code" the verdict's code comes from the status.
  const size_t at = json.find("\"exit_code\":0,");
  REQUIRE(at != std::string::npos);
  json.erase(at, std::string("\"exit_code\":0,").size());
  const std::string html = Report(json);
  CHECK(TagWithId(html, "verdict").find("data-status=\"passed\" data-exit-code=\"0\"") !=
        std::string::npos);
  CHECK(Points(Element(html, "chart-latency", "svg"), "p50") == 0);
  CHECK(html.find("no time series in this result") != std::string::npos);
  CHECK(absl::IsInvalidArgument(HtmlReport("[1, 2]", {}).status()));
  HtmlReportOptions bad;
  bad.baseline_json = "not json";
  CHECK(absl::IsInvalidArgument(HtmlReport(json, bad).status()));
}

TEST_CASE("exact numbers read back as the same double") {
  for (double v : {0.0, 3.0, 12.5, 0.1, 1.0 / 3, 123456.789, 1e-7, -2.25}) {
    CHECK(std::stod(ExactNumber(v)) == v);
  }
  CHECK(ExactNumber(0.1) == "0.1");
  CHECK(HtmlEscape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST_CASE("the connection phases are a table when the result has them") {
  std::string json = ReportFixtureJson(ReportFixtureOptions());
  CHECK(Report(json).find("table-phases") == std::string::npos);
  const std::string phases =
      "\"phases_ms\":{\"connect\":{\"p50\":0.25,\"p95\":0.5,\"p99\":0.75,\"max\":1.5,"
      "\"count\":12},\"tls\":{\"p50\":2.5,\"p95\":3,\"p99\":4,\"max\":5,\"count\":12},"
      "\"ttfb\":{\"p50\":10,\"p95\":20,\"p99\":30,\"max\":40,\"count\":900}},";
  json.insert(1, phases);
  const absl::StatusOr<std::string> html = HtmlReport(json, {});
  INFO(html.status().message());
  REQUIRE(html.ok());
  const std::string table = Element(*html, "table-phases", "table");
  CHECK(table.find("data-phase=\"connect\"") != std::string::npos);
  CHECK(table.find("data-phase=\"tls\"") != std::string::npos);
  CHECK(table.find("data-value=\"2.5\"") != std::string::npos);
  CHECK(table.find("data-value=\"900\"") != std::string::npos);
}

}  // namespace
}  // namespace barrage
