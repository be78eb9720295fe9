// Copyright 2026 The Barrage Authors.
//
// Histogram: an HDR-style log-linear latency histogram over integer
// microseconds, with exact count, sum, min and max beside the buckets.
//
// Layout (fixed per precision, shared by every process so that histograms
// merge by integer addition):
//   - values 0 us .. kHighestTrackableUs (1 h); larger values are counted in
//     overflow(), and still in count(), sum_us() and max_us();
//   - `significant_digits` 3 (default): 2,048 sub-buckets per power of two,
//     so a bucket is at most 1/1024 of its values wide (<= 0.098%);
//     `significant_digits` 2: 256 sub-buckets, width <= 1/128 (0.78%);
//   - values below 2 * sub_bucket_half_count are exact.
// Bucket i holds the values [LowestEquivalent(i), HighestEquivalent(i)].
//
// Quantiles are nearest rank: the smallest bucket whose cumulative count
// reaches ceil(q * count), reported as that bucket's highest value clamped to
// the exact max. They never under-report by more than 0 and never
// over-report by more than one bucket width.
//
// Thread safety: none. A Histogram is owned by one thread (a worker records
// into its own and hands it over whole); merge on the side.
#ifndef BARRAGE_COMMON_STATS_HISTOGRAM_H_
#define BARRAGE_COMMON_STATS_HISTOGRAM_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"

namespace barrage {

class Histogram {
 public:
  static constexpr uint64_t kHighestTrackableUs = 3'600'000'000;  // 1 h

  // `significant_digits` must be 2 or 3; anything else is treated as 3.
  explicit Histogram(int significant_digits = 3);

  Histogram(const Histogram&) = default;
  Histogram& operator=(const Histogram&) = default;
  Histogram(Histogram&&) noexcept = default;
  Histogram& operator=(Histogram&&) noexcept = default;

  // Records one value. Constant time, no allocation, no branches on the
  // common path beyond the range check.
  void Record(uint64_t value_us) { RecordN(value_us, 1); }
  void RecordN(uint64_t value_us, uint64_t n);

  // Adds `other` bucket by bucket. Fails (changing nothing) when the layouts
  // differ.
  absl::Status Merge(const Histogram& other);

  // Exact 2-significant-digit copy: 8 fine buckets nest in each coarse one.
  // A 2-digit histogram returns a copy of itself.
  Histogram Downsample() const;

  // Nearest-rank quantile for q in [0, 1]; 0 when empty. q <= 0 gives min.
  uint64_t Quantile(double q) const;

  // Number of recorded values <= `bound_us`, counting each bucket whose
  // HighestEquivalent() <= bound_us. Exact when `bound_us` is a bucket's
  // highest value; otherwise undercounts by at most the straddling bucket.
  uint64_t CountAtOrBelow(uint64_t bound_us) const;

  void Reset();

  int significant_digits() const { return digits_; }
  uint64_t count() const { return count_; }
  uint64_t sum_us() const { return sum_us_; }
  uint64_t min_us() const { return count_ == 0 ? 0 : min_us_; }
  uint64_t max_us() const { return max_us_; }
  uint64_t overflow() const { return overflow_; }
  double mean_us() const {
    return count_ == 0 ? 0.0 : static_cast<double>(sum_us_) / count_;
  }

  // Dense bucket access, for codecs and exposition.
  size_t bucket_count() const { return counts_.size(); }
  uint64_t bucket(size_t index) const { return counts_[index]; }
  size_t IndexOf(uint64_t value_us) const;  // value must be <= highest
  uint64_t LowestEquivalent(size_t index) const;
  uint64_t HighestEquivalent(size_t index) const;

  // Range of possibly non-empty bucket indices [first, last]; first > last
  // when no value is in a bucket.
  size_t first_nonempty_hint() const;
  size_t last_nonempty_hint() const;

  // For the decoder: sets the summary fields directly. The caller has
  // validated them against the buckets.
  void AddBucket(size_t index, uint64_t n) { counts_[index] += n; }
  void AddSummary(uint64_t count, uint64_t sum_us, uint64_t min_us,
                  uint64_t max_us, uint64_t overflow);

  bool operator==(const Histogram& other) const;
  bool operator!=(const Histogram& other) const { return !(*this == other); }

 private:

  int digits_;
  int sub_bucket_half_count_magnitude_;  // 10 for 3 digits, 7 for 2
  uint64_t sub_bucket_mask_;             // sub_bucket_count - 1
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_us_ = 0;
  uint64_t min_us_ = UINT64_MAX;
  uint64_t max_us_ = 0;
  uint64_t overflow_ = 0;
};

// Inline: this is the agent's hot path.
inline size_t Histogram::IndexOf(uint64_t value_us) const {
  // Power-of-two bucket from a count of leading zeros, then the linear
  // sub-bucket within it (HdrHistogram's layout, unit 1 us).
  const int pow2_ceiling = 64 - __builtin_clzll(value_us | sub_bucket_mask_);
  const int bucket = pow2_ceiling - (sub_bucket_half_count_magnitude_ + 1);
  const uint64_t sub_bucket = value_us >> bucket;
  return (static_cast<size_t>(bucket + 1) << sub_bucket_half_count_magnitude_) +
         (sub_bucket - (uint64_t{1} << sub_bucket_half_count_magnitude_));
}

inline void Histogram::RecordN(uint64_t value_us, uint64_t n) {
  count_ += n;
  sum_us_ += value_us * n;
  if (value_us < min_us_) min_us_ = value_us;
  if (value_us > max_us_) max_us_ = value_us;
  if (value_us > kHighestTrackableUs) {
    overflow_ += n;
    return;
  }
  counts_[IndexOf(value_us)] += n;
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_HISTOGRAM_H_
