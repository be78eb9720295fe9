// Copyright 2026 The Barrage Authors.
//
// The page: the answer, the charts (capacity_charts.h), resources and the
// bottleneck, growth and the baseline, the USL and the step table. The JSON
// is parsed once and checked only where the page cannot do without it (the
// version and the steps); everything else reads leniently, as the run
// report does.

#include "controller/report/capacity_html.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "controller/report/capacity_charts.h"
#include "controller/report/html_page.h"
#include "controller/report/result_doc.h"
#include "controller/report/svg_chart.h"

namespace barrage {
namespace {

using result_doc::Field;
using result_doc::Has;
using result_doc::List;
using result_doc::Num;
using result_doc::Obj;
using result_doc::Str;
using result_doc::Struct;
using result_doc::Value;

constexpr const char kCapacityStyle[] = R"css(
.answer p{margin:4px 0}.answer h1 small{font-size:15px;font-weight:400;margin-left:8px}
svg.chart circle.dot{stroke:#fff;stroke-width:1}
svg.chart .marker-n-star line{stroke:#009e73;stroke-dasharray:none;stroke-width:2}
svg.chart .marker-exhausted line{stroke:#8250df}
#table-steps td.num{white-space:nowrap}
tr.confirmation td{border-top:2px solid var(--rule);font-style:italic}
p.sentence{font-family:ui-monospace,monospace;font-size:13px}
)css";

bool IsNum(const Struct& s, const std::string& key) {
  return Field(s, key).kind_case() == Value::kNumberValue;
}

std::string Rps(double rps) { return absl::StrFormat("%.1f/s", rps); }

// A number cell as html_tables.h's: display text, and the raw number.
std::string NumCell(const std::string& key, double value, const std::string& text,
                    const std::string& extra = "") {
  return absl::StrCat("<td class=\"num\" data-key=\"", HtmlEscape(key), "\" data-value=\"",
                      ExactNumber(value), "\"", extra, ">", HtmlEscape(text), "</td>");
}

std::string TextCell(const std::string& key, const std::string& text) {
  return absl::StrCat("<td data-key=\"", HtmlEscape(key), "\">", HtmlEscape(text), "</td>");
}

absl::Status CheckShape(const Struct& r) {
  const Value& version = Field(r, "version");
  if (!Has(r, "version")) {
    return absl::InvalidArgumentError("capacity JSON: no \"version\"");
  }
  if (version.kind_case() != Value::kNumberValue || version.number_value() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "capacity JSON: version ",
        version.kind_case() == Value::kNumberValue ? ExactNumber(version.number_value())
                                                   : std::string("(not a number)"),
        " is not 1"));
  }
  const Value& steps = Field(r, "steps");
  if (steps.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("capacity JSON: \"steps\" is missing or not an array");
  }
  for (int i = 0; i < steps.list_value().values_size(); ++i) {
    if (steps.list_value().values(i).kind_case() != Value::kStructValue) {
      return absl::InvalidArgumentError(
          absl::StrCat("capacity JSON: steps[", i, "] is not an object"));
    }
  }
  return absl::OkStatus();
}

void AppendAnswer(const Struct& r, std::string& out) {
  const bool found = IsNum(r, "capacity_rps");
  const std::string limited_by = Str(r, "limited_by");
  const char* shade = !found ? "failed" : limited_by == "generator" ? "aborted" : "passed";
  const auto& interval = Field(r, "interval_rps").list_value().values();
  absl::StrAppend(&out, "<header id=\"answer\" class=\"verdict answer v-", shade,
                  "\" data-capacity-rps=\"", found ? ExactNumber(Num(r, "capacity_rps")) : "",
                  "\" data-limited-by=\"", HtmlEscape(limited_by), "\" data-stopped-by=\"",
                  HtmlEscape(Str(r, "stopped_by")), "\"><h1>CAPACITY ",
                  found ? Rps(Num(r, "capacity_rps")) : "NONE FOUND");
  if (found && interval.size() == 2) {
    absl::StrAppend(&out, "<small>interval ", Rps(interval[0].number_value()), " .. ",
                    Rps(interval[1].number_value()), "</small>");
  }
  absl::StrAppend(&out, "</h1>");
  if (found && Str(r, "model") == "vus") {
    absl::StrAppend(&out, "<span>at ", ExactNumber(Num(r, "capacity_load")), " VUs</span>");
  }
  absl::StrAppend(&out, "<span>limited by the ", HtmlEscape(limited_by), "</span><span>SLO ",
                  HtmlEscape(Str(Obj(r, "slo"), "text")), "</span><span>search stopped: ",
                  HtmlEscape(Str(r, "stopped_by")), "</span></header>\n<section id=\"summary\">");
  if (!found) {
    absl::StrAppend(&out, "<p>No capacity was found: ",
                    List(r, "steps").empty() ? "no step ran" : "the first step did not pass the SLO",
                    ".</p>");
  }
  if (limited_by == "generator") {
    absl::StrAppend(&out, "<p id=\"advice\">Limited by the generator, not the service (the "
                          "service's capacity is at least the answer): ",
                    HtmlEscape(Str(r, "advice")), "</p>");
  }
  const Struct& knee = Obj(r, "knee");
  if (IsNum(knee, "rps")) {
    absl::StrAppend(&out, "<p id=\"knee\" data-rps=\"", ExactNumber(Num(knee, "rps")),
                    "\">Knee: p95 at least doubles between ", Rps(Num(knee, "before_rps")),
                    " and ", Rps(Num(knee, "rps")), ".</p>");
  }
  const Struct& confirmation = Obj(r, "confirmation");
  if (Has(r, "confirmation") && Field(r, "confirmation").kind_case() == Value::kStructValue) {
    absl::StrAppend(&out, "<p id=\"confirmation\" data-verdict=\"",
                    HtmlEscape(Str(confirmation, "verdict")), "\">Confirmation at ",
                    ExactNumber(Num(confirmation, "load")),
                    Str(r, "model") == "vus" ? " VUs" : "/s", ": ",
                    HtmlEscape(Str(confirmation, "verdict")));
    if (!Str(confirmation, "reason").empty()) {
      absl::StrAppend(&out, " (", HtmlEscape(Str(confirmation, "reason")),
                      "): the answer is the last passing step below it");
    }
    absl::StrAppend(&out, ".</p>");
  }
  absl::StrAppend(&out, "</section>\n");
}

// "sentence" of an analysis object, or its "error".
void AppendSentence(const Struct& r, const char* key, const char* label, std::string& out) {
  if (!Has(r, key) || Field(r, key).kind_case() != Value::kStructValue) return;
  const Struct& o = Obj(r, key);
  const bool error = Has(o, "error");
  const std::string text = error                 ? Str(o, "error")
                           : Has(o, "sentence") ? Str(o, "sentence")
                                                 : Str(o, "evidence");
  absl::StrAppend(&out, "<p class=\"sentence\" id=\"", key, "\"");
  if (Has(o, "verdict")) {
    absl::StrAppend(&out, " data-verdict=\"", HtmlEscape(Str(o, "verdict")), "\"");
  }
  absl::StrAppend(&out, "><b>", label, ":</b> ", error ? "not computed: " : "", HtmlEscape(text),
                  "</p>");
}

void AppendResources(const Struct& r, std::string& out) {
  const std::vector<std::string> names = capacity_charts::MonitorNames(r);
  if (names.empty() && !Has(r, "bottleneck")) return;
  absl::StrAppend(&out, "<section id=\"resources\"><h2>Service resources</h2>");
  AppendSentence(r, "bottleneck", "bottleneck", out);
  for (const std::string& name : names) absl::StrAppend(&out, capacity_charts::Monitor(r, name));
  absl::StrAppend(&out, "</section>\n");
}

void AppendGrowth(const Struct& r, std::string& out) {
  if (!Has(r, "projection") && !Has(r, "baseline")) return;
  absl::StrAppend(&out, "<section id=\"growth\"><h2>Growth and baseline</h2>");
  AppendSentence(r, "projection", "projection", out);
  AppendSentence(r, "baseline", "baseline", out);
  absl::StrAppend(&out, capacity_charts::Projection(r), "</section>\n");
}

std::string Bound(const Value& v) {
  return v.kind_case() == Value::kNumberValue ? absl::StrFormat("%.6g", v.number_value())
                                              : std::string("inf");
}

void AppendUsl(const Struct& r, std::string& out) {
  if (Field(r, "usl").kind_case() != Value::kStructValue) return;
  const Struct& usl = Obj(r, "usl");
  absl::StrAppend(&out, "<section id=\"usl\"><h2>Universal Scalability Law</h2>");
  if (Has(usl, "error")) {
    absl::StrAppend(&out, "<p id=\"usl-error\">The USL was not fitted: ",
                    HtmlEscape(Str(usl, "error")), "</p></section>\n");
    return;
  }
  absl::StrAppend(&out, "<p>X(N) = &lambda;N / (1 + &sigma;(N&minus;1) + &kappa;N(N&minus;1)) "
                        "fitted to the steps; limited by <b data-key=\"limited_by\">",
                  HtmlEscape(Str(usl, "limited_by")), "</b>, R<sup>2</sup> ",
                  absl::StrFormat("%.3f", Num(usl, "r2")), ".</p>");
  absl::StrAppend(&out, "<table id=\"table-usl\"><caption>Parameters (95% bootstrap intervals)"
                        "</caption><thead><tr><th>parameter</th><th>value</th><th>interval</th>"
                        "</tr></thead><tbody>\n");
  for (const char* key : {"sigma", "kappa", "lambda", "n_star", "x_max"}) {
    const auto& in = Field(Obj(usl, "intervals"), key).list_value().values();
    absl::StrAppend(&out, "<tr data-key=\"", key, "\"><td>", key, "</td>",
                    IsNum(usl, key) ? NumCell(key, Num(usl, key),
                                              absl::StrFormat("%.6g", Num(usl, key)))
                                    : TextCell(key, "infinite"),
                    in.size() == 2 ? TextCell("interval", absl::StrCat("[", Bound(in[0]), ", ",
                                                                       Bound(in[1]), "]"))
                                   : TextCell("interval", "-"),
                    "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table></section>\n");
}

void AppendStepRow(const Struct& s, bool rate, bool confirmation,
                   const std::vector<std::string>& monitors, std::string& out) {
  const std::string verdict = Str(s, "verdict");
  absl::StrAppend(&out, "<tr data-step=\"", ExactNumber(Num(s, "step")), "\"",
                  confirmation ? " class=\"confirmation\""
                  : verdict == "FAIL" ? " class=\"fail\"" : "", ">",
                  NumCell("step", Num(s, "step"),
                          absl::StrCat(confirmation ? "confirm " : "",
                                       ExactNumber(Num(s, "step")))),
                  NumCell("load", Num(s, "load"),
                          absl::StrCat(ExactNumber(Num(s, "load")), rate ? "/s" : " VUs")),
                  NumCell("offered_rps", Num(s, "offered_rps"),
                          absl::StrFormat("%.1f", Num(s, "offered_rps"))),
                  NumCell("achieved_rps", Num(s, "achieved_rps"),
                          absl::StrFormat("%.1f", Num(s, "achieved_rps"))),
                  NumCell("p50_ms", Num(s, "p50_ms"), absl::StrFormat("%.1f", Num(s, "p50_ms"))));
  absl::StrAppend(
      &out,
      NumCell("p95_ms", Num(s, "p95_ms"),
              absl::StrFormat("%.1f [%.1f, %.1f]", Num(s, "p95_ms"), Num(s, "p95_lower_ms"),
                              Num(s, "p95_upper_ms")),
              absl::StrCat(" data-lower=\"", ExactNumber(Num(s, "p95_lower_ms")),
                           "\" data-upper=\"", ExactNumber(Num(s, "p95_upper_ms")), "\"")),
      NumCell("p99_ms", Num(s, "p99_ms"), absl::StrFormat("%.1f", Num(s, "p99_ms"))),
      NumCell("error_rate", Num(s, "error_rate"),
              absl::StrFormat("%.2f%% (<= %.2f%%)", 100 * Num(s, "error_rate"),
                              100 * Num(s, "error_rate_upper")),
              absl::StrCat(" data-upper=\"", ExactNumber(Num(s, "error_rate_upper")), "\"")));
  const Struct& means = Obj(s, "monitors");
  for (const std::string& name : monitors) {
    const std::string key = absl::StrCat("monitor.", name);
    absl::StrAppend(&out, IsNum(means, name)
                              ? NumCell(key, Num(means, name),
                                        absl::StrFormat("%.4g", Num(means, name)))
                              : TextCell(key, "-"));
  }
  absl::StrAppend(&out, TextCell("verdict", verdict), TextCell("reason", Str(s, "reason")),
                  "</tr>\n");
}

void AppendStepTable(const Struct& r, std::string& out) {
  const bool rate = Str(r, "model") != "vus";
  const std::vector<std::string> monitors = capacity_charts::MonitorNames(r);
  absl::StrAppend(&out, "<section id=\"steps\"><h2>Steps</h2><table id=\"table-steps\">"
                        "<caption>Each step's measured stage (warm-up discarded); bounds are "
                        "95% bootstrap intervals</caption><thead><tr>");
  for (const char* c : {"step", "load", "offered /s", "achieved /s", "p50 ms", "p95 ms [lo, hi]",
                        "p99 ms", "errors"}) {
    absl::StrAppend(&out, "<th>", c, "</th>");
  }
  for (const std::string& name : monitors) absl::StrAppend(&out, "<th>", HtmlEscape(name), "</th>");
  absl::StrAppend(&out, "<th>verdict</th><th>reason</th></tr></thead><tbody>\n");
  for (const Struct* s : List(r, "steps")) AppendStepRow(*s, rate, false, monitors, out);
  if (Field(r, "confirmation").kind_case() == Value::kStructValue) {
    AppendStepRow(Obj(r, "confirmation"), rate, true, monitors, out);
  }
  absl::StrAppend(&out, "</tbody></table></section>\n");
}

}  // namespace

absl::StatusOr<std::string> CapacityHtml(const std::string& capacity_json) {
  absl::StatusOr<Struct> parsed = result_doc::ParseResultJson(capacity_json);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "capacity JSON: not a JSON object: ",
        absl::StripPrefix(parsed.status().message(), "not a result JSON object: ")));
  }
  const Struct& r = *parsed;
  if (absl::Status s = CheckShape(r); !s.ok()) return s;

  std::string out = HtmlPageHead(
      absl::StrCat("Barrage capacity: ",
                   IsNum(r, "capacity_rps") ? Rps(Num(r, "capacity_rps")) : "none found",
                   " within ", Str(Obj(r, "slo"), "text")),
      kCapacityStyle);
  AppendAnswer(r, out);
  absl::StrAppend(&out, "<section id=\"charts\"><h2>Load</h2>", capacity_charts::Throughput(r),
                  capacity_charts::Latency(r), "</section>\n");
  AppendResources(r, out);
  AppendGrowth(r, out);
  AppendUsl(r, out);
  AppendStepTable(r, out);
  absl::StrAppend(&out, HtmlPageEnd());
  return out;
}

}  // namespace barrage
