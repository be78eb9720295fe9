// Copyright 2026 The Barrage Authors.

#include "agent/daemon/agent_metrics.h"

#include <utility>
#include <vector>

#include "common/metrics/process_stats.h"
#include "common/metrics/prometheus_text.h"
#include "common/stats/histogram_codec.h"
#include "common/stats/outcome_proto.h"

namespace barrage {

AgentMetrics::AgentMetrics() {
  registry_.Declare("barrage_agent_requests_total", MetricType::kCounter,
                    "Requests this agent completed, by outcome.", {"outcome"});
  registry_.Declare("barrage_agent_dropped_requests_total", MetricType::kCounter,
                    "Requests never sent because they were later than the maximum lag.", {});
  registry_.Declare("barrage_agent_h2_retries_total", MetricType::kCounter,
                    "Requests sent again on a fresh HTTP/2 connection after a GOAWAY.", {});
  registry_.Declare("barrage_agent_in_flight_requests", MetricType::kGauge,
                    "Requests in flight at the last interval's end.", {});
  registry_.Declare("barrage_agent_schedule_lag_seconds", MetricType::kSummary,
                    "Schedule lag quantiles over the last interval.", {});
  registry_.Declare("barrage_agent_connected", MetricType::kGauge,
                    "1 while the agent holds a stream to its controller.", {});
  registry_.Declare("barrage_agent_running", MetricType::kGauge,
                    "1 while the agent runs a share of a run.", {});
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    registry_.Set("barrage_agent_requests_total", {OutcomeName(static_cast<Outcome>(o))}, 0);
  }
  registry_.Set("barrage_agent_dropped_requests_total", {}, 0);
  registry_.Set("barrage_agent_h2_retries_total", {}, 0);
  registry_.Set("barrage_agent_connected", {}, 0);
  registry_.Set("barrage_agent_running", {}, 0);
}

void AgentMetrics::Account(const v1::StatsReport& report) {
  absl::MutexLock lock(&mu_);
  for (const v1::SeriesDelta& s : report.series()) {
    const absl::StatusOr<Outcome> outcome = OutcomeFromProto(s.outcome());
    if (!outcome.ok()) continue;  // our own report: cannot happen
    const size_t o = static_cast<size_t>(*outcome);
    outcome_totals_[o] += s.response().count();
    registry_.Set("barrage_agent_requests_total", {OutcomeName(*outcome)},
                  static_cast<double>(outcome_totals_[o]));
  }
  dropped_total_ += report.counters().dropped();
  registry_.Set("barrage_agent_dropped_requests_total", {}, static_cast<double>(dropped_total_));
  h2_retries_total_ += report.counters().h2_retries();
  registry_.Set("barrage_agent_h2_retries_total", {}, static_cast<double>(h2_retries_total_));
  registry_.Set("barrage_agent_in_flight_requests", {},
                static_cast<double>(report.counters().in_flight()));
  if (absl::StatusOr<Histogram> lag = DecodeHistogram(report.counters().schedule_lag()); lag.ok()) {
    SummaryValue v;
    v.quantiles = {{"0.5", lag->Quantile(0.5) / 1e6}, {"0.99", lag->Quantile(0.99) / 1e6}};
    v.sum = static_cast<double>(lag->sum_us()) / 1e6;
    v.count = lag->count();
    registry_.SetSummary("barrage_agent_schedule_lag_seconds", {}, std::move(v));
  }
}

void AgentMetrics::SetConnected(bool connected) {
  registry_.Set("barrage_agent_connected", {}, connected ? 1 : 0);
}

void AgentMetrics::SetRunning(bool running) {
  registry_.Set("barrage_agent_running", {}, running ? 1 : 0);
}

std::string RenderAgentMetrics(MetricsRegistry& metrics) {
  std::vector<FamilySnapshot> families = metrics.Snapshot();
  FamilySnapshot cpu;
  cpu.name = "process_cpu_seconds_total";
  cpu.help = "Total user and system CPU time spent in seconds.";
  cpu.type = MetricType::kCounter;
  SeriesSnapshot cpu_value;
  cpu_value.value = ProcessCpuSeconds();
  cpu.series.push_back(cpu_value);
  FamilySnapshot rss;
  rss.name = "process_resident_memory_bytes";
  rss.help = "Resident memory size in bytes.";
  rss.type = MetricType::kGauge;
  SeriesSnapshot rss_value;
  // Unreadable statm (not Linux, no /proc): 0, as a scrape must not fail.
  rss_value.value = static_cast<double>(ProcessResidentBytes().value_or(0));
  rss.series.push_back(rss_value);
  families.push_back(std::move(cpu));
  families.push_back(std::move(rss));
  return RenderPrometheusText(families);
}

}  // namespace barrage
