// Copyright 2026 The Barrage Authors.
//
// AgentMetrics: the agent's own Prometheus series, kept in a MetricsRegistry
// that the agent's /metrics page renders (RenderAgentMetrics):
//   barrage_agent_requests_total{outcome}   counter, from its StatsReports
//   barrage_agent_dropped_requests_total    counter, never sent (too late)
//   barrage_agent_h2_retries_total          counter, resent after a GOAWAY
//   barrage_agent_in_flight_requests        gauge, at the last interval's end
//   barrage_agent_schedule_lag_seconds      summary, last interval
//   barrage_agent_connected                 gauge, 1 while it holds a stream
//   barrage_agent_running                   gauge, 1 while it runs a share
//
// Thread safety: all methods from any thread.
#ifndef BARRAGE_AGENT_DAEMON_AGENT_METRICS_H_
#define BARRAGE_AGENT_DAEMON_AGENT_METRICS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "barrage/v1/stats.pb.h"
#include "common/metrics/registry.h"
#include "common/stats/outcome.h"

namespace barrage {

class AgentMetrics {
 public:
  // Declares every family; counters and the connection gauges start at 0.
  AgentMetrics();
  AgentMetrics(const AgentMetrics&) = delete;
  AgentMetrics& operator=(const AgentMetrics&) = delete;

  // Adds one report's deltas to the totals and sets the gauges from it.
  void Account(const v1::StatsReport& report);
  void SetConnected(bool connected);
  void SetRunning(bool running);

  MetricsRegistry& registry() { return registry_; }

 private:
  MetricsRegistry registry_;
  absl::Mutex mu_;  // orders Account()'s read-modify-write of the totals
  std::array<uint64_t, kOutcomeCount> outcome_totals_ ABSL_GUARDED_BY(mu_){};
  uint64_t dropped_total_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t h2_retries_total_ ABSL_GUARDED_BY(mu_) = 0;
};

// The agent's /metrics page: `metrics` plus process_cpu_seconds_total and
// process_resident_memory_bytes (common/metrics/process_stats.h).
std::string RenderAgentMetrics(MetricsRegistry& metrics);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_AGENT_METRICS_H_
