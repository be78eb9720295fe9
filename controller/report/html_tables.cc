// Copyright 2026 The Barrage Authors.

#include "controller/report/html_tables.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/stats/outcome.h"
#include "controller/report/svg_chart.h"

namespace barrage {
namespace {

using result_doc::Count;
using result_doc::Field;
using result_doc::Has;
using result_doc::List;
using result_doc::Num;
using result_doc::Obj;
using result_doc::RequestOrder;
using result_doc::Str;
using result_doc::Struct;
using result_doc::Value;

constexpr Outcome kErrorOutcomes[] = {Outcome::kHttpError, Outcome::kTimeout,
                                      Outcome::kConnectError, Outcome::kOther,
                                      Outcome::kCheckFailed};

enum class Shown { kCount, kMs, kFixed2, kPercent };

// A number cell: the display text and, in data-value, the raw number.
std::string NumCell(const std::string& key, double v, Shown shown) {
  std::string text;
  switch (shown) {
    case Shown::kCount: text = ExactNumber(v); break;
    case Shown::kMs: text = absl::StrFormat("%.2f", v); break;
    case Shown::kFixed2: text = absl::StrFormat("%.2f", v); break;
    case Shown::kPercent: text = absl::StrFormat("%.3f%%", v * 100); break;
  }
  return absl::StrCat("<td class=\"num\" data-key=\"", HtmlEscape(key), "\" data-value=\"",
                      ExactNumber(v), "\">", text, "</td>");
}

std::string TextCell(const std::string& key, const std::string& text) {
  return absl::StrCat("<td data-key=\"", HtmlEscape(key), "\">", HtmlEscape(text), "</td>");
}

// A field that may be null (an unreached stage, a threshold without data).
std::string MaybeNumCell(const std::string& key, const Value& v, Shown shown) {
  if (v.kind_case() != Value::kNumberValue) return TextCell(key, "-");
  return NumCell(key, v.number_value(), shown);
}

void Head(const char* id, const char* caption, std::initializer_list<const char*> columns,
          std::string& out) {
  absl::StrAppend(&out, "<table id=\"", id, "\"><caption>", caption, "</caption><thead><tr>");
  for (const char* c : columns) absl::StrAppend(&out, "<th>", c, "</th>");
  absl::StrAppend(&out, "</tr></thead><tbody>\n");
}

// "200 30, 503 4", in numeric order.
std::string Statuses(const Struct& codes) {
  std::vector<std::pair<uint32_t, uint64_t>> sorted;
  for (const auto& [key, v] : codes.fields()) {
    uint32_t status = 0;
    if (absl::SimpleAtoi(key, &status)) sorted.emplace_back(status, Count(codes, key));
  }
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [status, n] : sorted) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", status, " ", n);
  }
  return out;
}

// "< 250ms" from "p95 < 250ms (home) over 1m": the comparison and limit.
std::string Limit(const std::string& expr) {
  std::vector<std::string> words = absl::StrSplit(expr, ' ', absl::SkipEmpty());
  if (words.size() < 3) return "";
  return absl::StrCat(words[1], " ", words[2]);
}

void LatencyCells(const Struct& latency, std::string& out) {
  for (const char* p : {"p50", "p90", "p95", "p99", "p999", "max"}) {
    out += NumCell(p, Num(latency, p), Shown::kMs);
  }
}

}  // namespace

