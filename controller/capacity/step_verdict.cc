// Copyright 2026 The Barrage Authors.

#include "controller/capacity/step_verdict.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/scenario/fields.h"
#include "controller/report/bootstrap.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

namespace rd = result_doc;

bool ParseMetric(absl::string_view name, SloMetric& metric) {
  static constexpr std::pair<const char*, SloMetric> kNames[] = {
      {"p50", SloMetric::kP50},
      {"p95", SloMetric::kP95},
      {"p99", SloMetric::kP99},
      {"error_rate", SloMetric::kErrorRate}};
  for (const auto& [n, m] : kNames) {
    if (name == n) {
      metric = m;
      return true;
    }
  }
  return false;
}

double Ms(double us) { return us / 1000.0; }

// "98.2 ms [91.0, 104.5]" or, for the error rate, "1.20% [0.80, 1.70]".
std::string Show(SloMetric metric, const Bounded& b) {
  if (metric == SloMetric::kErrorRate) {
    return absl::StrFormat("%.2f%% [%.2f, %.2f]", 100 * b.value, 100 * b.lo, 100 * b.hi);
  }
  return absl::StrFormat("%.1f ms [%.1f, %.1f]", b.value, b.lo, b.hi);
}
std::string ShowLimit(const SloLimit& l) {
  if (l.metric == SloMetric::kErrorRate) return absl::StrFormat("%.2f%%", 100 * l.limit);
  return absl::StrFormat("%.1f ms", Ms(l.limit));
}

// The step's statistic for `metric` in the units of SloLimit::limit.
const Bounded& Of(const StepJudgement& j, SloMetric metric) {
  switch (metric) {
    case SloMetric::kP50: return j.p50_ms;
    case SloMetric::kP95: return j.p95_ms;
    case SloMetric::kP99: return j.p99_ms;
    case SloMetric::kErrorRate: break;
  }
  return j.error_rate;
}
double LimitIn(const SloLimit& l) {  // ms for percentiles, as Bounded holds them
  return l.metric == SloMetric::kErrorRate ? l.limit : Ms(l.limit);
}

void Append(std::string& to, absl::string_view what) {
  absl::StrAppend(&to, to.empty() ? "" : "; ", what);
}

}  // namespace

const char* SloMetricName(SloMetric metric) {
  switch (metric) {
    case SloMetric::kP50: return "p50";
    case SloMetric::kP95: return "p95";
    case SloMetric::kP99: return "p99";
    case SloMetric::kErrorRate: return "error_rate";
  }
  return "?";
}

const char* StepVerdictName(StepVerdict verdict) {
  switch (verdict) {
    case StepVerdict::kPass: return "PASS";
    case StepVerdict::kFail: return "FAIL";
    case StepVerdict::kUndecided: return "UNDECIDED";
    case StepVerdict::kGenerator: return "GENERATOR-BOUND";
  }
  return "?";
}

absl::StatusOr<Slo> ParseSlo(absl::string_view text) {
  Slo slo;
  slo.text = std::string(text);
  for (absl::string_view raw : absl::StrSplit(text, ',')) {
    const absl::string_view item = absl::StripAsciiWhitespace(raw);
    if (item.empty()) continue;
    const size_t lt = item.find('<');
    if (lt == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("'", item, "' has no '<'"));
    }
    const absl::string_view name = absl::StripAsciiWhitespace(item.substr(0, lt));
    const absl::string_view value = absl::StripAsciiWhitespace(item.substr(lt + 1));
    SloLimit limit;
    if (!ParseMetric(name, limit.metric)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", item, "': unknown metric '", name, "' (p50, p95, p99 or error_rate)"));
    }
    if (value.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("'", item, "' has no limit"));
    }
    if (limit.metric == SloMetric::kErrorRate) {
      absl::StatusOr<double> f = ParseFractionField(value);
      if (!f.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("'", item, "': ", f.status().message()));
      }
      limit.limit = *f;
    } else {
      absl::StatusOr<absl::Duration> d = ParseDurationField(value);
      if (!d.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("'", item, "': ", d.status().message()));
      }
      if (*d <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError(absl::StrCat("'", item, "': the limit must be > 0"));
      }
      limit.limit = absl::ToDoubleMicroseconds(*d);
    }
    for (const SloLimit& seen : slo.limits) {
      if (seen.metric == limit.metric) {
        return absl::InvalidArgumentError(
            absl::StrCat(SloMetricName(limit.metric), " is given twice"));
      }
    }
    slo.limits.push_back(limit);
  }
  if (slo.limits.empty()) {
    return absl::InvalidArgumentError("no limits (like 'p95<200ms,error_rate<1%')");
  }
  return slo;
}

