// Copyright 2026 The Barrage Authors.

#include "controller/cli/trend_command.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/util/exit_codes.h"
#include "common/util/json_writer.h"
#include "controller/cli/commands.h"
#include "controller/cli/run_command.h"

namespace barrage {
namespace {

constexpr int kMaxListed = 10'000;  // what the controller lists at most

bool Usable(const v1::StoredRun& r) { return r.status() == "passed" || r.status() == "failed"; }

TrendRun FromProto(const v1::StoredRun& r) {
  TrendRun t;
  t.run_id = r.run_id();
  t.started_at = r.started_at();
  t.status = r.status();
  t.p50_ms = r.p50_ms();
  t.p95_ms = r.p95_ms();
  t.p99_ms = r.p99_ms();
  t.error_rate = r.error_rate();
  return t;
}

// "5.21ms -> 15.30ms (+193.7%)", or in percentage points for the error rate.
std::string ChangeText(const TrendChange& c) {
  if (c.metric == TrendMetric::kErrorRate) {
    return absl::StrFormat("errors %.2f%% -> %.2f%% (%+.2f points)", 100 * c.before,
                           100 * c.after, 100 * (c.after - c.before));
  }
  return absl::StrFormat("%s %.2fms -> %.2fms (%+.1f%%)", TrendMetricName(c.metric), c.before,
                         c.after, 100 * (c.after / c.before - 1));
}

}  // namespace

absl::StatusOr<std::vector<TrendRun>> FetchHistory(const RemoteOptions& options,
                                                   const std::string& scenario,
                                                   const std::string& up_to_run, size_t last) {
  // The store lists newest first: ask for `last` runs, and for more (4x at
  // a time) while unfinished runs among them leave fewer than `last` usable.
  int limit = static_cast<int>(std::min<size_t>(last, kMaxListed));
  for (;;) {
    v1::ListRunsRequest request;
    request.set_limit(limit);
    request.set_scenario(scenario);
    request.set_up_to_run(up_to_run);
    absl::StatusOr<std::vector<v1::StoredRun>> runs = FetchRuns(options, request);
    if (!runs.ok()) return runs.status();
    const size_t usable = static_cast<size_t>(std::count_if(runs->begin(), runs->end(), Usable));
    if (usable >= last || runs->size() < static_cast<size_t>(limit) || limit >= kMaxListed) {
      std::vector<TrendRun> out;
      for (const v1::StoredRun& r : *runs) out.push_back(FromProto(r));
      return out;
    }
    limit = std::min(limit * 4, kMaxListed);
  }
}

absl::StatusOr<std::vector<TrendPoint>> TrendPointsFor(const RemoteOptions& options,
                                                       const std::string& scenario,
                                                       const std::string& run_id, size_t last) {
  absl::StatusOr<std::vector<TrendRun>> history = FetchHistory(options, scenario, run_id, last);
  if (!history.ok()) return history.status();
  TrendOptions o;
  o.last = last;
  const TrendReport report = AnalyzeTrend(*history, o);
  if (report.runs.size() < 2) return std::vector<TrendPoint>();
  return TrendPoints(report);
}

std::string TrendText(const std::string& scenario, const TrendReport& report,
                      const TrendOptions& options) {
  std::string out = absl::StrCat("trend of ", scenario, ": ", report.runs.size(),
                                 report.runs.size() == 1 ? " run" : " runs",
                                 " (passed or failed), oldest first");
  if (report.skipped > 0) {
    absl::StrAppend(&out, "; ", report.skipped,
                    " skipped (aborted, error, running or interrupted)");
  }
  absl::StrAppend(&out, "\n");
  if (report.runs.empty()) return out;
  std::vector<std::vector<const TrendChange*>> at(report.runs.size());
  for (const TrendChange& c : report.changes) at[c.index].push_back(&c);
  absl::StrAppend(&out, absl::StrFormat("%-26s %-21s %-8s %10s %10s %10s %8s\n", "RUN", "STARTED",
                                        "STATUS", "P50", "P95", "P99", "ERRORS"));
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const TrendRun& r = report.runs[i];
    std::vector<std::string> metrics;
    for (const TrendChange* c : at[i]) metrics.emplace_back(TrendMetricName(c->metric));
    absl::StrAppend(&out, absl::StrFormat("%-26s %-21s %-8s %8.2fms %8.2fms %8.2fms %7.2f%%%s\n",
                                          r.run_id, r.started_at, r.status, r.p50_ms, r.p95_ms,
                                          r.p99_ms, 100 * r.error_rate,
                                          metrics.empty() ? "" : absl::StrCat("  <- change: ", absl::StrJoin(metrics, ", "))));
  }
  if (!report.enough_runs) {
    absl::StrAppend(&out, "not enough runs to look for changes: ", report.runs.size(),
                    " (at least ", options.min_runs, ")\n");
    return out;
  }
  if (report.changes.empty()) {
    absl::StrAppend(&out, "no change points\n");
    return out;
  }
  absl::StrAppend(&out, "change points:\n");
  for (size_t i = 0; i < report.runs.size(); ++i) {
    if (at[i].empty()) continue;
    std::vector<std::string> parts;
    for (const TrendChange* c : at[i]) parts.push_back(ChangeText(*c));
    absl::StrAppend(&out, "  ", report.runs[i].run_id, " (run ", i + 1, " of ",
                    report.runs.size(), "): ", absl::StrJoin(parts, ", "), "\n");
  }
  return out;
}

