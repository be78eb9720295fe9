// Copyright 2026 The Barrage Authors.

#include "controller/report/summary_text.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/stats/outcome.h"
#include "controller/report/result_doc.h"

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

// Reasons listed on the "errors by reason" line; the rest are "...".
constexpr size_t kReasonsShown = 8;

std::string Verdict(const std::string& status) {
  return status.empty() ? "ERROR" : absl::AsciiStrToUpper(status);
}

void AppendThreshold(const Struct& t, std::string& out) {
  const bool latency = Has(t, "value_ms");
  const Value& v = Field(t, latency ? "value_ms" : "value");
  const std::string& expr = Str(t, "expr");
  const bool error_rate = expr.rfind("error_rate", 0) == 0;
  auto format = [&](double x) {
    return latency      ? absl::StrFormat("%.2f ms", x)
           : error_rate ? absl::StrFormat("%.3f%%", x * 100)
                        : absl::StrFormat("%.2f/s", x);
  };
  absl::StrAppend(
      &out, "  ", Field(t, "passed").bool_value() ? "ok  " : "FAIL", "  ", expr, "  (",
      v.kind_case() == Value::kNumberValue ? format(v.number_value()) : "no data", ")");
  if (Has(t, "worst")) {
    const Struct& w = Obj(t, "worst");
    absl::StrAppend(&out, absl::StrFormat("  worst %s at %.0f s", format(Num(w, "value")),
                                          Num(w, "at_s")));
  }
  absl::StrAppend(&out, "\n");
}

// Errors by kind and by reason, status codes and aborted requests.
void AppendBreakdown(const Struct& r, std::string& out) {
  const Struct& outcomes = Obj(r, "outcomes");
  std::string kinds;
  for (size_t o = 1; o < kOutcomeCount; ++o) {
    // Aborted requests are not errors of the service: they have their own line.
    if (static_cast<Outcome>(o) == Outcome::kAborted) continue;
    const char* name = OutcomeName(static_cast<Outcome>(o));
    if (const uint64_t n = Count(outcomes, name); n > 0) {
      absl::StrAppend(&kinds, "  ", name, " ", n);
    }
  }
  if (!kinds.empty()) absl::StrAppend(&out, "  errors by kind:", kinds, "\n");
  const std::vector<const Struct*> reasons = List(r, "errors_by_reason");
  if (!reasons.empty()) {
    absl::StrAppend(&out, "  errors by reason:");
    for (size_t i = 0; i < reasons.size() && i < kReasonsShown; ++i) {
      absl::StrAppend(&out, i == 0 ? " " : ", ", Str(*reasons[i], "reason"), " ",
                      Count(*reasons[i], "count"));
    }
    if (reasons.size() > kReasonsShown) absl::StrAppend(&out, ", ...");
    absl::StrAppend(&out, "\n");
  }
  // Failed checks and captures (outcome check_failed), by name.
  std::string checks;
  for (const Struct* reason : reasons) {
    const std::string& name = Str(*reason, "reason");
    if (name.rfind("check ", 0) != 0 && name.rfind("capture ", 0) != 0) continue;
    absl::StrAppend(&checks, checks.empty() ? " " : ", ", name, " ", Count(*reason, "count"));
  }
  if (!checks.empty()) absl::StrAppend(&out, "  check_failed by check:", checks, "\n");
  // Keys are status numbers; listed in numeric order.
  std::vector<std::pair<uint32_t, uint64_t>> statuses;
  const Struct& codes = Obj(r, "status_codes");
  for (const auto& [key, n] : codes.fields()) {
    uint32_t status = 0;
    if (absl::SimpleAtoi(key, &status)) statuses.emplace_back(status, Count(codes, key));
  }
  std::sort(statuses.begin(), statuses.end());
  if (!statuses.empty()) {
    absl::StrAppend(&out, "  status codes:");
    for (const auto& [status, n] : statuses) absl::StrAppend(&out, " ", status, " ", n);
    absl::StrAppend(&out, "\n");
  }
  if (const uint64_t aborted = Count(outcomes, OutcomeName(Outcome::kAborted)); aborted > 0) {
    absl::StrAppend(&out, absl::StrFormat(
        "  aborted %d (in flight at the immediate stop: counted, not errors)\n", aborted));
  }
}

