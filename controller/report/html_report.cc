// Copyright 2026 The Barrage Authors.
//
// The page: verdict banner, fingerprint, thresholds, totals, requests,
// charts (series_view.h decimates, svg_chart.h draws), agents, events and
// trend. Everything is inline; the result JSON is parsed once.

#include "controller/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "controller/report/html_page.h"
#include "controller/report/html_tables.h"
#include "controller/report/result_doc.h"
#include "controller/report/series_view.h"
#include "controller/report/svg_chart.h"
#include "controller/report/time_series.h"

namespace barrage {
namespace {

using result_doc::Field;
using result_doc::Has;
using result_doc::List;
using result_doc::Num;
using result_doc::Obj;
using result_doc::Str;
using result_doc::Struct;

// Points on the percentile distribution chart: x = log10(1/(1-p)) from 1
// (90%) to 4 (99.99%).
constexpr int kTailPoints = 61;


std::string StatusOf(const Struct& r) {
  const std::string& s = Str(r, "status");
  return s == "passed" || s == "failed" || s == "aborted" ? s : "error";
}

int ExitCodeOf(const Struct& r, const std::string& status) {
  if (Field(r, "exit_code").kind_case() == google::protobuf::Value::kNumberValue) {
    return static_cast<int>(Num(r, "exit_code"));
  }
  return status == "passed" ? 0 : status == "failed" ? 99 : status == "aborted" ? 4 : 1;
}

void AppendBanner(const Struct& r, std::string& out) {
  const std::string status = StatusOf(r);
  const int code = ExitCodeOf(r, status);
  absl::StrAppend(&out, "<header id=\"verdict\" class=\"verdict v-", status, "\" data-status=\"",
                  status, "\" data-exit-code=\"", code, "\"><h1>", absl::AsciiStrToUpper(status),
                  "</h1><span>exit code ", code, "</span><span>", HtmlEscape(Str(r, "scenario")),
                  "</span><span>run ", HtmlEscape(Str(r, "run")), "</span>");
  if (Has(r, "error")) absl::StrAppend(&out, "<span>", HtmlEscape(Str(r, "error")), "</span>");
  absl::StrAppend(&out, "</header>\n");
}

void AppendFingerprint(const Struct& r, std::string& out) {
  const Struct& fp = Obj(r, "fingerprint");
  absl::StrAppend(&out, "<section id=\"fingerprint\"><h2>Run</h2><dl class=\"fp\">");
  auto item = [&](const char* key, const char* label, const std::string& value) {
    absl::StrAppend(&out, "<dt>", label, "</dt><dd data-key=\"", key, "\">",
                    value.empty() ? "-" : HtmlEscape(value), "</dd>");
  };
  item("scenario", "scenario", Str(r, "scenario"));
  item("scenario_sha256", "scenario SHA-256", Str(fp, "scenario_sha256"));
  item("load_sha256", "load SHA-256", Str(fp, "load_sha256"));
  item("file", "file", Str(fp, "file"));
  item("target", "target", Str(fp, "target"));
  if (!Str(fp, "network").empty()) item("network", "emulated network", Str(fp, "network"));
  item("run", "run", Str(r, "run"));
  item("started_at", "started", Str(r, "started_at"));
  item("duration_s", "duration", absl::StrFormat("%.3f s", Num(r, "duration_s")));
  std::string agents;
  for (const Struct* a : List(r, "agents")) {
    absl::StrAppend(&agents, agents.empty() ? "" : ", ", Str(*a, "id"), " (",
                    Str(*a, "version").empty() ? "version ?" : Str(*a, "version"), ", ",
                    Str(*a, "http_client").empty() ? "client ?" : Str(*a, "http_client"), ")");
  }
  item("agents", "agents", agents);
  absl::StrAppend(&out, "</dl>");
  AppendStagesTable(r, out);
  absl::StrAppend(&out, "</section>\n");
}

// The stage bands and event markers of every time chart.
struct TimeAxis {
  double end_s = 1;
  std::vector<ChartBand> bands;
  std::vector<ChartMarker> markers;
};

TimeAxis TimeAxisOf(const Struct& r, double series_end_s) {
  TimeAxis axis;
  axis.end_s = std::max({1.0, Num(r, "duration_s"), series_end_s});
  double start = 0;
  for (const Struct* st : List(r, "stages")) {
    const double ran = Field(*st, "reached").bool_value() ? Num(*st, "ran_s") : 0;
    const bool open = Field(*st, "target_rps").kind_case() == google::protobuf::Value::kNumberValue;
    const bool warmup = Field(*st, "warmup").bool_value();
    axis.bands.push_back({start, start + (ran > 0 ? ran : Num(*st, "duration_s")),
                          absl::StrFormat("stage %d: %s%s", static_cast<int>(Num(*st, "index")),
                                          open ? absl::StrFormat("%g/s", Num(*st, "target_rps"))
                                               : absl::StrFormat("%g VUs", Num(*st, "vus")),
                                          warmup ? " (warm-up)" : ""),
                          warmup});
    start += Num(*st, "duration_s");
  }
  for (const Struct* e : List(r, "events")) {
    std::string label = absl::StrFormat("%.1f s: %s", Num(*e, "at_s"), Str(*e, "kind"));
    if (!Str(*e, "agent").empty()) absl::StrAppend(&label, " ", Str(*e, "agent"));
    if (!Str(*e, "action").empty()) absl::StrAppend(&label, " (", Str(*e, "action"), ")");
    axis.markers.push_back({Num(*e, "at_s"), Str(*e, "kind"), label});
  }
  return axis;
}

std::string TimeChart(const char* id, const char* title, const char* unit, const char* unit2,
                      std::vector<ChartLine> lines, const TimeAxis& axis,
                      const std::string& note) {
  ChartSpec spec;
  spec.id = id;
  spec.title = title;
  spec.y_unit = unit;
  spec.y2_unit = unit2;
  spec.x_max = axis.end_s;
  spec.lines = std::move(lines);
  spec.bands = axis.bands;
  spec.markers = axis.markers;
  spec.note = note;
  return SvgChart(spec);
}

ChartLine TailLine(const std::string& name, const SparseHistogram& h) {
  ChartLine l;
  l.name = name;
  if (h.empty()) return l;
  for (int i = 0; i < kTailPoints; ++i) {
    const double x = 1 + 3.0 * i / (kTailPoints - 1);
    l.x.push_back(x);
    l.y.push_back(static_cast<double>(h.Quantile(1 - std::pow(10.0, -x))) / 1000.0);
  }
  return l;
}

// The baseline's distribution: from its series when it has one, else the
// four tail percentiles of its latency_ms.
absl::StatusOr<ChartLine> BaselineLine(const std::string& json) {
  absl::StatusOr<Struct> root = result_doc::ParseResultJson(json);
  if (!root.ok()) return absl::InvalidArgumentError(absl::StrCat("baseline: ", root.status().message()));
  if (Has(*root, "series")) {
    absl::StatusOr<RunSeries> s = SeriesFromJson(Obj(*root, "series"));
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("baseline: ", s.status().message()));
    ChartLine l = TailLine("baseline", ViewOf(*s).whole_run);
    l.dashed = true;
    return l;
  }
  ChartLine l;
  l.name = "baseline";
  l.dashed = true;
  const Struct& lat = Obj(*root, "latency_ms");
  const std::pair<double, const char*> points[] = {
      {1, "p90"}, {std::log10(20.0), "p95"}, {2, "p99"}, {3, "p999"}};
  for (const auto& [x, key] : points) {
    if (!Has(lat, key)) continue;
    l.x.push_back(x);
    l.y.push_back(Num(lat, key));
  }
  return l;
}

std::string TrendChart(const std::vector<TrendPoint>& trend) {
  ChartSpec spec;
  spec.id = "chart-trend";
  spec.title = "Trend over this scenario's runs";
  spec.y_unit = "ms";
  spec.y2_unit = "error %";
  spec.x_axis = XAxis::kIndex;
  spec.x_max = std::max<double>(1, static_cast<double>(trend.size()) - 1);
  for (const char* name : {"p50", "p95", "p99", "error_rate"}) {
    spec.lines.emplace_back();
    spec.lines.back().name = name;
  }
  spec.lines[3].axis = 1;
  for (size_t i = 0; i < trend.size(); ++i) {
    const TrendPoint& p = trend[i];
    const double x = static_cast<double>(i);
    const double values[] = {p.p50_ms, p.p95_ms, p.p99_ms, p.error_rate * 100};
    for (size_t l = 0; l < 4; ++l) {
      spec.lines[l].x.push_back(x);
      spec.lines[l].y.push_back(values[l]);
    }
    spec.x_labels.push_back(p.run_id.size() > 12 ? p.run_id.substr(p.run_id.size() - 12)
                                                 : p.run_id);
    if (p.change_point) {
      spec.markers.push_back({x, "change-point",
                              absl::StrCat("a change begins at run ", p.run_id, " (",
                                           p.started_at, ")")});
    }
  }
  return SvgChart(spec);
}

}  // namespace

