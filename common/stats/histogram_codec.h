// Copyright 2026 The Barrage Authors.
//
// Histogram <-> barrage.v1.HistogramSnapshot, the sparse zero-run packed wire
// form described in proto/barrage/v1/stats.proto.
//
// Decoding treats the payload as hostile: every index, run length and count
// is checked before anything is written, allocation is bounded by the fixed
// layout (never by a length in the payload), and a bad payload yields an
// InvalidArgument Status naming the offending entry. A histogram is never
// partially merged.
#ifndef BARRAGE_COMMON_STATS_HISTOGRAM_CODEC_H_
#define BARRAGE_COMMON_STATS_HISTOGRAM_CODEC_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/histogram.h"

namespace barrage {

// Overwrites `out` with the sparse form of `histogram`.
void EncodeHistogram(const Histogram& histogram, v1::HistogramSnapshot* out);

// Checks `snapshot` against the layout it names, without decoding it.
absl::Status ValidateSnapshot(const v1::HistogramSnapshot& snapshot);

// Validates `snapshot`, then adds it into `into`. On error `into` is
// unchanged. The snapshot's precision must equal `into`'s.
absl::Status MergeSnapshot(const v1::HistogramSnapshot& snapshot,
                           Histogram& into);

absl::StatusOr<Histogram> DecodeHistogram(
    const v1::HistogramSnapshot& snapshot);

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_HISTOGRAM_CODEC_H_
