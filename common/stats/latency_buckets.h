// Copyright 2026 The Barrage Authors.
//
// The fixed `le` boundaries of barrage_request_duration_seconds (README, Metrics),
// in microseconds. Every SLO threshold in the seed targets is an exact
// boundary, so agents count responses <= each one exactly (beside the fine
// histogram) and the controller never interpolates.
#ifndef BARRAGE_COMMON_STATS_LATENCY_BUCKETS_H_
#define BARRAGE_COMMON_STATS_LATENCY_BUCKETS_H_

#include <cstddef>
#include <cstdint>

namespace barrage {

inline constexpr uint64_t kLeBoundsUs[] = {
    1'000,   2'500,   5'000,   10'000,  25'000,    50'000,
    100'000, 200'000, 250'000, 300'000, 500'000,   750'000,
    1'000'000, 2'000'000, 2'500'000, 5'000'000, 10'000'000};
inline constexpr size_t kLeBoundCount = sizeof(kLeBoundsUs) / sizeof(kLeBoundsUs[0]);

// Index of the first bound >= value_us, or kLeBoundCount (the +Inf bucket).
inline size_t LeBucketOf(uint64_t value_us) {
  size_t i = 0;
  while (i < kLeBoundCount && value_us > kLeBoundsUs[i]) ++i;
  return i;
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_LATENCY_BUCKETS_H_
