// Copyright 2026 The Barrage Authors.

#include "common/stats/series_stats.h"

namespace barrage {

void SeriesStats::Merge(const SeriesStats& other) {
  // Same layout by construction; Merge cannot fail here.
  (void)response.Merge(other.response);
  (void)service.Merge(other.service);
  (void)connect.Merge(other.connect);
  (void)tls.Merge(other.tls);
  (void)ttfb.Merge(other.ttfb);
  bytes_sent += other.bytes_sent;
  bytes_received += other.bytes_received;
  for (size_t i = 0; i < le_buckets.size(); ++i) le_buckets[i] += other.le_buckets[i];
}

void SeriesStats::Reset() {
  response.Reset();
  service.Reset();
  connect.Reset();
  tls.Reset();
  ttfb.Reset();
  bytes_sent = 0;
  bytes_received = 0;
  le_buckets.fill(0);
}

std::array<uint64_t, kLeBoundCount> SeriesStats::LeCumulative() const {
  std::array<uint64_t, kLeBoundCount> out{};
  uint64_t cumulative = 0;
  for (size_t b = 0; b < kLeBoundCount; ++b) {
    cumulative += le_buckets[b];
    out[b] = cumulative;
  }
  return out;
}

void SeriesStats::AddLeCumulative(absl::Span<const uint64_t> cumulative, uint64_t total) {
  if (cumulative.size() != kLeBoundCount) return;
  uint64_t previous = 0;
  for (size_t b = 0; b < kLeBoundCount; ++b) {
    le_buckets[b] += cumulative[b] - previous;
    previous = cumulative[b];
  }
  le_buckets[kLeBoundCount] += total - previous;
}

}  // namespace barrage
