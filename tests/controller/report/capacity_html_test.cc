// Copyright 2026 The Barrage Authors.

#include "controller/report/capacity_html.h"

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinRel;

// A step of the capacity JSON (capacity_output.h) with its monitor means.
std::string Step(int step, int load, double achieved, double p95, const char* verdict,
                 const std::string& monitors = "{}", const std::string& reason = "") {
  return absl::StrCat(
      R"({"step": )", step, R"(, "load": )", load, R"(, "offered_rps": )", load,
      R"(, "achieved_rps": )", achieved, R"(, "vus": 0, "p50_ms": 10, "p95_ms": )", p95,
      R"(, "p99_ms": )", p95 * 1.2, R"(, "p95_lower_ms": )", p95 * 0.9,
      R"(, "p95_upper_ms": )", p95 * 1.1,
      R"(, "p99_upper_ms": 1, "error_rate": 0.001, "error_rate_upper": 0.002, "measured_s": 4,)",
      R"( "monitors": )", monitors, R"(, "verdict": ")", verdict, R"(", "reason": ")", reason,
      R"(", "run_ids": ["r-)", step, R"("]})");
}

std::string Cpu(double cpu, double db) {
  return absl::StrCat(R"({"db_ms": )", db, R"(, "cpu": )", cpu, "}");
}

// A service-bound rate search at 400/s: 7 steps, a fitted USL with a finite
// N*, a projection, a baseline check, cpu and db_ms monitors and a
// bottleneck. One reason holds markup, to be escaped.
std::string ServiceBound() {
  const std::vector<std::string> steps = {
      Step(0, 100, 100, 11, "PASS", Cpu(0.25, 2)),
      Step(1, 200, 200, 12, "PASS", Cpu(0.5, 2.1)),
      Step(2, 400, 399, 30, "PASS", Cpu(0.99, 2.3)),
      Step(3, 800, 402, 900, "FAIL", Cpu(1, 2.2), "p95 <script>alert(1)</script> & more"),
      Step(4, 600, 401, 400, "FAIL", Cpu(1, 2.4)),
      Step(5, 500, 400, 120, "FAIL", Cpu(1, 2.2)),
      Step(6, 450, 401, 60, "FAIL", Cpu(1, 2.3))};
  return absl::StrCat(
      R"({"version": 1, "model": "rate", "capacity_rps": 399, "capacity_load": 400,)",
      R"( "interval_rps": [399, 450], "limited_by": "service", "stopped_by": "resolution",)",
      R"( "slo": {"text": "p95<50ms,p99<80ms,error_rate<1%", "limits": [{"metric": "p95",)",
      R"( "limit_ms": 50}, {"metric": "p99", "limit_ms": 80}, {"metric": "error_rate",)",
      R"( "limit": 0.01}]}, "knee": {"rps": 450, "before_rps": 400}, "steps": [)",
      absl::StrJoin(steps, ","), "], \"confirmation\": ",
      Step(7, 400, 399.5, 31, "PASS", Cpu(0.98, 2.2)),
      R"(, "usl": {"sigma": 0.02, "kappa": 0.001, "lambda": 100, "n_star": 31.3, "x_max": 820,)",
      R"( "intervals": {"sigma": [0.01, 0.03], "kappa": [0.0005, 0.002], "lambda": [90, 110],)",
      R"( "n_star": [20, null], "x_max": [700, 900]}, "limited_by": "coherency",)",
      R"( "residuals": [1, -1, 0, 1, -1, 0, 1], "r2": 0.97, "points": [{"n": 1, "x": 100},)",
      R"( {"n": 2.4, "x": 200}, {"n": 12, "x": 399}, {"n": 360, "x": 402}, {"n": 160, "x": 401},)",
      R"( {"n": 48, "x": 400}, {"n": 24, "x": 401}]},)",
      R"( "projection": {"months": 17.9, "months_lo": 17.9, "months_hi": 19.2, "exhausted": false,)",
      R"( "growth_per_month": 0.08, "peak_rps": 100, "sentence": "headroom runs out in 17.9 months"},)",
      R"( "baseline": {"verdict": "no", "baseline_rps": 50, "factor": 10, "target_rps": 500,)",
      R"( "evidence": "10x baseline is 500/s; no"},)",
      R"( "bottleneck": {"knee_rps": 450, "resource": "cpu", "sentence": "cpu reached 0.99: cpu-bound"}})");
}