std::string TrendJson(const std::string& scenario, const TrendReport& report,
                      const TrendOptions& options) {
  std::vector<bool> changed(report.runs.size(), false);
  for (const TrendChange& c : report.changes) changed[c.index] = true;
  JsonWriter j;
  j.BeginObject();
  j.Key("scenario").String(scenario);
  j.Key("runs").BeginArray();
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const TrendRun& r = report.runs[i];
    j.BeginObject();
    j.Key("run").String(r.run_id);
    j.Key("started_at").String(r.started_at);
    j.Key("status").String(r.status);
    j.Key("p50_ms").Double(r.p50_ms, 3);
    j.Key("p95_ms").Double(r.p95_ms, 3);
    j.Key("p99_ms").Double(r.p99_ms, 3);
    j.Key("error_rate").Double(r.error_rate, 6);
    j.Key("change_point").Bool(changed[i]);
    j.EndObject();
  }
  j.EndArray();
  j.Key("skipped").Uint(report.skipped);
  j.Key("enough_runs").Bool(report.enough_runs);
  j.Key("min_runs").Uint(options.min_runs);
  j.Key("changes").BeginArray();
  for (const TrendChange& c : report.changes) {
    j.BeginObject();
    j.Key("metric").String(TrendMetricName(c.metric));
    j.Key("run").String(c.run_id);
    j.Key("index").Uint(c.index);
    j.Key("before").Double(c.before, c.metric == TrendMetric::kErrorRate ? 6 : 3);
    j.Key("after").Double(c.after, c.metric == TrendMetric::kErrorRate ? 6 : 3);
    j.Key("p_value").Double(c.p_value, 4);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.text() + "\n";
}

int RunTrend(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagSet flags = CommandFlags("trend");
  RemoteFlags remote_flags;
  DefineRemoteFlags(flags, remote_flags, "allow plaintext to a non-loopback controller");
  TrendOptions options;
  int64_t last = 0;
  std::string format;
  flags.Int("last", &last, static_cast<int64_t>(options.last), 1, 1000, "N",
            "the last N passed or failed runs");
  flags.String("format", &format, "text", "text|json", "a table, or a JSON object");
  const ParsedCommand parsed = ParseCommand("trend", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 1) {
    return UsageError("trend", "give one scenario name (see barrage runs)", err);
  }
  if (format != "text" && format != "json") {
    return UsageError("trend", absl::StrCat("--format: '", format, "' is not text or json"), err);
  }
  RemoteOptions remote;
  if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
    err << "barrage trend: " << s.message() << "\n";
    return kExitUsage;
  }
  options.last = static_cast<size_t>(last);
  const std::string& scenario = parsed.positional[0];
  absl::StatusOr<std::vector<TrendRun>> history = FetchHistory(remote, scenario, "", options.last);
  if (!history.ok()) {
    err << "barrage trend: " << history.status().message() << "\n";
    return ExitCodeFor(history.status());
  }
  const TrendReport report = AnalyzeTrend(*history, options);
  out << (format == "json" ? TrendJson(scenario, report, options)
                           : TrendText(scenario, report, options));
  return kExitPassed;
}

}  // namespace barrage