void AppendStagesTable(const Struct& r, std::string& out) {
  Head("table-stages", "Stages", {"stage", "duration s", "target", "reached", "ran s",
                                  "achieved rps"}, out);
  for (const Struct* st : List(r, "stages")) {
    absl::StrAppend(&out, "<tr>", NumCell("index", Num(*st, "index"), Shown::kCount),
                    NumCell("duration_s", Num(*st, "duration_s"), Shown::kFixed2));
    if (Field(*st, "target_rps").kind_case() == Value::kNumberValue) {
      out += NumCell("target_rps", Num(*st, "target_rps"), Shown::kFixed2);
    } else {
      absl::StrAppend(&out, "<td class=\"num\" data-key=\"vus\" data-value=\"",
                      ExactNumber(Num(*st, "vus")), "\">", ExactNumber(Num(*st, "vus")),
                      " VUs</td>");
    }
    absl::StrAppend(&out, TextCell("reached", Field(*st, "reached").bool_value() ? "yes" : "no"),
                    NumCell("ran_s", Num(*st, "ran_s"), Shown::kFixed2),
                    MaybeNumCell("achieved_rps", Field(*st, "achieved_rps"), Shown::kFixed2),
                    "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendThresholdsTable(const Struct& r, std::string& out) {
  Head("table-thresholds", "Thresholds", {"threshold", "result", "value", "limit", "worst window"},
       out);
  for (const Struct* t : List(r, "thresholds")) {
    const bool latency = Has(*t, "value_ms");
    const bool passed = Field(*t, "passed").bool_value();
    const std::string& expr = Str(*t, "expr");
    const Shown shown = latency ? Shown::kMs
                        : expr.rfind("error_rate", 0) == 0 ? Shown::kPercent
                                                           : Shown::kFixed2;
    absl::StrAppend(&out, "<tr class=\"", passed ? "pass" : "fail", "\">",
                    TextCell("expr", expr), TextCell("passed", passed ? "ok" : "FAIL"),
                    MaybeNumCell(latency ? "value_ms" : "value",
                                 Field(*t, latency ? "value_ms" : "value"), shown),
                    TextCell("limit", Limit(expr)));
    if (Has(*t, "worst")) {
      const Struct& w = Obj(*t, "worst");
      const double value = Num(w, "value");
      const double at = Num(w, "at_s");
      absl::StrAppend(&out, "<td data-key=\"worst\" data-value=\"", ExactNumber(value),
                      "\" data-at=\"", ExactNumber(at), "\">",
                      shown == Shown::kPercent ? absl::StrFormat("%.3f%%", value * 100)
                                               : absl::StrFormat("%.2f", value),
                      absl::StrFormat(" at %.0f s", at), "</td>");
    } else {
      out += "<td></td>";
    }
    out += "</tr>\n";
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendTotalsTable(const Struct& r, std::string& out) {
  Head("table-totals", "Totals", {"", "value"}, out);
  const Struct& totals = Obj(r, "totals");
  for (const char* key : {"requests", "errors", "error_rate", "rps", "dropped", "bytes_received",
                          "bytes_sent", "late_reports", "rejected_reports"}) {
    if (!Has(totals, key)) continue;
    const std::string k = key;
    absl::StrAppend(&out, "<tr><th>", key, "</th>",
                    NumCell(k, Num(totals, key),
                            k == "error_rate" ? Shown::kPercent
                            : k == "rps"      ? Shown::kFixed2
                                              : Shown::kCount),
                    "</tr>\n");
  }
  const Struct& outcomes = Obj(r, "outcomes");
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    const std::string name = OutcomeName(static_cast<Outcome>(o));
    absl::StrAppend(&out, "<tr><th>outcome ", name, "</th>",
                    NumCell("outcome_" + name, Num(outcomes, name), Shown::kCount), "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendRequestsTable(const Struct& r, const RunSeries* series, std::string& out) {
  Head("table-requests", "Requests (latency of ok responses, ms)",
       {"request", "requests", "ok", "errors", "http_error", "timeout", "connect_error", "other",
        "check_failed", "statuses", "p50", "p90", "p95", "p99", "p99.9", "max"},
       out);
  const Struct& requests = Obj(r, "requests");
  auto row = [&](const Struct& q, const std::string* name,
                 const std::array<uint64_t, kOutcomeCount>* outcomes) {
    if (name == nullptr) {
      out += "<tr class=\"all\">";
      out += TextCell("name", "all requests");
    } else {
      absl::StrAppend(&out, "<tr data-request=\"", HtmlEscape(*name), "\">",
                      TextCell("name", *name));
    }
    absl::StrAppend(&out, NumCell("requests", Num(q, "requests"), Shown::kCount),
                    NumCell("ok", Num(q, "ok"), Shown::kCount),
                    NumCell("errors", Num(q, "errors"), Shown::kCount));
    for (Outcome o : kErrorOutcomes) {
      if (outcomes == nullptr) {
        out += TextCell(OutcomeName(o), "-");
      } else {
        out += NumCell(OutcomeName(o), static_cast<double>((*outcomes)[static_cast<size_t>(o)]),
                       Shown::kCount);
      }
    }
    out += TextCell("statuses", Statuses(Obj(q, "status_codes")));
    LatencyCells(Obj(q, "latency_ms"), out);
    out += "</tr>\n";
  };
  const std::vector<std::string> order = RequestOrder(r);
  for (const std::string& name : order) {
    std::array<uint64_t, kOutcomeCount> outcomes{};
    const std::array<uint64_t, kOutcomeCount>* from_series = nullptr;
    if (series != nullptr) {
      const auto at = std::find(series->requests.begin(), series->requests.end(), name);
      if (at != series->requests.end()) {
        const size_t i = static_cast<size_t>(at - series->requests.begin());
        for (const SeriesInterval& in : series->intervals) {
          for (size_t o = 0; o < kOutcomeCount; ++o) outcomes[o] += in.requests[i].outcomes[o];
        }
        from_series = &outcomes;
      }
    }
    row(Obj(requests, name), &name, from_series);
  }
  // The run as a whole: its totals, outcomes and latency.
  Struct all;
  const Struct& totals = Obj(r, "totals");
  const Struct& outcomes_json = Obj(r, "outcomes");
  (*all.mutable_fields())["requests"].set_number_value(Num(totals, "requests"));
  (*all.mutable_fields())["ok"].set_number_value(Num(outcomes_json, "ok"));
  (*all.mutable_fields())["errors"].set_number_value(Num(totals, "errors"));
  *(*all.mutable_fields())["status_codes"].mutable_struct_value() = Obj(r, "status_codes");
  *(*all.mutable_fields())["latency_ms"].mutable_struct_value() = Obj(r, "latency_ms");
  std::array<uint64_t, kOutcomeCount> run_outcomes{};
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    run_outcomes[o] = Count(outcomes_json, OutcomeName(static_cast<Outcome>(o)));
  }
  row(all, nullptr, &run_outcomes);
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendFlowsTable(const Struct& r, std::string& out) {
  const std::vector<const Struct*> flows = List(r, "flows");
  if (flows.empty()) return;
  Head("table-flows", "Flows (durations of succeeded iterations, ms)",
       {"flow", "started", "succeeded", "failed", "aborted", "success rate", "p50", "p90", "p95",
        "p99", "max", "mean", "p95 with think", "top failing step"},
       out);
  for (const Struct* f : flows) {
    absl::StrAppend(&out, "<tr data-flow=\"", HtmlEscape(Str(*f, "name")), "\">",
                    TextCell("name", Str(*f, "name")));
    for (const char* key : {"started", "succeeded", "failed", "aborted"}) {
      out += NumCell(key, Num(*f, key), Shown::kCount);
    }
    out += MaybeNumCell("success_rate", Field(*f, "success_rate"), Shown::kPercent);
    const Struct& d = Obj(*f, "duration_ms");
    for (const char* p : {"p50", "p90", "p95", "p99", "max", "mean"}) {
      out += NumCell(p, Num(d, p), Shown::kMs);
    }
    out += NumCell("p95_with_think", Num(Obj(*f, "duration_with_think_ms"), "p95"), Shown::kMs);
    const std::vector<const Struct*> failures = List(*f, "failures");
    out += failures.empty() ? TextCell("top_failing_step", "-")
                            : TextCell("top_failing_step",
                                       absl::StrCat(Str(*failures[0], "step"), " (",
                                                    Count(*failures[0], "count"), ")"));
    out += "</tr>\n";
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendAgentsTable(const Struct& r, std::string& out) {
  Head("table-agents", "Agents",
       {"agent", "version", "HTTP client", "requests", "errors", "dropped", "late", "connections",
        "CPU s", "schedule lag p99 ms", "saturated intervals"},
       out);
  for (const Struct* a : List(r, "agents")) {
    absl::StrAppend(&out, "<tr data-agent=\"", HtmlEscape(Str(*a, "id")), "\">",
                    TextCell("id", Str(*a, "id")), TextCell("version", Str(*a, "version")),
                    TextCell("http_client", Str(*a, "http_client")));
    for (const char* key : {"requests", "errors", "dropped", "late", "connections_opened"}) {
      out += NumCell(key, Num(*a, key), Shown::kCount);
    }
    absl::StrAppend(&out, NumCell("cpu_seconds", Num(*a, "cpu_seconds"), Shown::kFixed2),
                    NumCell("schedule_lag_p99_ms", Num(*a, "schedule_lag_p99_ms"), Shown::kMs),
                    NumCell("saturated_intervals", Num(*a, "saturated_intervals"), Shown::kCount),
                    "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendPhasesTable(const Struct& r, std::string& out) {
  if (!Has(r, "phases_ms")) return;
  const Struct& phases = Obj(r, "phases_ms");
  Head("table-phases", "Connection phases (ms)",
       {"phase", "p50", "p95", "p99", "max", "count"}, out);
  for (const char* name : {"connect", "tls", "ttfb"}) {
    if (!Has(phases, name)) continue;
    const Struct& p = Obj(phases, name);
    absl::StrAppend(&out, "<tr data-phase=\"", name, "\">", TextCell("phase", name));
    for (const char* key : {"p50", "p95", "p99", "max"}) out += NumCell(key, Num(p, key), Shown::kMs);
    absl::StrAppend(&out, NumCell("count", Num(p, "count"), Shown::kCount), "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

void AppendEventsTable(const Struct& r, std::string& out) {
  Head("table-events", "Events", {"at s", "kind", "agent", "action"}, out);
  for (const Struct* e : List(r, "events")) {
    absl::StrAppend(&out, "<tr>", NumCell("at_s", Num(*e, "at_s"), Shown::kFixed2),
                    TextCell("kind", Str(*e, "kind")), TextCell("agent", Str(*e, "agent")),
                    TextCell("action", Str(*e, "action")), "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

}  // namespace barrage
