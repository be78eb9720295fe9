// Copyright 2026 The Barrage Authors.
//
// The controller's Prometheus series (README "Metrics"): names, labels,
// units and help in one place. The coordinator publishes a run's merged
// state once per closed interval; the server publishes agent gauges.
// Percentiles are exported as exact merged quantile gauges (never to be
// averaged) beside a classic histogram with exact counts at the fixed
// `le` boundaries (common/stats/latency_buckets.h).
#ifndef BARRAGE_CONTROLLER_REPORT_RUN_METRICS_H_
#define BARRAGE_CONTROLLER_REPORT_RUN_METRICS_H_

#include <string>
#include <vector>

#include "common/metrics/registry.h"
#include "common/scenario/scenario.h"
#include "controller/run/agent_registry.h"
#include "controller/run/run_merger.h"
#include "controller/run/thresholds.h"

namespace barrage {

// The `request` label value that means "all requests".
inline constexpr char kAllRequestsLabel[] = "*";

void DeclareControllerMetrics(MetricsRegistry& registry);

struct RunMetricsView {
  std::string run_id;
  const Scenario* scenario = nullptr;
  const RunMerger* merged = nullptr;  // null before the run started
  std::string state;                  // RunStateName
  std::string previous_state;         // its info series is removed
  double target_rps = 0;
  int64_t virtual_users = 0;
  int agents_in_run = 0;
  std::vector<ThresholdResult> thresholds;  // current verdicts
};

void PublishRunMetrics(MetricsRegistry& registry, const RunMetricsView& view);
void PublishAgentMetrics(MetricsRegistry& registry,
                         const std::vector<AgentInfo>& agents);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RUN_METRICS_H_
