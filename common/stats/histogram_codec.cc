// Copyright 2026 The Barrage Authors.

#include "common/stats/histogram_codec.h"

#include "absl/strings/str_format.h"
#include "common/util/int128.h"

namespace barrage {
namespace {

absl::Status Invalid(const char* what) {
  return absl::InvalidArgumentError(absl::StrFormat("histogram: %s", what));
}

}  // namespace

void EncodeHistogram(const Histogram& histogram, v1::HistogramSnapshot* out) {
  out->Clear();
  out->set_significant_digits(
      static_cast<uint32_t>(histogram.significant_digits()));
  out->set_count(histogram.count());
  out->set_sum_us(histogram.sum_us());
  out->set_min_us(histogram.min_us());
  out->set_max_us(histogram.max_us());
  out->set_overflow(histogram.overflow());
  if (histogram.count() == histogram.overflow()) return;
  const size_t first = histogram.first_nonempty_hint();
  const size_t last = histogram.last_nonempty_hint();
  out->set_first_index(static_cast<uint32_t>(first));
  int64_t zeros = 0;
  for (size_t i = first; i <= last; ++i) {
    const uint64_t n = histogram.bucket(i);
    if (n == 0) {
      ++zeros;
      continue;
    }
    if (zeros > 0) {
      out->add_counts(-zeros);
      zeros = 0;
    }
    out->add_counts(static_cast<int64_t>(n));
  }
}

// One pass over the entries: positions, the sum of counts and the first and
// last non-empty index, all checked against the layout before any write.
absl::Status ValidateSnapshot(const v1::HistogramSnapshot& s) {
  if (s.significant_digits() != 2 && s.significant_digits() != 3) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "histogram: significant_digits %d is not a known layout (2 or 3)",
        s.significant_digits()));
  }
  // The layout object is only used for index arithmetic here; its 180 KiB
  // array is the fixed cost of the layout, independent of the payload.
  static const Histogram* const kLayout3 = new Histogram(3);
  static const Histogram* const kLayout2 = new Histogram(2);
  const Histogram& layout = s.significant_digits() == 2 ? *kLayout2 : *kLayout3;
  const uint64_t size = layout.bucket_count();

  if (s.overflow() > s.count()) return Invalid("overflow exceeds count");
  if (s.count() == 0) {
    if (s.sum_us() != 0 || s.min_us() != 0 || s.max_us() != 0 ||
        s.counts_size() != 0) {
      return Invalid("empty histogram carries values");
    }
    return absl::OkStatus();
  }
  if (s.min_us() > s.max_us()) return Invalid("min_us exceeds max_us");
  // sum must lie within [count * min, count * max]; 128-bit avoids overflow.
  const uint128 count = s.count();
  if (static_cast<uint128>(s.sum_us()) < count * s.min_us() ||
      static_cast<uint128>(s.sum_us()) > count * s.max_us()) {
    return Invalid("sum_us is inconsistent with count, min_us and max_us");
  }
  if (static_cast<uint64_t>(s.counts_size()) > size) {
    return Invalid("more entries than the layout has buckets");
  }
  const bool has_overflow_max = s.max_us() > Histogram::kHighestTrackableUs;
  if (s.overflow() > 0 && !has_overflow_max) {
    return Invalid("overflow without a max_us above the layout's range");
  }
  if (s.overflow() == s.count()) {
    if (s.counts_size() != 0) return Invalid("buckets beside an all-overflow count");
    return absl::OkStatus();
  }
  if (s.counts_size() == 0) return Invalid("count without buckets");
  if (s.first_index() >= size) {
    return Invalid("first_index is outside the layout");
  }

  uint64_t index = s.first_index();
  uint64_t total = 0;
  uint64_t last = 0;
  for (int k = 0; k < s.counts_size(); ++k) {
    const int64_t v = s.counts(k);
    if (v == 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("histogram: counts[%d] is zero", k));
    }
    if (v < 0) {
      // A run of empty buckets: must leave room for a count after it.
      const uint64_t run = v == INT64_MIN ? UINT64_MAX : static_cast<uint64_t>(-v);
      if (k == 0 || k == s.counts_size() - 1 || run >= size - index) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "histogram: counts[%d] skips past the layout or ends the list", k));
      }
      index += run;
      continue;
    }
    if (index >= size) {
      return absl::InvalidArgumentError(
          absl::StrFormat("histogram: counts[%d] is outside the layout", k));
    }
    const uint64_t n = static_cast<uint64_t>(v);
    if (total + n < total) return Invalid("counts overflow 64 bits");
    total += n;
    last = index;
    ++index;
  }
  if (total + s.overflow() != s.count()) {
    return Invalid("bucket counts plus overflow do not equal count");
  }
  if (layout.IndexOf(s.min_us()) != s.first_index()) {
    return Invalid("min_us is not in the first bucket");
  }
  const uint64_t max_in_range =
      has_overflow_max ? Histogram::kHighestTrackableUs : s.max_us();
  if (!has_overflow_max && layout.IndexOf(max_in_range) != last) {
    return Invalid("max_us is not in the last bucket");
  }
  if (has_overflow_max && last > layout.IndexOf(max_in_range)) {
    return Invalid("buckets above the layout's range");
  }
  return absl::OkStatus();
}

absl::Status MergeSnapshot(const v1::HistogramSnapshot& s, Histogram& into) {
  if (absl::Status status = ValidateSnapshot(s); !status.ok()) return status;
  if (static_cast<int>(s.significant_digits()) != into.significant_digits()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "histogram: %d significant digits cannot merge into %d",
        s.significant_digits(), into.significant_digits()));
  }
  if (s.count() == 0) return absl::OkStatus();
  size_t index = s.first_index();
  for (int64_t v : s.counts()) {
    if (v < 0) {
      index += static_cast<size_t>(-v);
    } else {
      into.AddBucket(index++, static_cast<uint64_t>(v));
    }
  }
  into.AddSummary(s.count(), s.sum_us(), s.min_us(), s.max_us(), s.overflow());
  return absl::OkStatus();
}

absl::StatusOr<Histogram> DecodeHistogram(const v1::HistogramSnapshot& s) {
  Histogram h(s.significant_digits() == 2 ? 2 : 3);
  if (absl::Status status = MergeSnapshot(s, h); !status.ok()) return status;
  return h;
}

}  // namespace barrage
