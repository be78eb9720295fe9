// Copyright 2026 The Barrage Authors.

#include "common/stats/histogram.h"

#include <algorithm>
#include <cmath>

namespace barrage {

Histogram::Histogram(int significant_digits)
    : digits_(significant_digits == 2 ? 2 : 3),
      sub_bucket_half_count_magnitude_(digits_ == 2 ? 7 : 10),
      sub_bucket_mask_((uint64_t{2} << sub_bucket_half_count_magnitude_) - 1) {
  // The dense array ends at the bucket holding the highest trackable value,
  // so every index past it is out of range by construction.
  counts_.assign(IndexOf(kHighestTrackableUs) + 1, 0);
}

uint64_t Histogram::LowestEquivalent(size_t index) const {
  const uint64_t half = uint64_t{1} << sub_bucket_half_count_magnitude_;
  int bucket = static_cast<int>(index >> sub_bucket_half_count_magnitude_) - 1;
  uint64_t sub_bucket = (index & (half - 1)) + half;
  if (bucket < 0) {
    sub_bucket -= half;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

uint64_t Histogram::HighestEquivalent(size_t index) const {
  int bucket = static_cast<int>(index >> sub_bucket_half_count_magnitude_) - 1;
  if (bucket < 0) bucket = 0;
  return LowestEquivalent(index) + (uint64_t{1} << bucket) - 1;
}

size_t Histogram::first_nonempty_hint() const {
  if (count_ == overflow_) return counts_.size();
  return IndexOf(min_us_);
}

size_t Histogram::last_nonempty_hint() const {
  if (count_ == overflow_) return 0;
  return IndexOf(std::min(max_us_, kHighestTrackableUs));
}

absl::Status Histogram::Merge(const Histogram& other) {
  if (other.digits_ != digits_) {
    return absl::InvalidArgumentError(
        "histogram layouts differ: cannot merge different precisions");
  }
  if (other.count_ == 0) return absl::OkStatus();
  // Only the span between the other's min and max can be non-empty.
  const size_t last = other.last_nonempty_hint();
  for (size_t i = other.first_nonempty_hint(); i <= last && i < counts_.size();
       ++i) {
    counts_[i] += other.counts_[i];
  }
  count_ += other.count_;
  sum_us_ += other.sum_us_;
  overflow_ += other.overflow_;
  min_us_ = std::min(min_us_, other.min_us_);
  max_us_ = std::max(max_us_, other.max_us_);
  return absl::OkStatus();
}

Histogram Histogram::Downsample() const {
  if (digits_ == 2) return *this;
  Histogram coarse(2);
  if (count_ != overflow_) {
    const size_t last = last_nonempty_hint();
    for (size_t i = first_nonempty_hint(); i <= last; ++i) {
      if (counts_[i] != 0) {
        coarse.counts_[coarse.IndexOf(LowestEquivalent(i))] += counts_[i];
      }
    }
  }
  coarse.count_ = count_;
  coarse.sum_us_ = sum_us_;
  coarse.min_us_ = min_us_;
  coarse.max_us_ = max_us_;
  coarse.overflow_ = overflow_;
  return coarse;
}

uint64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  if (!(q > 0.0)) return min_us();
  if (q >= 1.0) return max_us_;
  // Nearest rank: the smallest value with at least ceil(q * N) values at or
  // below it. The epsilon keeps 0.95 * 100 from rounding up to 96.
  uint64_t rank =
      static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  if (count_ != overflow_) {
    const size_t last = last_nonempty_hint();
    for (size_t i = first_nonempty_hint(); i <= last; ++i) {
      seen += counts_[i];
      if (seen >= rank) {
        return std::clamp(HighestEquivalent(i), min_us(), max_us_);
      }
    }
  }
  return max_us_;  // the rank falls among the overflowed values
}

uint64_t Histogram::CountAtOrBelow(uint64_t bound_us) const {
  if (count_ == 0) return 0;
  if (bound_us >= max_us_) return count_;
  if (count_ == overflow_) return 0;
  uint64_t n = 0;
  const size_t last = last_nonempty_hint();
  for (size_t i = first_nonempty_hint(); i <= last; ++i) {
    if (HighestEquivalent(i) > bound_us) break;
    n += counts_[i];
  }
  return n;
}

void Histogram::Reset() {
  if (count_ != overflow_) {
    const size_t last = last_nonempty_hint();
    std::fill(counts_.begin() + static_cast<ptrdiff_t>(first_nonempty_hint()),
              counts_.begin() + static_cast<ptrdiff_t>(last) + 1, 0);
  }
  count_ = 0;
  sum_us_ = 0;
  min_us_ = UINT64_MAX;
  max_us_ = 0;
  overflow_ = 0;
}

void Histogram::AddSummary(uint64_t count, uint64_t sum_us, uint64_t min_us,
                           uint64_t max_us, uint64_t overflow) {
  if (count == 0) return;
  count_ += count;
  sum_us_ += sum_us;
  overflow_ += overflow;
  min_us_ = std::min(min_us_, min_us);
  max_us_ = std::max(max_us_, max_us);
}

bool Histogram::operator==(const Histogram& other) const {
  return digits_ == other.digits_ && count_ == other.count_ &&
         sum_us_ == other.sum_us_ && min_us() == other.min_us() &&
         max_us_ == other.max_us_ && overflow_ == other.overflow_ &&
         counts_ == other.counts_;
}

}  // namespace barrage
