// Copyright 2026 The Barrage Authors.

#include "tools/target/target_metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/metrics/prometheus_text.h"

namespace barrage {

uint64_t TargetStats::CountOf(int status) const {
  for (const auto& [code, count] : by_status) {
    if (code == status) return count;
  }
  return 0;
}

TargetStats SumTargetCounters(
    absl::Span<const TargetCounters* const> counters) {
  TargetStats stats;
  for (int status = 0; status < TargetCounters::kStatusSlots; ++status) {
    uint64_t count = 0;
    for (const TargetCounters* c : counters) {
      count += c->responses[status].load(std::memory_order_relaxed);
    }
    if (count == 0) continue;
    stats.by_status.emplace_back(status, count);
    stats.requests += count;
    if (status >= 200 && status < 300) stats.responses_2xx += count;
    if (status >= 400 && status < 500) stats.responses_4xx += count;
    if (status >= 500 && status < 600) stats.responses_5xx += count;
  }
  for (const TargetCounters* c : counters) {
    stats.connections += c->connections.load(std::memory_order_relaxed);
    stats.bytes_received += c->bytes_received.load(std::memory_order_relaxed);
    stats.bytes_sent += c->bytes_sent.load(std::memory_order_relaxed);
    stats.in_service += c->in_service.load(std::memory_order_relaxed);
    stats.waiting += c->waiting.load(std::memory_order_relaxed);
    stats.busy_ns += c->busy_ns.load(std::memory_order_relaxed);
  }
  return stats;
}

void RenderTargetMetrics(const TargetStats& stats,
                         absl::Span<const int> always_shown,
                         bool capacity_model, std::string* page) {
  std::vector<int> statuses(always_shown.begin(), always_shown.end());
  for (const auto& entry : stats.by_status) statuses.push_back(entry.first);
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());

  auto counter = [](std::string name, std::string help,
                    std::vector<std::string> label_names) {
    FamilySnapshot f;
    f.name = std::move(name);
    f.help = std::move(help);
    f.type = MetricType::kCounter;
    f.label_names = std::move(label_names);
    return f;
  };
  auto sample = [](LabelValues labels, uint64_t value) {
    SeriesSnapshot s;
    s.labels = std::move(labels);
    s.value = static_cast<double>(value);
    return s;
  };
  std::vector<FamilySnapshot> families;
  families.push_back(counter(
      "barrage_target_requests_total",
      "Requests answered, by response status; the metrics page is not counted.", {"status"}));
  for (int status : statuses) {
    families.back().series.push_back(sample({absl::StrCat(status)}, stats.CountOf(status)));
  }
  families.push_back(
      counter("barrage_target_connections_total", "Connections accepted.", {}));
  families.back().series.push_back(sample({}, stats.connections));
  families.push_back(
      counter("barrage_target_received_bytes_total", "Bytes read from clients.", {}));
  families.back().series.push_back(sample({}, stats.bytes_received));
  families.push_back(
      counter("barrage_target_sent_bytes_total", "Bytes written to clients.", {}));
  families.back().series.push_back(sample({}, stats.bytes_sent));
  if (capacity_model) {
    auto gauge = [&counter](std::string name, std::string help) {
      FamilySnapshot f = counter(std::move(name), std::move(help), {});
      f.type = MetricType::kGauge;
      return f;
    };
    families.push_back(gauge("barrage_target_in_service",
                             "Requests in service now (at most --concurrency)."));
    families.back().series.push_back(sample({}, stats.in_service));
    families.push_back(gauge("barrage_target_queued_requests",
                             "Requests waiting for a service slot, in FIFO order."));
    families.back().series.push_back(sample({}, stats.waiting));
    families.push_back(counter(
        "barrage_target_busy_seconds_total",
        "Sum of the service times of the requests that entered service.", {}));
    SeriesSnapshot busy;
    busy.value = static_cast<double>(stats.busy_ns) / 1e9;
    families.back().series.push_back(busy);
  }
  *page = RenderPrometheusText(families);
}

}  // namespace barrage