// The stages, only when one of them ran less than its duration.
void AppendStages(const Struct& r, std::string& out) {
  const std::vector<const Struct*> stages = List(r, "stages");
  bool cut = false;
  for (const Struct* st : stages) {
    cut = cut || Num(*st, "ran_s") + 1e-6 < Num(*st, "duration_s");
  }
  if (!cut) return;
  absl::StrAppend(&out, "\nstages (the run ended early)\n");
  for (size_t i = 0; i < stages.size(); ++i) {
    const Struct& st = *stages[i];
    if (!Field(st, "reached").bool_value()) {
      absl::StrAppend(&out, absl::StrFormat("  %d  not reached\n", i));
    } else {
      absl::StrAppend(&out, absl::StrFormat("  %d  ran %.1f of %.1f s  achieved %.2f/s\n", i,
                                            Num(st, "ran_s"), Num(st, "duration_s"),
                                            Num(st, "achieved_rps")));
    }
  }
}

void AppendLatency(const Struct& r, std::string& out) {
  absl::StrAppend(&out, "\nlatency: successful requests only (ms, from intended send)\n");
  absl::StrAppend(&out, "                                          p50      p90      p95"
                        "      p99    p99.9      max\n");
  auto row = [&](const std::string& name, const Struct& h, uint64_t n) {
    absl::StrAppend(&out, absl::StrFormat(
        "  %-24s %8d  %7.2f  %7.2f  %7.2f  %7.2f  %7.2f  %7.2f\n", name.substr(0, 24), n,
        Num(h, "p50"), Num(h, "p90"), Num(h, "p95"), Num(h, "p99"), Num(h, "p999"),
        Num(h, "max")));
  };
  const uint64_t ok = Count(Obj(r, "outcomes"), OutcomeName(Outcome::kOk));
  row("all", Obj(r, "latency_ms"), ok);
  const Struct& per_request = Obj(r, "requests");
  for (const std::string& name : RequestOrder(r)) {
    const Struct& q = Obj(per_request, name);
    // "ok" is newer than the rest; before it, requests less errors.
    const uint64_t n = Has(q, "ok") ? Count(q, "ok")
                                    : Count(q, "requests") - std::min(Count(q, "requests"),
                                                                      Count(q, "errors"));
    row(name, Obj(q, "latency_ms"), n);
  }
  row("service time (all)", Obj(r, "service_time_ms"), ok);
  const uint64_t errors = Count(Obj(r, "totals"), "errors");
  if (errors > 0) row("failed requests (all)", Obj(r, "error_latency_ms"), errors);
  // Connection phases, when the agents measured them.
  if (Has(r, "phases_ms")) {
    const Struct& phases = Obj(r, "phases_ms");
    std::string line;
    for (const char* name : {"connect", "tls", "ttfb"}) {
      if (!Has(phases, name)) continue;
      const Struct& p = Obj(phases, name);
      if (Count(p, "count") == 0) continue;
      absl::StrAppend(&line, absl::StrFormat("  %s %.2f/%.2f/%.2f (%d)", name, Num(p, "p50"),
                                             Num(p, "p99"), Num(p, "max"), Count(p, "count")));
    }
    if (!line.empty()) absl::StrAppend(&out, "  phases p50/p99/max ms (n):", line, "\n");
  }
}

// The flows table: iterations, success rate, durations, top failing step.
void AppendFlows(const Struct& r, std::string& out) {
  const std::vector<const Struct*> flows = List(r, "flows");
  if (flows.empty()) return;
  absl::StrAppend(&out, "\nflows: iterations (ms: succeeded ones, without think time)\n");
  absl::StrAppend(&out, "                              started  success      p50      p95"
                        "      p99  top failing step\n");
  for (const Struct* f : flows) {
    const Value& rate = Field(*f, "success_rate");
    const Struct& d = Obj(*f, "duration_ms");
    const std::vector<const Struct*> failures = List(*f, "failures");
    std::string top = "-";
    if (!failures.empty()) {
      top = absl::StrFormat("%s (%d)", Str(*failures[0], "step"), Count(*failures[0], "count"));
    }
    absl::StrAppend(&out, absl::StrFormat(
        "  %-24s %10d  %7s  %7.2f  %7.2f  %7.2f  %s\n", Str(*f, "name").substr(0, 24),
        Count(*f, "started"),
        rate.kind_case() == Value::kNumberValue
            ? absl::StrFormat("%.2f%%", rate.number_value() * 100)
            : std::string("-"),
        Num(d, "p50"), Num(d, "p95"), Num(d, "p99"), top));
    if (const uint64_t aborted = Count(*f, "aborted"); aborted > 0) {
      absl::StrAppend(&out, absl::StrFormat("  %-24s %d aborted (cut by the end or a stop)\n",
                                            "", aborted));
    }
  }
}