// A generator-bound search: 2 passing steps, then the agent saturated.
std::string GeneratorBound() {
  return absl::StrCat(
      R"({"version": 1, "model": "rate", "capacity_rps": 200, "capacity_load": 200,)",
      R"( "interval_rps": [200, 400], "limited_by": "generator", "stopped_by": "generator",)",
      R"( "advice": "add agents or workers: agent <a1> was saturated at 250/s",)",
      R"( "slo": {"text": "p95<50ms", "limits": [{"metric": "p95", "limit_ms": 50}]},)",
      R"( "knee": null, "steps": [)", Step(0, 100, 100, 11, "PASS"), ",",
      Step(1, 200, 200, 12, "PASS"), ",", Step(2, 400, 250, 12, "FAIL"),
      R"(], "confirmation": null, "usl": {"error": "the USL needs at least 6 load levels; have 3"}})");
}

// The first step failed: no capacity, the analyses say why not.
std::string FirstStepFailed() {
  return absl::StrCat(
      R"({"version": 1, "model": "vus", "capacity_rps": null, "capacity_load": 0,)",
      R"( "interval_rps": [0, 0], "limited_by": "service", "stopped_by": "first step failed",)",
      R"( "slo": {"text": "p95<50ms", "limits": [{"metric": "p95", "limit_ms": 50}]},)",
      R"( "knee": null, "steps": [)", Step(0, 8, 80, 400, "FAIL", "{}", "p95 400 ms >= 50 ms"),
      R"(], "confirmation": null,)",
      R"( "usl": {"error": "the USL needs at least 6 load levels; have 1"},)",
      R"( "projection": {"error": "no capacity was found"},)",
      R"( "baseline": {"error": "no capacity was found"}})");
}

std::string Page(const std::string& json) {
  absl::StatusOr<std::string> html = CapacityHtml(json);
  INFO(html.status().ToString());
  REQUIRE(html.ok());
  return *html;
}

bool HasId(const std::string& html, const std::string& id) {
  return html.find(absl::StrCat("id=\"", id, "\"")) != std::string::npos;
}

// The element with `id` up to its closing `tag`.
std::string Element(const std::string& html, const std::string& id, const std::string& tag) {
  const size_t at = html.find(absl::StrCat("id=\"", id, "\""));
  REQUIRE(at != std::string::npos);
  const size_t open = html.rfind('<', at);
  const size_t close = html.find(absl::StrCat("</", tag, ">"), at);
  REQUIRE(close != std::string::npos);
  return html.substr(open, close - open);
}

struct Line {
  int points = 0;
  std::vector<double> x, y;
};

std::vector<double> Numbers(const std::string& text) {
  std::vector<double> out;
  for (absl::string_view v : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    out.push_back(std::stod(std::string(v)));
  }
  return out;
}

// The polyline `name` of `chart`.
Line LineOf(const std::string& chart, const std::string& name) {
  const std::regex re(absl::StrCat("<polyline[^>]*data-name=\"", name,
                                   "\"[^>]*data-points=\"(\\d+)\" data-t=\"([^\"]*)\" "
                                   "data-v=\"([^\"]*)\""));
  std::smatch m;
  INFO(name);
  REQUIRE(std::regex_search(chart, m, re));
  Line l{std::stoi(m[1]), Numbers(m[2]), Numbers(m[3])};
  CHECK(l.x.size() == static_cast<size_t>(l.points));
  CHECK(l.y.size() == static_cast<size_t>(l.points));
  return l;
}

