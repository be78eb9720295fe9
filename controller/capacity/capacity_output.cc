// Copyright 2026 The Barrage Authors.

#include "controller/capacity/capacity_output.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/util/exit_codes.h"

namespace barrage {
namespace {

std::string Load(const StepRecord& s) {
  return s.model == LoadModel::kRate ? absl::StrCat(s.load, "/s") : absl::StrCat(s.load, " VUs");
}
std::string Rps(double rps) { return absl::StrFormat("%.1f/s", rps); }
std::string Ms(const Bounded& b) {
  return absl::StrFormat("%.1f ms [%.1f, %.1f]", b.value, b.lo, b.hi);
}
std::string Runs(const StepRecord& s) {
  return absl::StrCat(s.run_ids.size(), s.run_ids.size() == 1 ? " run" : " runs");
}

// A monitor value in at most ~6 characters: 3 significant digits, whole
// numbers from 1000 to 999999 without an exponent.
std::string Compact(double v) {
  const double a = std::abs(v);
  if (a >= 1000 && a < 1e6) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.3g", v);
}

// "  cpu 3.52  in_service 3.9": the step's monitor means ("" without).
std::string MonitorValues(const StepJudgement& m) {
  std::string out;
  for (const auto& [name, mean] : m.monitor_means) {
    absl::StrAppend(&out, "  ", name, " ", Compact(mean));
  }
  return out;
}

// The table's monitor columns: every query that any step sampled, by name.
std::vector<std::string> MonitorColumns(const CapacityResult& r) {
  std::set<std::string> names;
  for (const StepRecord& s : r.steps) {
    for (const auto& [name, mean] : s.judgement.monitor_means) names.insert(name);
  }
  if (r.confirmation) {
    for (const auto& [name, mean] : r.confirmation->judgement.monitor_means) names.insert(name);
  }
  return {names.begin(), names.end()};
}

// A column is as wide as its name, at least 6 (Compact's width).
int ColumnWidth(const std::string& name) { return std::max(6, static_cast<int>(name.size())); }

void StepJson(const StepRecord& s, JsonWriter& j) {
  const StepJudgement& m = s.judgement;
  j.BeginObject();
  j.Key("step").Int(s.step);
  j.Key("load").Int(s.load);
  j.Key("offered_rps").Double(m.offered_rps, 3);
  j.Key("achieved_rps").Double(m.achieved_rps, 3);
  j.Key("vus").Int(m.vus);
  j.Key("p50_ms").Double(m.p50_ms.value, 3);
  j.Key("p95_ms").Double(m.p95_ms.value, 3);
  j.Key("p99_ms").Double(m.p99_ms.value, 3);
  j.Key("p95_lower_ms").Double(m.p95_ms.lo, 3);
  j.Key("p95_upper_ms").Double(m.p95_ms.hi, 3);
  j.Key("p99_upper_ms").Double(m.p99_ms.hi, 3);
  j.Key("error_rate").Double(m.error_rate.value, 6);
  j.Key("error_rate_upper").Double(m.error_rate.hi, 6);
  j.Key("measured_s").Double(m.measured_s, 3);
  j.Key("monitors").BeginObject();
  for (const auto& [name, mean] : m.monitor_means) j.Key(name).Double(mean, 6);
  j.EndObject();
  j.Key("verdict").String(StepVerdictName(m.verdict));
  j.Key("reason").String(m.reason);
  j.Key("run_ids").BeginArray();
  for (const std::string& id : s.run_ids) j.String(id);
  j.EndArray();
  j.EndObject();
}

std::string TableRow(const StepRecord& s, const std::vector<std::string>& monitors) {
  const StepJudgement& m = s.judgement;
  std::string row = absl::StrFormat("%4d  %9s  %9.1f  %5d  %8.1f  %8.1f  %8.1f  %8.1f  %6.2f%%  ",
                                    s.step, Load(s), m.achieved_rps, m.vus, m.p50_ms.value,
                                    m.p95_ms.value, m.p95_ms.hi, m.p99_ms.value,
                                    100 * m.error_rate.value);
  for (const std::string& name : monitors) {
    const auto it = m.monitor_means.find(name);
    absl::StrAppend(&row, absl::StrFormat("%*s  ", ColumnWidth(name),
                                          it == m.monitor_means.end() ? "-" : Compact(it->second)));
  }
  absl::StrAppend(&row, StepVerdictName(m.verdict), s.confirmation ? " (confirmation)" : "", "\n");
  return row;
}

}  // namespace

std::string StepProgressLine(const StepRecord& s) {
  const StepJudgement& m = s.judgement;
  std::string line = absl::StrCat(s.confirmation ? "confirm " : "step ", s.step, "  ",
                                  LoadModelName(s.model), " ", Load(s));
  if (!s.refusal.empty()) {
    absl::StrAppend(&line, "  refused: ", s.refusal, "  ", StepVerdictName(m.verdict));
    return line;
  }
  absl::StrAppend(&line, "  achieved ", Rps(m.achieved_rps),
                  s.model == LoadModel::kVus ? absl::StrCat(" (", m.vus, " VUs)") : "",
                  "  p50 ", Ms(m.p50_ms), "  p95 ", Ms(m.p95_ms), "  p99 ", Ms(m.p99_ms),
                  absl::StrFormat("  errors %.2f%% (<= %.2f%%)", 100 * m.error_rate.value,
                                  100 * m.error_rate.hi),
                  MonitorValues(m), "  ", StepVerdictName(m.verdict), " (", Runs(s), ")");
  if (!m.reason.empty()) absl::StrAppend(&line, ": ", m.reason);
  return line;
}

std::string CapacityText(const CapacityResult& r, const Slo& slo, const CapacityHooks& hooks) {
  std::string out;
  if (r.found) {
    absl::StrAppend(&out, "capacity: ", Rps(r.capacity_rps));
    if (!r.steps.empty() && r.steps.front().model == LoadModel::kVus) {
      absl::StrAppend(&out, " at ", r.capacity_load, " VUs");
    }
    absl::StrAppend(&out, " (interval ", Rps(r.interval_lo_rps), " .. ", Rps(r.interval_hi_rps),
                    ") within SLO ", slo.text, ", limited by the ", LimitedByName(r.limited_by),
                    "\n");
  } else {
    absl::StrAppend(&out, "capacity: none found: ",
                    r.steps.empty() ? "no step ran"
                                    : absl::StrCat("the first step (", Load(r.steps.front()),
                                                   ") did not pass SLO ", slo.text),
                    "\n");
  }
  if (r.limited_by == LimitedBy::kGenerator) {
    absl::StrAppend(&out, "limited by the generator, not the service (the service's capacity "
                          "is at least the answer): ",
                    r.advice, "\n");
  }
  if (r.stopped_by == "deadline") absl::StrAppend(&out, "the search stopped at its --deadline\n");
  if (r.stopped_by == "max") absl::StrAppend(&out, "the search reached --max\n");
  if (r.confirmation) {
    absl::StrAppend(&out, "confirmation at ", Load(*r.confirmation), ": ",
                    StepVerdictName(r.confirmation->judgement.verdict),
                    r.confirmation->passed() ? "" : absl::StrCat(" (", r.confirmation->judgement.reason,
                                                                 "): the answer is the last passing step below it"),
                    "\n");
  }
  if (r.knee_rps) {
    absl::StrAppend(&out, "knee: p95 at least doubles between ", Rps(*r.knee_before_rps),
                    " and ", Rps(*r.knee_rps), "\n");
  }
  const std::vector<std::string> monitors = MonitorColumns(r);
  absl::StrAppend(&out, "\n",
                  absl::StrFormat("%4s  %9s  %9s  %5s  %8s  %8s  %8s  %8s  %7s  ", "STEP",
                                  "OFFERED", "ACHIEVED", "VUS", "P50 MS", "P95 MS", "P95 UP",
                                  "P99 MS", "ERRORS"));
  for (const std::string& name : monitors) {
    absl::StrAppend(&out, absl::StrFormat("%*s  ", ColumnWidth(name), name));
  }
  absl::StrAppend(&out, "VERDICT\n");
  for (const StepRecord& s : r.steps) absl::StrAppend(&out, TableRow(s, monitors));
  if (r.confirmation) absl::StrAppend(&out, TableRow(*r.confirmation, monitors));
  absl::StrAppend(&out, hooks.text);
  return out;
}

std::string CapacityJson(const CapacityResult& r, const Slo& slo, const CapacityHooks& hooks) {
  JsonWriter j;
  j.BeginObject();
  j.Key("version").Int(1);
  j.Key("model").String(LoadModelName(r.steps.empty() ? LoadModel::kRate : r.steps[0].model));
  j.Key("capacity_rps");
  if (r.found) {
    j.Double(r.capacity_rps, 3);
  } else {
    j.Null();
  }
  j.Key("capacity_load").Int(r.capacity_load);
  j.Key("interval_rps").BeginArray();
  j.Double(r.interval_lo_rps, 3).Double(r.interval_hi_rps, 3);
  j.EndArray();
  j.Key("limited_by").String(LimitedByName(r.limited_by));
  if (!r.advice.empty()) j.Key("advice").String(r.advice);
  j.Key("stopped_by").String(r.stopped_by);
  j.Key("slo").BeginObject();
  j.Key("text").String(slo.text);
  j.Key("limits").BeginArray();
  for (const SloLimit& l : slo.limits) {
    j.BeginObject();
    j.Key("metric").String(SloMetricName(l.metric));
    if (l.metric == SloMetric::kErrorRate) {
      j.Key("limit").Double(l.limit, 6);
    } else {
      j.Key("limit_ms").Double(l.limit / 1000.0, 3);
    }
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Key("knee");
  if (r.knee_rps) {
    j.BeginObject();
    j.Key("rps").Double(*r.knee_rps, 3);
    j.Key("before_rps").Double(*r.knee_before_rps, 3);
    j.EndObject();
  } else {
    j.Null();
  }
  j.Key("steps").BeginArray();
  for (const StepRecord& s : r.steps) StepJson(s, j);
  j.EndArray();
  j.Key("confirmation");
  if (r.confirmation) {
    StepJson(*r.confirmation, j);
  } else {
    j.Null();
  }
  // HOOKS (see CapacityHooks).
  j.Key("usl");
  if (hooks.usl_json) {
    hooks.usl_json(j);
  } else {
    j.Null();
  }
  if (hooks.projection_json) {
    j.Key("projection");
    hooks.projection_json(j);
  }
  if (hooks.baseline_json) {
    j.Key("baseline");
    hooks.baseline_json(j);
  }
  if (hooks.bottleneck_json) {
    j.Key("bottleneck");
    hooks.bottleneck_json(j);
  }
  if (hooks.resources_json) {
    j.Key("resources");
    hooks.resources_json(j);
  }
  j.EndObject();
  return j.text() + "\n";
}

int CapacityExitCode(const CapacityResult& r) {
  return r.found ? kExitPassed : kExitThresholdFailed;
}

}  // namespace barrage
