// Copyright 2026 The Barrage Authors.
//
// The moving-block bootstrap of one run's time series, for `barrage compare`
// (compare.h). A run's intervals are not independent (a slow minute is slow
// for every request in it), so a resample draws whole blocks of consecutive
// intervals: the moving-block bootstrap, blocks of `block` intervals (10 s
// of 1 s intervals) starting at any interval, drawn with replacement until
// the resample is as long as the run (the last block cut short). Blocks wrap
// around the run's end (Politis and Romano's circular variant), so every
// interval is drawn equally often: plain moving blocks under-draw the first
// and last block-length of a run, which in a 6-block run biases the
// resamples' centre enough to double the false regressions (measured with
// the calibration test's pairs).
//
// Each resample merges the drawn intervals' histograms (an interval drawn k
// times counts k times) and reads p50/p95/p99 from the merge with the exact
// nearest-rank rule of SparseHistogram::Quantile: quantiles are never
// averaged. The error rate is the resample's errors over its results (the
// block error proportions pooled by their counts); the achieved rate is the
// length-weighted mean of the drawn intervals' achieved_rps.
//
// Statistics are per group: group 0 is every request, group 1 + r is
// request r of RunSeries::requests.
//
// Cost: the constructor flattens the histograms once (one entry per
// non-empty bucket per request per interval); a resample touches each drawn
// interval's entries once plus each request's distinct buckets once (its
// scratch counts are allocated per call).
//
// A value type; const methods may be called from several threads (each with
// its own RNG). The RNG is injected: the same seed gives the same resamples.
#ifndef BARRAGE_CONTROLLER_REPORT_BOOTSTRAP_H_
#define BARRAGE_CONTROLLER_REPORT_BOOTSTRAP_H_

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "controller/report/time_series.h"

namespace barrage {

// One group's statistics in a run or a resample.
struct GroupStats {
  uint64_t ok = 0;          // ok results: the quantiles' sample
  double p50_us = 0;        // quantiles of the ok response times; 0 when ok == 0
  double p95_us = 0;
  double p99_us = 0;
  uint64_t requests = 0;    // results of any outcome
  uint64_t errors = 0;
  double error_rate = 0;    // errors / requests (0..1); 0 when requests == 0
  double achieved_rps = 0;  // results per second, length-weighted over intervals
};

// A circular moving-block resample of `n` intervals as weights: ceil(n /
// block) starts uniform in [0, n), each covering `block` intervals from it
// modulo n (a block longer than the run is the whole run); out[i] = how
// many drawn blocks cover interval i, the last block cut so that the
// weights sum to n. `block` >= 1.
void MovingBlockWeights(size_t n, size_t block, std::mt19937_64& rng,
                        std::vector<uint32_t>& out);

class SeriesResampler {
 public:
  // The intervals of `series` that start at or after `skip_s` and before
  // `end_s`, warm-up intervals left out as --skip leaves out the first
  // seconds (copied and flattened; `series` is not kept). Histograms of
  // mixed precision are all read at the coarser one (a coarsened run is
  // compared at 2 digits).
  SeriesResampler(const RunSeries& series, double skip_s,
                  double end_s = std::numeric_limits<double>::infinity());

  size_t intervals() const { return lengths_.size(); }
  size_t groups() const { return 1 + requests_.size(); }
  double duration_s() const { return duration_s_; }  // the kept intervals' length
  int significant_digits() const { return digits_; }

  // The run as recorded (every kept interval once).
  std::vector<GroupStats> Stats() const;
  // The statistics of the intervals counted `weights[i]` times each
  // (weights.size() == intervals()).
  std::vector<GroupStats> Weighted(const std::vector<uint32_t>& weights) const;
  // One moving-block resample (MovingBlockWeights(intervals(), block, rng)).
  std::vector<GroupStats> Resample(size_t block, std::mt19937_64& rng) const;

 private:
  // 4 bytes: a resample's cost is reading these. A layout has < 65,536
  // buckets (checked in the constructor); larger counts take several entries.
  struct Entry {
    uint16_t bucket;  // index into the request's `highest`
    uint16_t count;
  };
  struct Cell {  // one request in one interval
    uint32_t first = 0;  // its entries: entries_[first, first + size)
    uint32_t size = 0;
    uint64_t ok = 0;       // ok results (overflowed ones too)
    uint64_t min_us = 0;   // of the ok results, when ok > 0
    uint64_t max_us = 0;
    uint64_t requests = 0;
    uint64_t errors = 0;
  };
  struct Request {
    std::vector<uint64_t> highest;  // per distinct bucket, ascending: its highest value
    std::vector<uint32_t> to_all;   // per distinct bucket: its index in all_highest_
  };

  // Quantiles of `counts` (parallel to `highest`) given the merge's count,
  // min and max, into `stats`.
  static void ReadQuantiles(const std::vector<uint64_t>& counts,
                            const std::vector<uint64_t>& highest, uint64_t count,
                            uint64_t min_us, uint64_t max_us, GroupStats& stats);

  int digits_ = 3;
  double duration_s_ = 0;
  std::vector<Request> requests_;
  std::vector<uint64_t> all_highest_;  // every request's distinct buckets
  std::vector<double> lengths_;        // per interval: length_s
  std::vector<double> achieved_;       // per interval: achieved_rps
  std::vector<Cell> cells_;            // request-major: cells_[r * intervals + i]
  std::vector<Entry> entries_;
};

// The percentile interval of `values` at `level` (0.95 for 95%): the order
// statistics floor(a/2 * n) and ceil((1 - a/2) * n) - 1 (0-based, clamped)
// of the sorted values, a = 1 - level. So its lower end exceeds t exactly
// when at most floor(a/2 * n) values are <= t. {0, 0} when empty.
struct PercentileBounds {
  double lo = 0;
  double hi = 0;
};
PercentileBounds PercentileInterval(std::vector<double> values, double level);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_BOOTSTRAP_H_
