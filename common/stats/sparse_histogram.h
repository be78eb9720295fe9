// Copyright 2026 The Barrage Authors.
//
// SparseHistogram: a Histogram's non-empty buckets only, for keeping many of
// them (a run's time series: one per request per interval, 72,000 for an
// hour of 20 requests) where a dense Histogram's fixed ~180 KiB each would
// not fit. Same layout, same exact count/sum/min/max/overflow, and the same
// nearest-rank Quantile() as Histogram, so a quantile read from either is
// the same number. Merging is exact bucket addition at the coarser of the
// two precisions (a 3-digit side is downsampled to 2 digits first).
//
// A value type; no threads.
#ifndef BARRAGE_COMMON_STATS_SPARSE_HISTOGRAM_H_
#define BARRAGE_COMMON_STATS_SPARSE_HISTOGRAM_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/histogram.h"

namespace barrage {

class SparseHistogram {
 public:
  // (dense bucket index, count > 0), by index.
  using Buckets = std::vector<std::pair<uint32_t, uint64_t>>;

  explicit SparseHistogram(int significant_digits = 3);
  static SparseHistogram From(const Histogram& dense);
  // Validates `snapshot` (as the wire codec does) without densifying it.
  static absl::StatusOr<SparseHistogram> FromSnapshot(const v1::HistogramSnapshot& snapshot);

  void ToSnapshot(v1::HistogramSnapshot* out) const;
  Histogram ToHistogram() const;
  // Exact 2-digit copy (a 2-digit histogram returns a copy of itself).
  SparseHistogram Downsample() const;
  // Adds `other`, at the coarser precision of the two.
  void Merge(const SparseHistogram& other);

  // As Histogram::Quantile: nearest rank, the bucket's highest value
  // clamped to [min, max]; 0 when empty.
  uint64_t Quantile(double q) const;

  int significant_digits() const { return digits_; }
  bool empty() const { return count_ == 0; }
  uint64_t count() const { return count_; }
  uint64_t sum_us() const { return sum_us_; }
  uint64_t min_us() const { return count_ == 0 ? 0 : min_us_; }
  uint64_t max_us() const { return max_us_; }
  uint64_t overflow() const { return overflow_; }
  double mean_us() const {
    return count_ == 0 ? 0.0 : static_cast<double>(sum_us_) / count_;
  }
  const Buckets& buckets() const { return buckets_; }

  bool operator==(const SparseHistogram& other) const;
  bool operator!=(const SparseHistogram& other) const { return !(*this == other); }

 private:
  int digits_;
  Buckets buckets_;
  uint64_t count_ = 0;
  uint64_t sum_us_ = 0;
  uint64_t min_us_ = UINT64_MAX;
  uint64_t max_us_ = 0;
  uint64_t overflow_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_SPARSE_HISTOGRAM_H_
