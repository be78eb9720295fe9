// Copyright 2026 The Barrage Authors.
//
// libFuzzer: any bytes as a HistogramSnapshot on the wire. Decoding must
// accept a consistent histogram or reject it whole; what it accepts encodes
// back to the same histogram, and merging it never changes an accumulator
// when it is rejected.

#include <cstddef>
#include <cstdint>

#include "common/stats/histogram_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  barrage::v1::HistogramSnapshot s;
  if (!s.ParseFromArray(data, static_cast<int>(size))) return 0;
  static barrage::Histogram* const accumulator = [] {
    auto* h = new barrage::Histogram();
    h->Record(1234);
    return h;
  }();
  const barrage::Histogram before = *accumulator;
  const absl::Status merged = barrage::MergeSnapshot(s, *accumulator);
  if (!merged.ok() && *accumulator != before) __builtin_trap();  // partial merge
  absl::StatusOr<barrage::Histogram> h = barrage::DecodeHistogram(s);
  if (h.ok()) {
    barrage::v1::HistogramSnapshot again;
    barrage::EncodeHistogram(*h, &again);
    absl::StatusOr<barrage::Histogram> round = barrage::DecodeHistogram(again);
    if (!round.ok() || *round != *h) __builtin_trap();
    (void)h->Quantile(0.99);
  }
  return 0;
}