// The data-t of each marker of `kind` in `chart`.
std::vector<double> Markers(const std::string& chart, const std::string& kind) {
  std::vector<double> out;
  const std::regex re(absl::StrCat("<g class=\"marker marker-", kind, "\" data-t=\"([^\"]*)\""));
  for (std::sregex_iterator it(chart.begin(), chart.end(), re), end; it != end; ++it) {
    out.push_back(std::stod((*it)[1]));
  }
  return out;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("the capacity page of a service-bound search has the answer, every chart and the table") {
  const std::string html = Page(ServiceBound());
  const std::string answer = Element(html, "answer", "header");
  CHECK_THAT(answer, ContainsSubstring("data-capacity-rps=\"399\""));
  CHECK_THAT(answer, ContainsSubstring("data-limited-by=\"service\""));
  CHECK_THAT(answer, ContainsSubstring("CAPACITY 399.0/s<small>interval 399.0/s .. 450.0/s"));
  CHECK_THAT(answer, ContainsSubstring("SLO p95&lt;50ms,p99&lt;80ms,error_rate&lt;1%"));
  CHECK_THAT(html, ContainsSubstring("Knee: p95 at least doubles between 400.0/s and 450.0/s"));
  CHECK_THAT(Element(html, "confirmation", "p"), ContainsSubstring("Confirmation at 400/s: PASS"));

  SECTION("throughput: the USL's points, its curve, the capacity and N*") {
    const std::string chart = Element(html, "chart-throughput", "svg");
    CHECK_THAT(chart, ContainsSubstring("data-x-axis=\"linear\""));
    const Line steps = LineOf(chart, "steps");
    CHECK(steps.points == 7);
    CHECK(steps.x == std::vector<double>{1, 2.4, 12, 24, 48, 160, 360});  // sorted by N
    CHECK(Count(chart, "<circle class=\"dot\" data-name=\"steps\"") == 7);
    const Line usl = LineOf(chart, "usl");
    CHECK(usl.points == kUslCurvePoints);
    CHECK(usl.x.front() == 0);
    CHECK_THAT(usl.x.back(), WithinRel(360 * 1.05, 1e-9));
    // X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1)) at the curve's last N.
    const double n = usl.x.back();
    CHECK_THAT(usl.y.back(), WithinRel(100 * n / (1 + 0.02 * (n - 1) + 0.001 * n * (n - 1)), 1e-6));
    const Line capacity = LineOf(chart, "capacity");
    CHECK(capacity.y == std::vector<double>{399, 399});
    CHECK(Markers(chart, "n-star") == std::vector<double>{31.3});
  }
  SECTION("latency: percentiles by load, the p95 interval and the SLO's limits as lines") {
    const std::string chart = Element(html, "chart-latency", "svg");
    for (const char* name : {"p50", "p95", "p95 lo", "p95 hi", "p99"}) {
      CHECK(LineOf(chart, name).points == 7);
    }
    CHECK(LineOf(chart, "p95").x == std::vector<double>{100, 200, 400, 450, 500, 600, 800});
    CHECK(LineOf(chart, "p95").y == std::vector<double>{11, 12, 30, 60, 120, 400, 900});
    const Line slo = LineOf(chart, "slo p95");
    CHECK(slo.points == 2);
    CHECK(slo.y == std::vector<double>{50, 50});
    CHECK(LineOf(chart, "slo p99").y == std::vector<double>{80, 80});
    CHECK(chart.find("slo error_rate") == std::string::npos);  // not in ms
    CHECK(Markers(chart, "knee") == std::vector<double>{450});
    // 900 ms is over 4x the highest limit (80 ms): the axis stops at 320,
    // rounded up to its tick (350).
    const size_t y_axis = chart.find("<g class=\"axis y\">");
    const std::string ticks = chart.substr(y_axis, chart.find("</g>", y_axis) - y_axis);
    CHECK_THAT(ticks, ContainsSubstring(">350</text>"));
    CHECK(ticks.find(">400</text>") == std::string::npos);
    CHECK_THAT(html, ContainsSubstring("the axis stops at 4x the SLO&#39;s limit"));
  }
  SECTION("resources: one chart per query, cpu first, beside the bottleneck") {
    const std::string resources = Element(html, "resources", "section");
    CHECK(resources.find("chart-monitor-cpu") < resources.find("chart-monitor-db_ms"));
    const Line cpu = LineOf(Element(html, "chart-monitor-cpu", "svg"), "mean");
    CHECK(cpu.points == 7);
    CHECK(cpu.x == std::vector<double>{100, 200, 399, 400, 401, 401, 402});  // achieved, sorted
    CHECK(cpu.y.front() == 0.25);
    CHECK_THAT(Element(html, "bottleneck", "p"), ContainsSubstring("cpu reached 0.99: cpu-bound"));
  }
  SECTION("growth: the projection's chart and sentence, the baseline's verdict") {
    CHECK_THAT(Element(html, "projection", "p"),
               ContainsSubstring("headroom runs out in 17.9 months"));
    CHECK_THAT(Element(html, "baseline", "p"), ContainsSubstring("data-verdict=\"no\""));
    const std::string chart = Element(html, "chart-projection", "svg");
    const Line peak = LineOf(chart, "projected peak");
    CHECK(peak.points == kProjectionPoints);
    CHECK(peak.y.front() == 100);
    CHECK_THAT(peak.y.back(), WithinRel(100 * std::pow(1.08, peak.x.back()), 1e-9));
    CHECK(LineOf(chart, "interval hi").y == std::vector<double>{450, 450});
    CHECK(Markers(chart, "exhausted") == std::vector<double>{17.9});
  }
  SECTION("the USL's parameters with their intervals") {
    const std::string table = Element(html, "table-usl", "table");
    CHECK_THAT(table, ContainsSubstring("data-key=\"kappa\" data-value=\"0.001\""));
    CHECK_THAT(table, ContainsSubstring("[20, inf]"));
    CHECK_THAT(Element(html, "usl", "section"), ContainsSubstring("coherency"));
  }
  SECTION("the step table: a row per step and the confirmation, a column per query") {
    const std::string table = Element(html, "table-steps", "table");
    CHECK(Count(table, "<tr data-step=") == 8);
    CHECK(Count(table, "class=\"confirmation\"") == 1);
    CHECK_THAT(table, ContainsSubstring("<th>cpu</th><th>db_ms</th>"));
    CHECK_THAT(table, ContainsSubstring("data-key=\"monitor.cpu\" data-value=\"0.99\""));
    CHECK_THAT(table, ContainsSubstring("data-key=\"p95_ms\" data-value=\"30\""));
    CHECK_THAT(table, ContainsSubstring("data-lower=\"27\" data-upper=\"33\""));
  }
  SECTION("strings from the JSON are escaped") {
    CHECK(html.find("<script>alert(1)") == std::string::npos);
    CHECK_THAT(html, ContainsSubstring("p95 &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    CHECK(Count(html, "<script>") == 1);  // the hover script alone
  }
  SECTION("nothing refers outside the page") {
    CHECK(html.find("href") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
  }
}

TEST_CASE("a generator-bound capacity page gives the advice and the fit's refusal") {
  const std::string html = Page(GeneratorBound());
  CHECK_THAT(Element(html, "answer", "header"), ContainsSubstring("data-limited-by=\"generator\""));
  CHECK_THAT(Element(html, "advice", "p"),
             ContainsSubstring("not the service (the service's capacity is at least the answer): "
                               "add agents or workers: agent &lt;a1&gt; was saturated at 250/s"));
  CHECK_THAT(Element(html, "usl-error", "p"),
             ContainsSubstring("the USL needs at least 6 load levels; have 3"));
  // Without the USL's points, throughput is against the offered load.
  const std::string chart = Element(html, "chart-throughput", "svg");
  CHECK(LineOf(chart, "steps").x == std::vector<double>{100, 200, 400});
  CHECK(LineOf(chart, "steps").y == std::vector<double>{100, 200, 250});
  CHECK(LineOf(chart, "offered").y.back() == LineOf(chart, "offered").x.back());
  CHECK(Markers(chart, "n-star").empty());
  CHECK(Count(Element(html, "table-steps", "table"), "<tr data-step=") == 3);
  for (const char* absent : {"chart-monitor-", "resources", "growth", "chart-projection",
                             "table-usl", "confirmation", "knee"}) {
    INFO(absent);
    CHECK(html.find(absl::StrCat("id=\"", absent)) == std::string::npos);
  }
}

TEST_CASE("a capacity page when the first step failed says none was found and why not") {
  const std::string html = Page(FirstStepFailed());
  const std::string answer = Element(html, "answer", "header");
  CHECK_THAT(answer, ContainsSubstring("CAPACITY NONE FOUND"));
  CHECK_THAT(answer, ContainsSubstring("data-capacity-rps=\"\""));
  CHECK_THAT(Element(html, "usl-error", "p"), ContainsSubstring("have 1"));
  CHECK_THAT(Element(html, "projection", "p"), ContainsSubstring("no capacity was found"));
  CHECK_THAT(Element(html, "baseline", "p"), ContainsSubstring("no capacity was found"));
  CHECK_FALSE(HasId(html, "chart-projection"));
  const std::string chart = Element(html, "chart-throughput", "svg");
  CHECK(LineOf(chart, "steps").points == 1);
  CHECK(chart.find("data-name=\"capacity\"") == std::string::npos);
  CHECK_THAT(Element(html, "table-steps", "table"), ContainsSubstring("8 VUs"));
}

TEST_CASE("bad capacity JSON is refused naming what is wrong") {
  const auto error = [](const std::string& json) {
    absl::StatusOr<std::string> html = CapacityHtml(json);
    REQUIRE_FALSE(html.ok());
    CHECK(absl::IsInvalidArgument(html.status()));
    return std::string(html.status().message());
  };
  CHECK_THAT(error("[1, 2]"), ContainsSubstring("capacity JSON: not a JSON object"));
  CHECK_THAT(error("{\"version\": 1, \"steps\": [}"), ContainsSubstring("not a JSON object"));
  CHECK(error("{\"steps\": []}") == "capacity JSON: no \"version\"");
  CHECK(error("{\"version\": 2, \"steps\": []}") == "capacity JSON: version 2 is not 1");
  CHECK(error("{\"version\": \"1\", \"steps\": []}") ==
        "capacity JSON: version (not a number) is not 1");
  CHECK(error("{\"version\": 1}") == "capacity JSON: \"steps\" is missing or not an array");
  CHECK(error("{\"version\": 1, \"steps\": {}}") ==
        "capacity JSON: \"steps\" is missing or not an array");
  CHECK(error("{\"version\": 1, \"steps\": [{}, 3]}") == "capacity JSON: steps[1] is not an object");
  // The least a page needs: a version and steps.
  CHECK(CapacityHtml("{\"version\": 1, \"steps\": []}").ok());
}

}  // namespace
}  // namespace barrage
