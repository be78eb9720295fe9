// Copyright 2026 The Barrage Authors.
//
// SeriesStats: what is measured of one series (a request x an outcome) over
// some time: response time from the *intended* send (free of coordinated
// omission) and service time from the actual send, bytes, exact counts
// per Prometheus `le` bucket, and the connection phases (connect, TLS
// handshake, time to first byte). The agent records into it request by request
// (one interval); the controller adds the agents' intervals into it (the
// whole run). The same struct on both sides, so both count alike.
//
// Thread safety: none; the owner serializes access.
#ifndef BARRAGE_COMMON_STATS_SERIES_STATS_H_
#define BARRAGE_COMMON_STATS_SERIES_STATS_H_

#include <array>
#include <cstdint>

#include "absl/types/span.h"
#include "common/stats/histogram.h"
#include "common/stats/latency_buckets.h"

namespace barrage {

struct SeriesStats {
  Histogram response;  // us, from the intended send time
  Histogram service;   // us, from the actual send time
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  // Responses per `le` bucket by response time (not cumulative); the last
  // entry is the +Inf bucket.
  std::array<uint64_t, kLeBoundCount + 1> le_buckets{};
  // Phases, us: connect (TCP) and tls (handshake) of the requests that
  // opened a connection, ttfb (start to first response byte) of those that
  // got one. Each counts only the requests it was measured for.
  Histogram connect;
  Histogram tls;
  Histogram ttfb;

  // One response; allocates nothing.
  void Record(uint64_t response_us, uint64_t service_us, uint64_t sent,
              uint64_t received) {
    response.Record(response_us);
    service.Record(service_us);
    bytes_sent += sent;
    bytes_received += received;
    ++le_buckets[LeBucketOf(response_us)];
  }
  // One request's phases in ns, as HttpResult carries them (negative: not
  // measured); allocates nothing.
  void RecordPhases(int64_t connect_ns, int64_t tls_ns, int64_t ttfb_ns) {
    if (connect_ns >= 0) connect.Record(static_cast<uint64_t>(connect_ns) / 1000);
    if (tls_ns >= 0) tls.Record(static_cast<uint64_t>(tls_ns) / 1000);
    if (ttfb_ns >= 0) ttfb.Record(static_cast<uint64_t>(ttfb_ns) / 1000);
  }
  // Adds `other` (same histogram layout by construction).
  void Merge(const SeriesStats& other);
  // Empties it, keeping its allocations.
  void Reset();

  // Responses <= each `le` bound, cumulative across bounds (the wire form,
  // SeriesDelta.le_counts).
  std::array<uint64_t, kLeBoundCount> LeCumulative() const;
  // Adds a wire `le_counts` of `total` responses: kLeBoundCount entries,
  // non-decreasing, each <= total (validated by the caller). Empty adds
  // nothing.
  void AddLeCumulative(absl::Span<const uint64_t> cumulative, uint64_t total);
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_SERIES_STATS_H_
