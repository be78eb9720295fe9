// Copyright 2026 The Barrage Authors.

#include "controller/report/run_metrics.h"

#include "absl/strings/str_cat.h"
#include "common/stats/latency_buckets.h"

namespace barrage {
namespace {

constexpr char kRequests[] = "barrage_requests_total";
constexpr char kDuration[] = "barrage_request_duration_seconds";
constexpr char kQuantile[] = "barrage_request_duration_quantile_seconds";
constexpr char kMax[] = "barrage_request_duration_max_seconds";
constexpr char kTargetRate[] = "barrage_target_rate_rps";
constexpr char kVus[] = "barrage_virtual_users";
constexpr char kDropped[] = "barrage_dropped_requests_total";
constexpr char kLag[] = "barrage_schedule_lag_seconds";
constexpr char kLagMax[] = "barrage_schedule_lag_max_seconds";
constexpr char kAgentsConnected[] = "barrage_agents_connected";
constexpr char kAgentsInRun[] = "barrage_agents_in_run";
constexpr char kAgentCpu[] = "barrage_agent_cpu_ratio";
constexpr char kThreshold[] = "barrage_threshold_passing";
constexpr char kRunInfo[] = "barrage_run_info";
constexpr char kLate[] = "barrage_late_reports_total";
constexpr char kRejected[] = "barrage_rejected_reports_total";
constexpr char kErrors[] = "barrage_request_errors_total";

const std::pair<const char*, double> kQuantiles[] = {
    {"0.5", 0.5}, {"0.9", 0.9}, {"0.95", 0.95}, {"0.99", 0.99}, {"0.999", 0.999}};

SummaryValue Quantiles(const Histogram& h) {
  SummaryValue v;
  for (const auto& [label, q] : kQuantiles) {
    v.quantiles.emplace_back(label, h.count() == 0 ? 0 : static_cast<double>(h.Quantile(q)) / 1e6);
  }
  v.sum = static_cast<double>(h.sum_us()) / 1e6;
  v.count = h.count();
  return v;
}

void QuantileGauges(MetricsRegistry& r, const std::string& run,
                    const std::string& scenario, const std::string& request,
                    const std::string& window, const Histogram& h) {
  r.SetSummary(kQuantile, {run, scenario, request, window}, Quantiles(h));
  r.Set(kMax, {run, scenario, request, window}, static_cast<double>(h.max_us()) / 1e6);
}

}  // namespace

void DeclareControllerMetrics(MetricsRegistry& r) {
  r.Declare(kRequests, MetricType::kCounter,
            "Requests completed, by request name and outcome (ok, http_error, timeout, connect_error, other, check_failed; aborted: abandoned at an immediate stop, not an error).",
            {"run", "scenario", "request", "outcome"});
  r.Declare(kDuration, MetricType::kHistogram,
            "Response time of successful (ok) requests from the intended send time, counted exactly at each le boundary.",
            {"run", "scenario", "request"});
  r.Declare(kQuantile, MetricType::kSummary,
            "Exact merged response-time quantiles of successful requests (request=\"*\": all requests) over window 10s, 60s or run. Never average these.",
            {"run", "scenario", "request", "window"});
  r.Declare(kMax, MetricType::kGauge,
            "Largest response time (request=\"*\": all requests) over window 10s, 60s or run.",
            {"run", "scenario", "request", "window"});
  r.Declare(kTargetRate, MetricType::kGauge, "The plan's arrival rate now, requests per second.",
            {"run", "scenario"});
  r.Declare(kVus, MetricType::kGauge, "Active virtual users (closed model).", {"run", "scenario"});
  r.Declare(kDropped, MetricType::kCounter,
            "Requests never sent because they were later than the maximum lag.", {"run", "scenario"});
  r.Declare(kLag, MetricType::kSummary,
            "Schedule lag (actual minus intended send time) quantiles over the run, merged over agents.",
            {"run"});
  r.Declare(kLagMax, MetricType::kGauge, "Largest schedule lag over the run.", {"run"});
  r.Declare(kAgentsConnected, MetricType::kGauge, "Agents connected to this controller.", {});
  r.Declare(kAgentsInRun, MetricType::kGauge, "Agents taking part in the run.", {"run"});
  r.Declare(kAgentCpu, MetricType::kGauge,
            "Agent process CPU over its cores in the last heartbeat interval (0..1).", {"agent"});
  r.Declare(kThreshold, MetricType::kGauge,
            "1 while the threshold passes (or has no data yet), 0 once it failed.", {"run", "threshold"});
  r.Declare(kRunInfo, MetricType::kGauge, "A run known to this controller, with its state.",
            {"run", "scenario", "state"});
  r.Declare(kLate, MetricType::kCounter,
            "Agent reports that arrived after their interval closed (counted in the run only).", {"run"});
  r.Declare(kRejected, MetricType::kCounter, "Malformed agent reports rejected.", {"run"});
  r.Declare(kErrors, MetricType::kCounter,
            "Failed requests by short reason (connect: refused, timeout, http: 503, ...; at most 32 per request, the rest in other).",
            {"run", "scenario", "request", "reason"});
}

void PublishRunMetrics(MetricsRegistry& r, const RunMetricsView& v) {
  const std::string& run = v.run_id;
  const std::string& scenario = v.scenario->name;
  if (!v.previous_state.empty() && v.previous_state != v.state) {
    r.Remove(kRunInfo, {run, scenario, v.previous_state});
  }
  r.Set(kRunInfo, {run, scenario, v.state}, 1);
  r.Set(kTargetRate, {run, scenario}, v.target_rps);
  r.Set(kVus, {run, scenario}, static_cast<double>(v.virtual_users));
  r.Set(kAgentsInRun, {run}, v.agents_in_run);
  for (const ThresholdResult& t : v.thresholds) {
    r.Set(kThreshold, {run, t.expression}, t.passed ? 1 : 0);
  }
  if (v.merged == nullptr) return;
  const RunMerger& m = *v.merged;
  r.Set(kDropped, {run, scenario}, static_cast<double>(m.Dropped()));
  r.Set(kLate, {run}, static_cast<double>(m.late_reports()));
  r.Set(kRejected, {run}, static_cast<double>(m.rejected()));
  // The all-requests views are the sums of the per-request ones (bucket
  // addition), so each window is merged from the closed intervals once.
  Histogram all_run;
  Histogram all_10s;
  Histogram all_60s;
  for (size_t req = 0; req < m.request_count(); ++req) {
    const std::string& name = m.request_name(req);
    HistogramValue hv;
    std::array<uint64_t, kLeBoundCount> le{};
    for (const auto& [reason, n] : m.ErrorReasons(req)) {
      r.Set(kErrors, {run, scenario, name, reason}, static_cast<double>(n));
    }
    for (size_t o = 0; o < kOutcomeCount; ++o) {
      const SeriesStats* s = m.Find(req, static_cast<Outcome>(o));
      r.Set(kRequests, {run, scenario, name, OutcomeName(static_cast<Outcome>(o))},
            s == nullptr ? 0 : static_cast<double>(s->response.count()));
      // The duration histogram holds successful requests, as the quantiles.
      if (s == nullptr || static_cast<Outcome>(o) != Outcome::kOk) continue;
      hv.count += s->response.count();
      hv.sum += static_cast<double>(s->response.sum_us()) / 1e6;
      const std::array<uint64_t, kLeBoundCount> cumulative = s->LeCumulative();
      for (size_t b = 0; b < kLeBoundCount; ++b) le[b] += cumulative[b];
    }
    for (size_t b = 0; b < kLeBoundCount; ++b) {
      hv.buckets.emplace_back(static_cast<double>(kLeBoundsUs[b]) / 1e6, le[b]);
    }
    r.SetHistogram(kDuration, {run, scenario, name}, std::move(hv));
    const Histogram run_view = m.Responses(req);
    const Histogram w10 = m.Window(req, 10).responses;
    const Histogram w60 = m.Window(req, 60).responses;
    QuantileGauges(r, run, scenario, name, "run", run_view);
    QuantileGauges(r, run, scenario, name, "10s", w10);
    QuantileGauges(r, run, scenario, name, "60s", w60);
    (void)all_run.Merge(run_view);
    (void)all_10s.Merge(w10);
    (void)all_60s.Merge(w60);
  }
  QuantileGauges(r, run, scenario, kAllRequestsLabel, "run", all_run);
  QuantileGauges(r, run, scenario, kAllRequestsLabel, "10s", all_10s);
  QuantileGauges(r, run, scenario, kAllRequestsLabel, "60s", all_60s);
  Histogram lag;
  for (const auto& [id, a] : m.agents()) (void)lag.Merge(a.schedule_lag);
  r.SetSummary(kLag, {run}, Quantiles(lag));
  r.Set(kLagMax, {run}, static_cast<double>(lag.max_us()) / 1e6);
}

void PublishAgentMetrics(MetricsRegistry& r, const std::vector<AgentInfo>& agents) {
  r.Set(kAgentsConnected, {}, static_cast<double>(agents.size()));
  r.Clear(kAgentCpu);
  for (const AgentInfo& a : agents) r.Set(kAgentCpu, {a.id}, a.cpu_ratio);
}

}  // namespace barrage
