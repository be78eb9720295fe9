// Copyright 2026 The Barrage Authors.

#include "controller/report/compare_render.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/json_writer.h"

namespace barrage {
namespace {

bool IsLatency(CompareMetric m) {
  return m == CompareMetric::kP50 || m == CompareMetric::kP95 || m == CompareMetric::kP99;
}

std::string ValueText(CompareMetric m, double v) {
  if (IsLatency(m)) {
    const double ms = v / 1000;
    return ms < 10 ? absl::StrFormat("%.2fms", ms) : absl::StrFormat("%.1fms", ms);
  }
  if (m == CompareMetric::kErrorRate) return absl::StrFormat("%.2f%%", v * 100);
  return absl::StrFormat("%.1f/s", v);
}

std::string ChangeText(CompareMetric m, double change) {
  if (m == CompareMetric::kErrorRate) return absl::StrFormat("%+.2fpp", change);
  return absl::StrFormat("%+.1f%%", change * 100);
}

std::string IntervalText(CompareMetric m, double lo, double hi) {
  if (m == CompareMetric::kErrorRate) return absl::StrFormat("[%+.2f, %+.2f]", lo, hi);
  return absl::StrFormat("[%+.1f, %+.1f]", lo * 100, hi * 100);
}

std::string NeededText(const MetricComparison& r) {
  if (r.verdict != Verdict::kInconclusive) return "";
  if (std::isinf(r.needed_s)) return "the change sits on the tolerance: no length decides it";
  return absl::StrFormat("~%.0f s runs would decide it", std::ceil(r.needed_s));
}

std::string GroupTitle(const std::string& request) {
  return request.empty() ? "overall" : absl::StrCat("request ", request);
}

std::string Counts(const CompareReport& report) {
  int n[4] = {0, 0, 0, 0};
  for (const MetricComparison& r : report.metrics) ++n[static_cast<int>(r.verdict)];
  return absl::StrFormat("%d regressed, %d inconclusive, %d same, %d improved",
                         n[static_cast<int>(Verdict::kRegressed)],
                         n[static_cast<int>(Verdict::kInconclusive)],
                         n[static_cast<int>(Verdict::kSame)],
                         n[static_cast<int>(Verdict::kImproved)]);
}

std::string RunText(const std::string& run, double seconds) {
  return absl::StrFormat("%s (%.0f s)", run.empty() ? "(no id)" : run, seconds);
}

std::string Method(const CompareReport& report) {
  const CompareOptions& o = report.options;
  return absl::StrFormat(
      "circular moving-block bootstrap, %.0f s blocks, %d resamples (seed %d); intervals at "
      "Holm-adjusted levels, %.0f%% family-wise",
      o.block_s, o.resamples, o.seed, o.confidence * 100);
}

}  // namespace

std::string CompareText(const CompareReport& report) {
  std::string out = absl::StrCat("baseline ", RunText(report.baseline_run, report.baseline_s),
                                 " vs current ", RunText(report.current_run, report.current_s));
  if (report.options.skip_s > 0) {
    absl::StrAppendFormat(&out, ", first %.0f s skipped", report.options.skip_s);
  }
  absl::StrAppend(&out, "\nmethod: ", Method(report), "\n");
  if (report.forced) {
    absl::StrAppend(&out, "FORCED: the runs are not comparable, compared anyway (--force):\n");
    for (const std::string& d : report.differences) absl::StrAppend(&out, "  ", d, "\n");
  }
  for (const std::string& n : report.notes) absl::StrAppend(&out, "note: ", n, "\n");
  std::string group = "-";
  for (const MetricComparison& r : report.metrics) {
    if (r.request != group) {
      group = r.request;
      absl::StrAppend(&out, "\n", GroupTitle(group), "\n");
    }
    const std::string needed = NeededText(r);
    absl::StrAppendFormat(&out, "  %-10s %10s -> %-10s %8s %-16s %s%s\n",
                          CompareMetricName(r.metric), ValueText(r.metric, r.baseline),
                          ValueText(r.metric, r.current), ChangeText(r.metric, r.change),
                          IntervalText(r.metric, r.lo, r.hi), VerdictName(r.verdict),
                          needed.empty() ? "" : absl::StrCat("  (", needed, ")"));
  }
  absl::StrAppend(&out, "\nverdict: ", VerdictName(report.verdict), " (", Counts(report), ")\n");
  return out;
}

std::string CompareMarkdown(const CompareReport& report) {
  std::string out = absl::StrCat("**barrage compare: ", VerdictName(report.verdict), "** (",
                                 Counts(report), ")\n\n");
  absl::StrAppend(&out, "Baseline ", RunText(report.baseline_run, report.baseline_s),
                  " vs current ", RunText(report.current_run, report.current_s), "; ",
                  Method(report), ".\n\n");
  if (report.forced) {
    absl::StrAppend(&out, "> **Forced:** the runs are not comparable:\n");
    for (const std::string& d : report.differences) absl::StrAppend(&out, "> - ", d, "\n");
    absl::StrAppend(&out, "\n");
  }
  for (const std::string& n : report.notes) absl::StrAppend(&out, "> Note: ", n, "\n\n");
  absl::StrAppend(&out, "| group | metric | baseline | current | change | interval | verdict |\n",
                  "|---|---|---:|---:|---:|---:|---|\n");
  for (const MetricComparison& r : report.metrics) {
    const std::string needed = NeededText(r);
    absl::StrAppend(&out, "| ", GroupTitle(r.request), " | ", CompareMetricName(r.metric), " | ",
                    ValueText(r.metric, r.baseline), " | ", ValueText(r.metric, r.current),
                    " | ", ChangeText(r.metric, r.change), " | ",
                    IntervalText(r.metric, r.lo, r.hi), " | ",
                    r.verdict == Verdict::kRegressed ? "**REGRESSED**" : VerdictName(r.verdict),
                    needed.empty() ? "" : absl::StrCat(" (", needed, ")"), " |\n");
  }
  return out;
}

std::string CompareJson(const CompareReport& report) {
  const CompareOptions& o = report.options;
  JsonWriter j;
  j.BeginObject();
  j.Key("verdict").String(VerdictName(report.verdict));
  j.Key("exit_code").Int(CompareExitCode(report));
  j.Key("baseline").BeginObject().Key("run").String(report.baseline_run);
  j.Key("compared_s").Double(report.baseline_s, 3).EndObject();
  j.Key("current").BeginObject().Key("run").String(report.current_run);
  j.Key("compared_s").Double(report.current_s, 3).EndObject();
  j.Key("scenario").String(report.scenario);
  j.Key("method").BeginObject();
  j.Key("skip_s").Double(o.skip_s, 3);
  j.Key("block_s").Double(o.block_s, 3);
  j.Key("resamples").Int(o.resamples);
  j.Key("seed").Uint(o.seed);
  j.Key("confidence").Double(o.confidence, 6);
  j.Key("floor_ms").Double(o.floor_us / 1000, 3);
  j.Key("tolerance").BeginObject();
  for (int m = 0; m < kCompareMetricCount; ++m) {
    j.Key(CompareMetricName(static_cast<CompareMetric>(m))).Double(o.tolerance[static_cast<size_t>(m)], 6);
  }
  j.EndObject().EndObject();
  j.Key("forced").Bool(report.forced);
  j.Key("differences").BeginArray();
  for (const std::string& d : report.differences) j.String(d);
  j.EndArray();
  j.Key("notes").BeginArray();
  for (const std::string& n : report.notes) j.String(n);
  j.EndArray();
  j.Key("metrics").BeginArray();
  for (const MetricComparison& r : report.metrics) {
    j.BeginObject();
    j.Key("request").String(r.request);
    j.Key("metric").String(CompareMetricName(r.metric));
    j.Key("unit").String(IsLatency(r.metric) ? "us" : r.metric == CompareMetric::kRate ? "1/s" : "fraction");
    j.Key("baseline").Double(r.baseline, 6);
    j.Key("current").Double(r.current, 6);
    j.Key("change").Double(r.change, 6);
    j.Key("lo").Double(r.lo, 6);
    j.Key("hi").Double(r.hi, 6);
    j.Key("level").Double(r.level, 6);
    j.Key("tolerance").Double(r.tolerance, 6);
    j.Key("p_value").Double(r.p_value, 6);
    j.Key("holm_rank").Int(r.holm_rank);
    j.Key("verdict").String(VerdictName(r.verdict));
    if (r.verdict == Verdict::kInconclusive) j.Key("needed_s").Double(r.needed_s, 1);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.text();
}

}  // namespace barrage
