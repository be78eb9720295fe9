// Copyright 2026 The Barrage Authors.
//
// Counters of the `barrage target` test server and their Prometheus page.
//
// Each worker thread owns one TargetCounters and is its only writer (a
// relaxed load + store, no locked instruction on the request path); any
// thread may read them at any time with SumTargetCounters(), which is how
// TargetServer::Stats() and the /__barrage/metrics page see all workers.
#ifndef BARRAGE_TOOLS_TARGET_TARGET_METRICS_H_
#define BARRAGE_TOOLS_TARGET_TARGET_METRICS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace barrage {

// One worker's counters. Written by that worker only.
struct alignas(64) TargetCounters {
  static constexpr int kStatusSlots = 600;  // status codes 0..599

  // Adds to a counter this thread alone writes.
  static void Add(std::atomic<uint64_t>& counter, uint64_t n) {
    counter.store(counter.load(std::memory_order_relaxed) + n,
                  std::memory_order_relaxed);
  }

  std::atomic<uint64_t> responses[kStatusSlots] = {};  // by status code
  std::atomic<uint64_t> connections{0};                // accepted
  std::atomic<uint64_t> bytes_received{0};             // read from clients
  std::atomic<uint64_t> bytes_sent{0};                 // written to clients
  // The capacity model (service_queue.h), when on; gauges are stored.
  std::atomic<uint64_t> in_service{0};  // gauge: requests in service
  std::atomic<uint64_t> waiting{0};     // gauge: requests queued for service
  std::atomic<uint64_t> busy_ns{0};     // sum of service times started, ns
};

// A snapshot summed over workers. Requests are the responses the server
// produced for ordinary requests (any status, including 400/411 for bad
// input); the metrics page and "100 Continue" are not requests. A delayed
// response dropped because its client left is not counted.
struct TargetStats {
  uint64_t requests = 0;
  uint64_t responses_2xx = 0;
  uint64_t responses_4xx = 0;
  uint64_t responses_5xx = 0;
  std::vector<std::pair<int, uint64_t>> by_status;  // non-zero, ascending
  uint64_t connections = 0;
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t in_service = 0;  // capacity model: requests in service now
  uint64_t waiting = 0;     // capacity model: requests queued for service
  uint64_t busy_ns = 0;     // capacity model: service time started, ns

  // Responses with this status code.
  uint64_t CountOf(int status) const;
};

TargetStats SumTargetCounters(absl::Span<const TargetCounters* const> counters);

// Replaces *page with the Prometheus text format 0.0.4 exposition of
// `stats`. `always_shown` lists statuses printed even when zero, so the
// series exist from the first scrape. With `capacity_model` (the target runs
// with --concurrency, --contention or --coherency) the page also has
// barrage_target_in_service and barrage_target_queued_requests (gauges) and
// barrage_target_busy_seconds_total (counter: the sum of the service times of
// the requests that entered service).
void RenderTargetMetrics(const TargetStats& stats,
                         absl::Span<const int> always_shown,
                         bool capacity_model, std::string* page);

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_TARGET_METRICS_H_