absl::StatusOr<std::string> HtmlReport(const std::string& result_json,
                                       const HtmlReportOptions& options) {
  absl::StatusOr<Struct> parsed = result_doc::ParseResultJson(result_json);
  if (!parsed.ok()) return parsed.status();
  const Struct& r = *parsed;
  std::optional<RunSeries> series;
  if (Has(r, "series")) {
    absl::StatusOr<RunSeries> s = SeriesFromJson(Obj(r, "series"));
    if (!s.ok()) return s.status();
    series = *std::move(s);
  }
  std::optional<ChartLine> baseline;
  if (!options.baseline_json.empty()) {
    absl::StatusOr<ChartLine> b = BaselineLine(options.baseline_json);
    if (!b.ok()) return b.status();
    baseline = *std::move(b);
  }
  const SeriesView view = series ? ViewOf(*series) : ViewOf(RunSeries());

  std::string out;
  out.reserve(256 * 1024);
  absl::StrAppend(&out, HtmlPageHead(absl::StrCat("Barrage: ", Str(r, "scenario"), " ",
                                                  Str(r, "run"))));
  AppendBanner(r, out);
  AppendFingerprint(r, out);
  absl::StrAppend(&out, "<section id=\"results\"><h2>Results</h2><div class=\"grid2\"><div>");
  AppendThresholdsTable(r, out);
  absl::StrAppend(&out, "</div><div>");
  AppendTotalsTable(r, out);
  absl::StrAppend(&out, "</div></div>");
  AppendRequestsTable(r, series ? &*series : nullptr, out);
  AppendFlowsTable(r, out);
  AppendPhasesTable(r, out);
  absl::StrAppend(&out, "</section>\n<section id=\"charts\"><h2>Over time</h2>");
  std::string note;
  if (!series) {
    note = "no time series in this result";
  } else if (view.intervals_per_point > 1) {
    note = absl::StrFormat("%d intervals per point", view.intervals_per_point);
  }
  if (series && !series->coarsened.empty()) {
    absl::StrAppend(&out, "<p class=\"note\">Parts of the series were coarsened to fit the run's "
                          "budget: before ", series->coarsened.front().before_s, " s, ",
                    series->coarsened.front().length_s, " s intervals.</p>");
  }
  const TimeAxis axis = TimeAxisOf(r, view.end_s);
  absl::StrAppend(
      &out,
      TimeChart("chart-rate", "Offered and achieved rate", "req/s", "", view.rate, axis, note),
      TimeChart("chart-latency",
                "Latency of ok responses, all requests merged (p99 and max: highest in a point)",
                "ms", "", view.latency, axis, note),
      view.flows.empty()
          ? std::string()
          : TimeChart("chart-flows",
                      "Flow durations of succeeded iterations, think time excluded", "ms", "",
                      view.flows, axis, note),
      view.monitor.empty()
          ? ""
          : TimeChart("chart-monitor", "Monitor: service telemetry (Prometheus, mean per point)",
                      "", "", view.monitor, axis, note),
      TimeChart("chart-errors", "Errors by outcome", "errors/s", "", view.errors, axis, note),
      TimeChart("chart-fleet", "Agents and active VUs", "agents", "VUs", view.fleet, axis, note));
  ChartSpec tail;
  tail.id = "chart-distribution";
  tail.title = "Latency percentile distribution (whole run, ok responses)";
  tail.y_unit = "ms";
  tail.x_axis = XAxis::kTailLog;
  tail.x_min = 1;
  tail.x_max = 4;
  tail.lines.push_back(TailLine("run", view.whole_run));
  if (baseline) tail.lines.push_back(*baseline);
  if (!series) tail.note = note;
  absl::StrAppend(&out, SvgChart(tail), "</section>\n");
  if (!options.trend.empty()) {
    absl::StrAppend(&out, "<section id=\"trend\"><h2>Trend</h2>", TrendChart(options.trend),
                    "</section>\n");
  }
  absl::StrAppend(&out, "<section id=\"agents\"><h2>Agents</h2>");
  AppendAgentsTable(r, out);
  absl::StrAppend(&out, "</section>\n<section id=\"events\"><h2>Events</h2>");
  AppendEventsTable(r, out);
  absl::StrAppend(&out, "</section>\n", HtmlPageEnd());
  return out;
}

}  // namespace barrage
