// Copyright 2026 The Barrage Authors.

#include "common/stats/sparse_histogram.h"

#include <algorithm>
#include <cmath>

#include "common/stats/histogram_codec.h"

namespace barrage {
namespace {

// Index arithmetic only; the dense arrays are a fixed cost per layout.
const Histogram& Layout(int digits) {
  static const Histogram* const kLayout3 = new Histogram(3);
  static const Histogram* const kLayout2 = new Histogram(2);
  return digits == 2 ? *kLayout2 : *kLayout3;
}

}  // namespace

SparseHistogram::SparseHistogram(int significant_digits)
    : digits_(significant_digits == 2 ? 2 : 3) {}

SparseHistogram SparseHistogram::From(const Histogram& dense) {
  SparseHistogram out(dense.significant_digits());
  if (dense.count() == 0) return out;
  if (dense.count() != dense.overflow()) {
    const size_t last = dense.last_nonempty_hint();
    for (size_t i = dense.first_nonempty_hint(); i <= last; ++i) {
      if (dense.bucket(i) != 0) out.buckets_.emplace_back(static_cast<uint32_t>(i), dense.bucket(i));
    }
  }
  out.count_ = dense.count();
  out.sum_us_ = dense.sum_us();
  out.min_us_ = dense.min_us();
  out.max_us_ = dense.max_us();
  out.overflow_ = dense.overflow();
  return out;
}

absl::StatusOr<SparseHistogram> SparseHistogram::FromSnapshot(
    const v1::HistogramSnapshot& s) {
  if (absl::Status status = ValidateSnapshot(s); !status.ok()) return status;
  SparseHistogram out(static_cast<int>(s.significant_digits()));
  if (s.count() == 0) return out;
  uint64_t index = s.first_index();
  for (int64_t v : s.counts()) {
    if (v < 0) {
      index += static_cast<uint64_t>(-v);
    } else {
      out.buckets_.emplace_back(static_cast<uint32_t>(index++), static_cast<uint64_t>(v));
    }
  }
  out.count_ = s.count();
  out.sum_us_ = s.sum_us();
  out.min_us_ = s.min_us();
  out.max_us_ = s.max_us();
  out.overflow_ = s.overflow();
  return out;
}

void SparseHistogram::ToSnapshot(v1::HistogramSnapshot* out) const {
  out->Clear();
  out->set_significant_digits(static_cast<uint32_t>(digits_));
  out->set_count(count_);
  out->set_sum_us(sum_us_);
  out->set_min_us(min_us());
  out->set_max_us(max_us_);
  out->set_overflow(overflow_);
  if (buckets_.empty()) return;
  out->set_first_index(buckets_.front().first);
  uint32_t next = buckets_.front().first;
  for (const auto& [index, n] : buckets_) {
    if (index > next) out->add_counts(-static_cast<int64_t>(index - next));
    out->add_counts(static_cast<int64_t>(n));
    next = index + 1;
  }
}

Histogram SparseHistogram::ToHistogram() const {
  Histogram out(digits_);
  for (const auto& [index, n] : buckets_) out.AddBucket(index, n);
  out.AddSummary(count_, sum_us_, min_us(), max_us_, overflow_);
  return out;
}

SparseHistogram SparseHistogram::Downsample() const {
  if (digits_ == 2) return *this;
  SparseHistogram out(2);
  const Histogram& fine = Layout(3);
  const Histogram& coarse = Layout(2);
  for (const auto& [index, n] : buckets_) {
    const uint32_t to = static_cast<uint32_t>(coarse.IndexOf(fine.LowestEquivalent(index)));
    if (!out.buckets_.empty() && out.buckets_.back().first == to) {
      out.buckets_.back().second += n;
    } else {
      out.buckets_.emplace_back(to, n);
    }
  }
  out.count_ = count_;
  out.sum_us_ = sum_us_;
  out.min_us_ = min_us_;
  out.max_us_ = max_us_;
  out.overflow_ = overflow_;
  return out;
}

void SparseHistogram::Merge(const SparseHistogram& other) {
  if (other.count_ == 0) return;
  if (other.digits_ < digits_) {
    *this = Downsample();
  } else if (other.digits_ > digits_) {
    Merge(other.Downsample());
    return;
  }
  Buckets merged;
  merged.reserve(buckets_.size() + other.buckets_.size());
  auto a = buckets_.begin();
  auto b = other.buckets_.begin();
  while (a != buckets_.end() || b != other.buckets_.end()) {
    if (b == other.buckets_.end() || (a != buckets_.end() && a->first < b->first)) {
      merged.push_back(*a++);
    } else if (a == buckets_.end() || b->first < a->first) {
      merged.push_back(*b++);
    } else {
      merged.emplace_back(a->first, a->second + b->second);
      ++a;
      ++b;
    }
  }
  buckets_ = std::move(merged);
  count_ += other.count_;
  sum_us_ += other.sum_us_;
  overflow_ += other.overflow_;
  min_us_ = std::min(min_us_, other.min_us_);
  max_us_ = std::max(max_us_, other.max_us_);
}

uint64_t SparseHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  if (!(q > 0.0)) return min_us();
  if (q >= 1.0) return max_us_;
  // The same nearest rank as Histogram::Quantile, epsilon included.
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  const Histogram& layout = Layout(digits_);
  for (const auto& [index, n] : buckets_) {
    seen += n;
    if (seen >= rank) return std::clamp(layout.HighestEquivalent(index), min_us(), max_us_);
  }
  return max_us_;
}

bool SparseHistogram::operator==(const SparseHistogram& other) const {
  return digits_ == other.digits_ && count_ == other.count_ && sum_us_ == other.sum_us_ &&
         min_us() == other.min_us() && max_us_ == other.max_us_ &&
         overflow_ == other.overflow_ && buckets_ == other.buckets_;
}

}  // namespace barrage