// The run's own checks ("checks": did it hold its planned concurrency?).
void AppendChecks(const Struct& r, std::string& out) {
  const std::vector<const Struct*> checks = List(r, "checks");
  if (!checks.empty()) absl::StrAppend(&out, "\nchecks\n");
  for (const Struct* c : checks) {
    const bool passed = Field(*c, "passed").bool_value();
    absl::StrAppend(&out, passed ? "  ok    " : "  FAIL  ", Str(*c, "name"),
                    Str(*c, "detail").empty() ? "" : absl::StrCat("  (", Str(*c, "detail"), ")"),
                    "\n");
  }
}

void AppendAgentsAndEvents(const Struct& r, std::string& out) {
  const std::vector<const Struct*> agents = List(r, "agents");
  if (!agents.empty()) absl::StrAppend(&out, "\nagents\n");
  for (const Struct* a : agents) {
    const uint64_t saturated = Count(*a, "saturated_intervals");
    const std::string& client = Str(*a, "http_client");
    const uint64_t capped = Count(*a, "vus_capped_intervals");
    absl::StrAppend(&out, absl::StrFormat(
        "  %-20s requests %d  conns %d  cpu %.2f s  lag p99 %.2f ms%s%s%s\n", Str(*a, "id"),
        Count(*a, "requests"), Count(*a, "connections_opened"), Num(*a, "cpu_seconds"),
        Num(*a, "schedule_lag_p99_ms"), client.empty() ? "" : absl::StrCat("  client ", client),
        saturated > 0
            ? absl::StrFormat("  SATURATED in %d interval(s): its numbers are suspect", saturated)
            : "",
        capped > 0 ? absl::StrFormat("  VUS CAPPED at %d in flight in %d interval(s)",
                                     Count(*a, "max_in_flight"), capped)
                   : ""));
  }
  if (Has(r, "start_skew_ms")) {
    absl::StrAppend(&out, absl::StrFormat("  agents started within %.2f ms of each other\n",
                                          Num(r, "start_skew_ms")));
  }
  const std::vector<const Struct*> events = List(r, "events");
  if (!events.empty()) absl::StrAppend(&out, "\nevents\n");
  for (const Struct* e : events) {
    absl::StrAppend(&out, absl::StrFormat("  %7.1f s  %s %s %s\n", Num(*e, "at_s"),
                                          Str(*e, "kind"), Str(*e, "agent"), Str(*e, "action")));
  }
}

}  // namespace

absl::StatusOr<std::string> SummaryText(const std::string& result_json) {
  absl::StatusOr<Struct> parsed = result_doc::ParseResultJson(result_json);
  if (!parsed.ok()) return absl::InvalidArgumentError("the result is not a JSON object");
  const Struct& r = *parsed;
  std::string out;
  absl::StrAppend(&out, "\n", Str(r, "scenario"), "  run ", Str(r, "run"), "  ",
                  Verdict(Str(r, "status")),
                  absl::StrFormat("  (%.1f s)\n", Num(r, "duration_s")));
  const std::vector<const Struct*> thresholds = List(r, "thresholds");
  if (!thresholds.empty()) absl::StrAppend(&out, "\nthresholds\n");
  for (const Struct* t : thresholds) AppendThreshold(*t, out);
  AppendChecks(r, out);
  if (!Str(r, "error").empty()) absl::StrAppend(&out, "\nerror: ", Str(r, "error"), "\n");
  const Struct& totals = Obj(r, "totals");
  const uint64_t requests = Count(totals, "requests");
  if (Str(r, "status") == "error" && requests == 0) return out;
  const uint64_t errors = Count(totals, "errors");
  absl::StrAppend(&out, "\ntotals\n");
  absl::StrAppend(&out, absl::StrFormat(
      "  requests %d   errors %d (%.3f%%)   rate %.2f/s   dropped %d\n", requests, errors,
      requests == 0 ? 0.0 : 100.0 * static_cast<double>(errors) / static_cast<double>(requests),
      Num(totals, "rps"), Count(totals, "dropped")));
  AppendBreakdown(r, out);
  AppendStages(r, out);
  AppendLatency(r, out);
  AppendFlows(r, out);
  AppendAgentsAndEvents(r, out);
  return out;
}

}  // namespace barrage
