// Copyright 2026 The Barrage Authors.

#include "controller/report/run_result.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/json_writer.h"
#include "controller/report/fingerprint.h"
#include "controller/report/time_series.h"

namespace barrage {
namespace {

double Ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

void LatencyObject(JsonWriter& j, const Histogram& h) {
  j.BeginObject();
  j.Key("min").Double(Ms(h.min_us()), 3);
  j.Key("mean").Double(h.mean_us() / 1000.0, 3);
  j.Key("p50").Double(Ms(h.Quantile(0.5)), 3);
  j.Key("p90").Double(Ms(h.Quantile(0.9)), 3);
  j.Key("p95").Double(Ms(h.Quantile(0.95)), 3);
  j.Key("p99").Double(Ms(h.Quantile(0.99)), 3);
  j.Key("p999").Double(Ms(h.Quantile(0.999)), 3);
  j.Key("max").Double(Ms(h.max_us()), 3);
  j.EndObject();
}

// "phases_ms": connect and TLS handshake times of the requests that opened
// a connection, and time to first byte, over the run.
void PhasesObject(JsonWriter& j, const RunMerger& m) {
  j.Key("phases_ms").BeginObject();
  const std::pair<const char*, Histogram SeriesStats::*> phases[] = {
      {"connect", &SeriesStats::connect}, {"tls", &SeriesStats::tls},
      {"ttfb", &SeriesStats::ttfb}};
  for (const auto& [name, member] : phases) {
    const Histogram h = m.Phase(member);
    j.Key(name).BeginObject();
    j.Key("p50").Double(Ms(h.Quantile(0.5)), 3);
    j.Key("p95").Double(Ms(h.Quantile(0.95)), 3);
    j.Key("p99").Double(Ms(h.Quantile(0.99)), 3);
    j.Key("max").Double(Ms(h.max_us()), 3);
    j.Key("count").Uint(h.count());
    j.EndObject();
  }
  j.EndObject();
}

void DurationObject(JsonWriter& j, const Histogram& h) {
  j.BeginObject();
  j.Key("p50").Double(Ms(h.Quantile(0.5)), 3);
  j.Key("p90").Double(Ms(h.Quantile(0.9)), 3);
  j.Key("p95").Double(Ms(h.Quantile(0.95)), 3);
  j.Key("p99").Double(Ms(h.Quantile(0.99)), 3);
  j.Key("max").Double(Ms(h.max_us()), 3);
  j.Key("mean").Double(h.mean_us() / 1000.0, 3);
  j.EndObject();
}

// "flows": each flow's iterations over the run, in scenario order.
void FlowsArray(JsonWriter& j, const RunMerger& m) {
  j.Key("flows").BeginArray();
  for (size_t i = 0; i < m.flow_count(); ++i) {
    const FlowTotals& f = m.flow(i);
    j.BeginObject();
    j.Key("name").String(m.flow_name(i));
    j.Key("started").Uint(f.started);
    j.Key("succeeded").Uint(f.succeeded);
    j.Key("failed").Uint(f.failed);
    j.Key("aborted").Uint(f.aborted);
    const uint64_t ended = f.succeeded + f.failed;
    j.Key("success_rate");
    if (ended == 0) {
      j.Null();
    } else {
      j.Double(static_cast<double>(f.succeeded) / static_cast<double>(ended), 6);
    }
    j.Key("duration_ms");
    DurationObject(j, f.duration);
    j.Key("duration_with_think_ms");
    DurationObject(j, f.duration_with_think);
    std::vector<std::pair<std::string, uint64_t>> failures(f.failures.begin(), f.failures.end());
    std::stable_sort(failures.begin(), failures.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    j.Key("failures").BeginArray();
    for (const auto& [step, n] : failures) {
      j.BeginObject();
      j.Key("step").String(step);
      j.Key("count").Uint(n);
      j.EndObject();
    }
    j.EndArray();
    j.Key("steps").BeginArray();
    for (const std::string& step : m.flow_steps(i)) j.String(step);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
}

}  // namespace

// Achieved rate of each stage from the per-interval result counts, over
// the time the stage actually ran (the run may have ended early).
std::vector<StageRun> StagesRun(const Scenario& s, const RunMerger& m, double duration_s) {
  std::vector<StageRun> out;
  const std::vector<uint64_t>& by = m.requests_by_interval();
  const double interval_s = static_cast<double>(m.interval_ns()) / 1e9;
  double start = 0;
  for (const Stage& st : s.stages) {
    const double end = start + absl::ToDoubleSeconds(st.duration);
    StageRun run;
    run.ran_s = std::max(0.0, std::min(end, duration_s) - start);
    run.reached = run.ran_s > 0;
    uint64_t n = 0;
    for (size_t i = 0; i < by.size(); ++i) {
      const double t = static_cast<double>(i) * interval_s;
      if (t >= start - 1e-9 && t < end - 1e-9) n += by[i];
    }
    run.requests = n;
    if (run.reached) run.achieved_rps = static_cast<double>(n) / run.ran_s;
    out.push_back(run);
    start = end;
  }
  return out;
}

namespace {

void ReasonsArray(JsonWriter& j, const std::vector<std::pair<std::string, uint64_t>>& reasons) {
  j.BeginArray();
  for (const auto& [reason, n] : reasons) {
    j.BeginObject();
    j.Key("reason").String(reason);
    j.Key("count").Uint(n);
    j.EndObject();
  }
  j.EndArray();
}

void StatusObject(JsonWriter& j, const std::map<uint32_t, uint64_t>& statuses) {
  j.BeginObject();
  for (const auto& [status, n] : statuses) j.Key(absl::StrCat(status)).Uint(n);
  j.EndObject();
}

// One request's (or, with kAllRequests, the run's) latency of successful
// and of failed requests, failures by reason and responses by status.
void LatencyAndErrors(JsonWriter& j, const RunMerger& m, size_t request) {
  j.Key("latency_ms");
  LatencyObject(j, m.Responses(request));
  j.Key("error_latency_ms");
  LatencyObject(j, m.ErrorResponses(request));
  j.Key("errors_by_reason");
  ReasonsArray(j, m.ErrorReasons(request));
  j.Key("status_codes");
  StatusObject(j, m.Statuses(request));
}

}  // namespace

std::string StatusFor(const std::vector<ThresholdResult>& results,
                      bool aborted, const std::vector<RunCheck>& checks) {
  if (aborted) return "aborted";
  for (const ThresholdResult& r : results) {
    if (!r.passed) return "failed";
  }
  for (const RunCheck& c : checks) {
    if (!c.passed) return "failed";
  }
  return "passed";
}

std::string ResultJson(const RunReport& report, const Scenario& scenario,
                       const RunMerger& m, bool with_series) {
  JsonWriter j;
  const Histogram service = m.Services(kAllRequests);
  const uint64_t requests = m.Requests(kAllRequests);
  const uint64_t errors = m.Errors(kAllRequests);
  j.BeginObject();
  j.Key("version").Int(1);
  j.Key("run").String(report.run_id);
  j.Key("scenario").String(scenario.name);
  j.Key("status").String(report.status);
  j.Key("started_at").String(
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", report.started_at, absl::UTCTimeZone()));
  j.Key("duration_s").Double(report.duration_s, 3);
  if (!report.error.empty()) j.Key("error").String(report.error);
  if (report.start_skew_ms >= 0) j.Key("start_skew_ms").Double(report.start_skew_ms, 3);
  if (report.exit_code >= 0) j.Key("exit_code").Int(report.exit_code);
  const RunFingerprint fingerprint = Fingerprint(scenario, report.file);
  j.Key("fingerprint").BeginObject();
  j.Key("scenario_sha256").String(fingerprint.scenario_sha256);
  j.Key("load_sha256").String(fingerprint.load_sha256);
  j.Key("target").String(fingerprint.target);
  if (!fingerprint.network.empty()) j.Key("network").String(fingerprint.network);
  j.Key("file").String(fingerprint.file);
  j.EndObject();
  j.Key("totals").BeginObject();
  j.Key("requests").Uint(requests);
  j.Key("errors").Uint(errors);
  j.Key("error_rate").Double(requests == 0 ? 0 : static_cast<double>(errors) / static_cast<double>(requests), 6);
  // Warm-up stages are out of the totals: their time too.
  const double warmup_s = m.WarmupSeconds(report.duration_s);
  const double measured_s = report.duration_s - warmup_s;
  j.Key("rps").Double(measured_s > 0 ? static_cast<double>(requests) / measured_s : 0, 3);
  if (warmup_s > 0) j.Key("warmup_s").Double(warmup_s, 3);
  j.Key("dropped").Uint(m.Dropped());
  j.Key("bytes_received").Uint(m.BytesReceived());
  j.Key("bytes_sent").Uint(m.BytesSent());
  j.Key("late_reports").Uint(m.late_reports());
  j.Key("rejected_reports").Uint(m.rejected());
  j.EndObject();
  j.Key("outcomes").BeginObject();
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    j.Key(OutcomeName(static_cast<Outcome>(o))).Uint(m.Count(static_cast<Outcome>(o)));
  }
  j.EndObject();
  LatencyAndErrors(j, m, kAllRequests);
  j.Key("service_time_ms");
  LatencyObject(j, service);
  PhasesObject(j, m);
  // The requests' names in scenario order ("requests" below is an object,
  // which JSON readers need not keep in order).
  j.Key("request_order").BeginArray();
  for (size_t i = 0; i < m.request_count(); ++i) j.String(m.request_name(i));
  j.EndArray();
  j.Key("requests").BeginObject();
  for (size_t i = 0; i < m.request_count(); ++i) {
    j.Key(m.request_name(i)).BeginObject();
    j.Key("requests").Uint(m.Requests(i));
    const SeriesStats* ok = m.Find(i, Outcome::kOk);
    j.Key("ok").Uint(ok == nullptr ? 0 : ok->response.count());
    j.Key("errors").Uint(m.Errors(i));
    LatencyAndErrors(j, m, i);
    j.EndObject();
  }
  j.EndObject();
  FlowsArray(j, m);
  j.Key("stages").BeginArray();
  const std::vector<StageRun> ran = StagesRun(scenario, m, report.duration_s);
  for (size_t i = 0; i < scenario.stages.size(); ++i) {
    const Stage& st = scenario.stages[i];
    j.BeginObject();
    j.Key("index").Uint(i);
    j.Key("duration_s").Double(absl::ToDoubleSeconds(st.duration), 3);
    if (st.is_open()) {
      j.Key("target_rps").Double((st.rate_from + st.rate_to).ToDouble() / 2, 3);
    } else {
      j.Key("target_rps").Null();
      j.Key("vus").Int(std::max(st.vus_from, st.vus_to));
    }
    if (st.warmup) j.Key("warmup").Bool(true);
    j.Key("reached").Bool(ran[i].reached);
    j.Key("ran_s").Double(ran[i].ran_s, 3);
    j.Key("achieved_rps");
    if (ran[i].reached) {
      j.Double(ran[i].achieved_rps, 3);
    } else {
      j.Null();
    }
    j.EndObject();
  }
  j.EndArray();
  j.Key("thresholds").BeginArray();
  for (size_t i = 0; i < report.thresholds.size(); ++i) {
    const ThresholdResult& r = report.thresholds[i];
    j.BeginObject();
    j.Key("expr").String(r.expression);
    j.Key("passed").Bool(r.passed);
    const bool latency = i < scenario.thresholds.size() &&
                         IsLatencyMetric(scenario.thresholds[i].metric);
    j.Key(latency ? "value_ms" : "value");
    if (r.no_data) {
      j.Null();
    } else {
      j.Double(r.value, 6);
    }
    if (i < scenario.thresholds.size()) {  // the limit, in the value's units
      const Threshold& t = scenario.thresholds[i];
      j.Key(latency ? "limit_ms" : "limit").Double(latency ? t.limit / 1000.0 : t.limit, 6);
      j.Key("above").Bool(t.above);
    }
    if (r.no_data && i < scenario.thresholds.size() &&
        scenario.thresholds[i].metric == ThresholdMetric::kMonitor) {
      j.Key("note").String("not judged: no monitor samples");
    }
    if (r.has_worst) {  // windowed: the worst window, in the value's units
      j.Key("worst").BeginObject();
      j.Key("value").Double(r.worst_value, 6);
      j.Key("at_s").Double(r.worst_at_s, 3);
      j.EndObject();
    }
    j.EndObject();
  }
  j.EndArray();
  j.Key("checks").BeginArray();
  for (const RunCheck& c : report.checks) {
    j.BeginObject();
    j.Key("name").String(c.name);
    j.Key("passed").Bool(c.passed);
    if (!c.detail.empty()) j.Key("detail").String(c.detail);
    j.EndObject();
  }
  j.EndArray();
  if (report.monitor.has_value()) {
    const MonitorSummary& mon = *report.monitor;
    j.Key("monitor").BeginObject();
    j.Key("url").String(mon.url);
    j.Key("interval_s").Double(mon.interval_s, 3);
    j.Key("queries").BeginArray();
    for (const MonitorQuerySummary& q : mon.queries) {
      j.BeginObject();
      j.Key("name").String(q.name);
      j.Key("query").String(q.query);
      j.Key("saturation");
      if (q.saturation.has_value()) {
        j.Double(*q.saturation, 6);
      } else {
        j.Null();
      }
      j.Key("samples").Uint(q.samples);
      j.Key("gaps").Uint(q.gaps);
      for (auto [key, v] : {std::pair{"last", q.last}, {"mean", q.mean}, {"max", q.max}}) {
        j.Key(key);
        if (q.samples > 0) {
          j.Double(v, 6);
        } else {
          j.Null();
        }
      }
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
  }
  if (!report.data.empty()) {
    j.Key("data").BeginArray();
    for (const DataSourceUse& d : report.data) {
      j.BeginObject();
      j.Key("name").String(d.name);
      j.Key("mode").String(d.mode);
      j.Key("rows").Int(d.rows);
      if (d.used >= 0) j.Key("used").Int(d.used);
      if (d.redealt >= 0) j.Key("redealt").Int(d.redealt);
      if (d.maybe_twice >= 0) j.Key("maybe_twice").Int(d.maybe_twice);
      j.EndObject();
    }
    j.EndArray();
  }
  j.Key("agents").BeginArray();
  for (const auto& [id, a] : m.agents()) {
    j.BeginObject();
    j.Key("id").String(id);
    j.Key("requests").Uint(a.requests);
    j.Key("errors").Uint(a.errors);
    j.Key("dropped").Uint(a.dropped);
    j.Key("late").Uint(a.late);
    j.Key("connections_opened").Uint(a.connections_opened);
    j.Key("h2_retries").Uint(a.h2_retries);
    if (!a.http_client.empty()) j.Key("http_client").String(a.http_client);
    if (auto v = report.agent_versions.find(id); v != report.agent_versions.end()) {
      j.Key("version").String(v->second);
    }
    j.Key("cpu_seconds").Double(a.cpu_seconds, 3);
    j.Key("schedule_lag_p99_ms").Double(Ms(a.schedule_lag.Quantile(0.99)), 3);
    j.Key("saturated_intervals").Uint(a.saturated_intervals);
    if (a.max_in_flight > 0) j.Key("max_in_flight").Uint(a.max_in_flight);
    j.Key("in_flight_capped_intervals").Uint(a.in_flight_capped_intervals);
    j.Key("vus_capped_intervals").Uint(a.vus_capped_intervals);
    j.EndObject();
  }
  j.EndArray();
  j.Key("events").BeginArray();
  for (const RunEventRecord& e : report.events) {
    j.BeginObject();
    j.Key("at_s").Double(e.at_s, 3);
    j.Key("kind").String(e.kind);
    if (!e.agent.empty()) j.Key("agent").String(e.agent);
    if (!e.action.empty()) j.Key("action").String(e.action);
    j.EndObject();
  }
  j.EndArray();
  if (with_series) {
    j.Key("series");
    WriteSeriesJson(m.series().series(), j);
  }
  j.EndObject();
  return j.text() + "\n";
}

}  // namespace barrage