StepJudgement JudgeStep(const StepEvidence& evidence, const Slo& slo,
                        const VerdictOptions& options) {
  StepJudgement j;
  const RunSeries& series = evidence.measured;
  double offered = 0;
  for (const SeriesInterval& in : series.intervals) {
    j.measured_s += in.length_s;
    offered += in.offered_rps * in.length_s;
    j.requests += in.Requests();
    j.vus = std::max(j.vus, in.vus);
  }
  uint64_t ok_count = 0;
  double ok_sum_us = 0;
  std::vector<MonitorCell> monitor(series.monitor.size());
  for (const SeriesInterval& in : series.intervals) {
    for (const RequestInterval& r : in.requests) {
      ok_count += r.ok.count();
      ok_sum_us += static_cast<double>(r.ok.sum_us());
    }
    for (size_t q = 0; q < monitor.size() && q < in.monitor.size(); ++q) {
      monitor[q].sum += in.monitor[q].sum;
      monitor[q].samples += in.monitor[q].samples;
    }
  }
  if (ok_count > 0) j.mean_ms = ok_sum_us / static_cast<double>(ok_count) / 1000.0;
  for (size_t q = 0; q < monitor.size(); ++q) {
    if (monitor[q].samples > 0) j.monitor_means[series.monitor[q]] = monitor[q].mean();
  }
  if (j.measured_s > 0) {
    j.offered_rps = offered / j.measured_s;
    j.achieved_rps = static_cast<double>(j.requests) / j.measured_s;
  }
  if (j.requests == 0) {
    j.verdict = StepVerdict::kFail;
    j.reason = "no results in the measured intervals";
    return j;
  }

  // Point values and bootstrap intervals of group 0 (every request).
  const SeriesResampler resampler(series, -std::numeric_limits<double>::infinity());
  const GroupStats point = resampler.Stats()[0];
  const size_t block = std::max<size_t>(
      1, static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(resampler.intervals())))));
  std::mt19937_64 rng(options.seed);
  std::vector<double> p50, p95, p99, errors;
  for (int b = 0; b < options.resamples; ++b) {
    const GroupStats s = resampler.Resample(block, rng)[0];
    p50.push_back(Ms(s.p50_us));
    p95.push_back(Ms(s.p95_us));
    p99.push_back(Ms(s.p99_us));
    errors.push_back(s.error_rate);
  }
  auto bounded = [&options](double value, std::vector<double> values) {
    const PercentileBounds pb = PercentileInterval(std::move(values), options.confidence);
    return Bounded{value, std::min(value, pb.lo), std::max(value, pb.hi)};
  };
  j.p50_ms = bounded(Ms(point.p50_us), std::move(p50));
  j.p95_ms = bounded(Ms(point.p95_us), std::move(p95));
  j.p99_ms = bounded(Ms(point.p99_us), std::move(p99));
  j.error_rate = bounded(point.error_rate, std::move(errors));

  bool failed = false;     // a lower bound over a limit
  bool unsure = false;     // an upper bound not under a limit
  bool latency_unclear = false;
  std::string service_reason;
  for (const SloLimit& l : slo.limits) {
    const Bounded& b = Of(j, l.metric);
    const double limit = LimitIn(l);
    if (b.lo >= limit) {
      failed = true;
      Append(service_reason, absl::StrCat(SloMetricName(l.metric), " ", Show(l.metric, b),
                                          " >= ", ShowLimit(l)));
    } else if (b.hi >= limit) {
      unsure = true;
      if (l.metric != SloMetric::kErrorRate) latency_unclear = true;
      Append(service_reason, absl::StrCat(SloMetricName(l.metric), " ", Show(l.metric, b),
                                          " straddles ", ShowLimit(l)));
    }
  }

  // The generator's side.
  std::string hard, soft, advice;  // hard: its latencies cannot be trusted
  for (const GeneratorLoad& a : evidence.agents) {
    const std::string at = absl::StrFormat("%.0f/s", a.achieved_rps);
    if (a.saturated_intervals > 0) {
      Append(hard, absl::StrCat("agent ", a.agent, " saturated in ", a.saturated_intervals,
                                " interval(s)"));
      if (advice.empty()) advice = absl::StrCat("agent ", a.agent, " was saturated at ", at);
    }
    if (a.dropped > 0) {
      Append(hard, absl::StrCat("agent ", a.agent, " dropped ", a.dropped, " arrival(s)"));
      if (advice.empty()) {
        advice = absl::StrCat("agent ", a.agent, " dropped arrivals at ", at);
      }
    }
    if (a.in_flight_capped_intervals > 0 || a.vus_capped_intervals > 0) {
      Append(soft, absl::StrCat("agent ", a.agent, "'s in-flight budget was full in ",
                                a.in_flight_capped_intervals + a.vus_capped_intervals,
                                " interval(s)"));
      if (advice.empty()) {
        advice = absl::StrCat("agent ", a.agent, "'s in-flight budget was full at ", at,
                              " (raise --max-in-flight)");
      }
    }
  }
  const bool open = j.offered_rps > 0;
  const double ratio = open ? j.achieved_rps / j.offered_rps : 1;
  if (open && ratio < options.min_achieved_ratio) {
    const std::string shortfall =
        absl::StrFormat("achieved %.1f/s of %.1f/s offered (%.1f%%)", j.achieved_rps,
                        j.offered_rps, 100 * ratio);
    if (failed || latency_unclear) {
      Append(service_reason, shortfall);
    } else {
      Append(soft, absl::StrCat(shortfall, " while the latency met the SLO"));
      if (advice.empty()) advice = shortfall;
    }
  }

  if (!hard.empty() || (!failed && !soft.empty())) {
    j.verdict = StepVerdict::kGenerator;
    j.reason = hard.empty() ? soft : hard;
    j.advice = absl::StrCat("add agents or workers: ", advice);
    return j;
  }
  if (failed) {
    j.verdict = StepVerdict::kFail;
  } else if (unsure || (open && ratio < options.min_achieved_ratio)) {
    j.verdict = StepVerdict::kUndecided;
  } else {
    j.verdict = StepVerdict::kPass;
  }
  j.reason = j.verdict == StepVerdict::kPass ? "" : service_reason;
  if (!soft.empty() && j.verdict != StepVerdict::kPass) Append(j.reason, soft);
  return j;
}

