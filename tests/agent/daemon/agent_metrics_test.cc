// Copyright 2026 The Barrage Authors.

#include "agent/daemon/agent_metrics.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TEST_CASE("agent metrics add up the reports and the page shows the process too") {
  AgentMetrics metrics;
  v1::StatsReport report;
  v1::SeriesDelta* ok = report.add_series();
  ok->set_outcome(v1::OUTCOME_OK);
  ok->mutable_response()->set_count(3);
  report.mutable_counters()->set_dropped(2);
  report.mutable_counters()->set_in_flight(5);
  report.mutable_counters()->set_h2_retries(1);
  metrics.Account(report);
  metrics.Account(report);
  metrics.SetConnected(true);
  const std::string page = RenderAgentMetrics(metrics.registry());
  CHECK_THAT(page, ContainsSubstring("barrage_agent_requests_total{outcome=\"ok\"} 6"));
  CHECK_THAT(page, ContainsSubstring("barrage_agent_dropped_requests_total 4"));
  CHECK_THAT(page, ContainsSubstring("barrage_agent_h2_retries_total 2"));
  CHECK_THAT(page, ContainsSubstring("barrage_agent_in_flight_requests 5"));
  CHECK_THAT(page, ContainsSubstring("barrage_agent_connected 1"));
  CHECK_THAT(page, ContainsSubstring("barrage_agent_running 0"));
  CHECK_THAT(page, ContainsSubstring("# TYPE process_cpu_seconds_total counter"));
  CHECK_THAT(page, ContainsSubstring("# TYPE process_resident_memory_bytes gauge"));
}

}  // namespace
}  // namespace barrage