absl::StatusOr<StepEvidence> EvidenceFromResultJson(const std::string& result_json,
                                                    double skip_s, double end_s) {
  absl::StatusOr<rd::Struct> result = rd::ParseResultJson(result_json);
  if (!result.ok()) return result.status();
  if (rd::Field(*result, "series").kind_case() != rd::Value::kStructValue) {
    return absl::NotFoundError("the result has no time series (\"series\")");
  }
  absl::StatusOr<RunSeries> series = SeriesFromJson(rd::Obj(*result, "series"));
  if (!series.ok()) return series.status();
  StepEvidence e;
  e.measured.interval_s = series->interval_s;
  e.measured.requests = series->requests;
  e.measured.coarsened = series->coarsened;
  e.measured.monitor = series->monitor;  // the query names, for the steps' monitor means
  for (SeriesInterval& in : series->intervals) {
    if (in.start_s + 1e-9 >= skip_s && in.start_s + 1e-9 < end_s) {
      e.measured.intervals.push_back(std::move(in));
    }
  }
  const double duration_s = rd::Num(*result, "duration_s");
  for (const rd::Struct* a : rd::List(*result, "agents")) {
    GeneratorLoad g;
    g.agent = rd::Str(*a, "id");
    g.saturated_intervals = rd::Count(*a, "saturated_intervals");
    g.dropped = rd::Count(*a, "dropped");
    g.in_flight_capped_intervals = rd::Count(*a, "in_flight_capped_intervals");
    g.vus_capped_intervals = rd::Count(*a, "vus_capped_intervals");
    g.achieved_rps = duration_s > 0 ? rd::Num(*a, "requests") / duration_s : 0;
    e.agents.push_back(std::move(g));
  }
  return e;
}

absl::Status PoolEvidence(const StepEvidence& more, StepEvidence& pooled) {
  RunSeries& to = pooled.measured;
  if (to.intervals.empty() && to.requests.empty()) {
    to.interval_s = more.measured.interval_s;
    to.requests = more.measured.requests;
    to.monitor = more.measured.monitor;  // the intervals' monitor cells are parallel to it
  } else if (to.requests != more.measured.requests) {
    return absl::InvalidArgumentError("the step's runs record different requests");
  }
  double end = 0;
  if (!to.intervals.empty()) end = to.intervals.back().start_s + to.intervals.back().length_s;
  const double first =
      more.measured.intervals.empty() ? 0 : more.measured.intervals.front().start_s;
  for (SeriesInterval in : more.measured.intervals) {
    in.start_s = in.start_s - first + end;
    to.intervals.push_back(std::move(in));
  }
  for (const GeneratorLoad& a : more.agents) {
    auto it = std::find_if(pooled.agents.begin(), pooled.agents.end(),
                           [&a](const GeneratorLoad& g) { return g.agent == a.agent; });
    if (it == pooled.agents.end()) {
      pooled.agents.push_back(a);
      continue;
    }
    it->saturated_intervals += a.saturated_intervals;
    it->dropped += a.dropped;
    it->in_flight_capped_intervals += a.in_flight_capped_intervals;
    it->vus_capped_intervals += a.vus_capped_intervals;
    it->achieved_rps = std::max(it->achieved_rps, a.achieved_rps);
  }
  return absl::OkStatus();
}

}  // namespace barrage
