// Copyright 2026 The Barrage Authors.

#include "controller/report/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "common/stats/histogram.h"

namespace barrage {
namespace {

constexpr double kQuantiles[3] = {0.5, 0.95, 0.99};

// Uniform in [0, bound) (bound >= 1) by a modulo: the bias is below
// bound / 2^64, and the draw is the same on every platform
// (std::uniform_int_distribution is not).
uint64_t Below(uint64_t bound, std::mt19937_64& rng) { return rng() % bound; }

// The nearest rank of SparseHistogram::Quantile.
uint64_t Rank(double q, uint64_t count) {
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count) - 1e-9));
  return std::clamp<uint64_t>(rank, 1, count);
}

}  // namespace

void MovingBlockWeights(size_t n, size_t block, std::mt19937_64& rng,
                        std::vector<uint32_t>& out) {
  out.assign(n, 0);
  if (n == 0) return;
  block = std::max<size_t>(1, std::min(block, n));
  size_t drawn = 0;
  while (drawn < n) {
    const size_t start = static_cast<size_t>(Below(n, rng));
    const size_t take = std::min(block, n - drawn);
    for (size_t i = 0; i < take; ++i) ++out[(start + i) % n];
    drawn += take;
  }
}

SeriesResampler::SeriesResampler(const RunSeries& series, double skip_s, double end_s) {
  std::vector<const SeriesInterval*> kept;
  for (const SeriesInterval& in : series.intervals) {
    if (!in.warmup && in.start_s >= skip_s && in.start_s < end_s) kept.push_back(&in);
  }
  const size_t nreq = series.requests.size();
  // The coarsest precision present: every histogram is read at it.
  for (const SeriesInterval* in : kept) {
    for (const RequestInterval& r : in->requests) {
      if (!r.ok.empty()) digits_ = std::min(digits_, r.ok.significant_digits());
    }
  }
  const Histogram layout(digits_);
  static_assert(sizeof(Entry) == 4);
  // Entry::bucket is 16 bits: true of both layouts (3 digits: ~45,000 buckets).
  if (layout.bucket_count() > std::numeric_limits<uint16_t>::max()) std::abort();
  // Each request's distinct buckets, then every request's.
  std::vector<std::vector<uint32_t>> distinct(nreq);
  std::vector<uint32_t> all;
  // `h` at digits_: itself, or its downsampled copy kept in `scratch`.
  auto at_digits = [&](const SparseHistogram& h, SparseHistogram& scratch) -> const SparseHistogram& {
    if (h.significant_digits() == digits_) return h;
    scratch = h.Downsample();
    return scratch;
  };
  SparseHistogram scratch;
  for (const SeriesInterval* in : kept) {
    for (size_t r = 0; r < nreq && r < in->requests.size(); ++r) {
      const SparseHistogram& h = at_digits(in->requests[r].ok, scratch);
      for (const auto& [index, n] : h.buckets()) distinct[r].push_back(index);
    }
  }
  requests_.resize(nreq);
  for (size_t r = 0; r < nreq; ++r) {
    std::sort(distinct[r].begin(), distinct[r].end());
    distinct[r].erase(std::unique(distinct[r].begin(), distinct[r].end()), distinct[r].end());
    all.insert(all.end(), distinct[r].begin(), distinct[r].end());
    for (uint32_t index : distinct[r]) requests_[r].highest.push_back(layout.HighestEquivalent(index));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  for (uint32_t index : all) all_highest_.push_back(layout.HighestEquivalent(index));
  for (size_t r = 0; r < nreq; ++r) {
    for (uint32_t index : distinct[r]) {
      requests_[r].to_all.push_back(static_cast<uint32_t>(
          std::lower_bound(all.begin(), all.end(), index) - all.begin()));
    }
  }
  // The cells and their entries, request-major: a resample reads each
  // request's cells and entries front to back.
  cells_.resize(kept.size() * nreq);
  for (const SeriesInterval* in : kept) {
    lengths_.push_back(in->length_s);
    achieved_.push_back(in->achieved_rps);
    duration_s_ += in->length_s;
  }
  for (size_t r = 0; r < nreq; ++r) {
    for (size_t i = 0; i < kept.size(); ++i) {
      if (r >= kept[i]->requests.size()) continue;
      const RequestInterval& ri = kept[i]->requests[r];
      Cell& cell = cells_[r * kept.size() + i];
      const SparseHistogram& h = at_digits(ri.ok, scratch);
      cell.first = static_cast<uint32_t>(entries_.size());
      for (const auto& [index, n] : h.buckets()) {
        const uint16_t bucket = static_cast<uint16_t>(
            std::lower_bound(distinct[r].begin(), distinct[r].end(), index) -
            distinct[r].begin());
        // A count beyond 16 bits is split into several entries.
        for (uint64_t left = n; left > 0;) {
          const uint16_t part = static_cast<uint16_t>(
              std::min<uint64_t>(left, std::numeric_limits<uint16_t>::max()));
          entries_.push_back({bucket, part});
          left -= part;
        }
      }
      cell.size = static_cast<uint32_t>(entries_.size() - cell.first);
      cell.ok = h.count();
      cell.min_us = h.min_us();
      cell.max_us = h.max_us();
      cell.requests = ri.requests();
      cell.errors = ri.errors();
    }
  }
}

std::vector<GroupStats> SeriesResampler::Stats() const {
  return Weighted(std::vector<uint32_t>(intervals(), 1));
}

std::vector<GroupStats> SeriesResampler::Resample(size_t block, std::mt19937_64& rng) const {
  std::vector<uint32_t> weights;
  MovingBlockWeights(intervals(), block, rng, weights);
  return Weighted(weights);
}

void SeriesResampler::ReadQuantiles(const std::vector<uint64_t>& counts,
                                    const std::vector<uint64_t>& highest, uint64_t count,
                                    uint64_t min_us, uint64_t max_us, GroupStats& stats) {
  stats.ok = count;
  double* out[3] = {&stats.p50_us, &stats.p95_us, &stats.p99_us};
  if (count == 0) return;
  uint64_t ranks[3];
  for (int k = 0; k < 3; ++k) ranks[k] = Rank(kQuantiles[k], count);
  int k = 0;
  uint64_t seen = 0;
  for (size_t j = 0; j < counts.size() && k < 3; ++j) {
    seen += counts[j];
    while (k < 3 && seen >= ranks[k]) {
      *out[k] = static_cast<double>(std::clamp(highest[j], min_us, max_us));
      ++k;
    }
  }
  for (; k < 3; ++k) *out[k] = static_cast<double>(max_us);  // among the overflowed
}

std::vector<GroupStats> SeriesResampler::Weighted(const std::vector<uint32_t>& weights) const {
  const size_t nreq = requests_.size();
  std::vector<GroupStats> stats(groups());
  std::vector<uint64_t> all_counts(all_highest_.size(), 0);
  std::vector<uint64_t> counts;
  uint64_t all_ok = 0, all_min = UINT64_MAX, all_max = 0;
  double length = 0, achieved = 0;
  // The drawn intervals, once (a third of them are not drawn: no branch per
  // request on those).
  std::vector<std::pair<uint32_t, uint32_t>> drawn;  // (interval, weight)
  drawn.reserve(weights.size());
  for (size_t i = 0; i < weights.size() && i < lengths_.size(); ++i) {
    if (weights[i] == 0) continue;
    drawn.emplace_back(static_cast<uint32_t>(i), weights[i]);
    length += weights[i] * lengths_[i];
    achieved += weights[i] * lengths_[i] * achieved_[i];
  }
  for (size_t r = 0; r < nreq; ++r) {
    const Request& req = requests_[r];
    counts.assign(req.highest.size(), 0);
    uint64_t ok = 0, min_us = UINT64_MAX, max_us = 0;
    GroupStats& g = stats[1 + r];
    const Cell* cells = cells_.data() + r * lengths_.size();
    for (const auto& [i, weight] : drawn) {
      const uint64_t w = weight;
      const Cell& cell = cells[i];
      g.requests += w * cell.requests;
      g.errors += w * cell.errors;
      if (cell.ok == 0) continue;
      ok += w * cell.ok;
      min_us = std::min(min_us, cell.min_us);
      max_us = std::max(max_us, cell.max_us);
      const Entry* e = entries_.data() + cell.first;
      if (w == 1) {
        for (uint32_t n = 0; n < cell.size; ++n) counts[e[n].bucket] += e[n].count;
      } else {
        for (uint32_t n = 0; n < cell.size; ++n) counts[e[n].bucket] += w * e[n].count;
      }
    }
    ReadQuantiles(counts, req.highest, ok, min_us, max_us, g);
    for (size_t j = 0; j < counts.size(); ++j) all_counts[req.to_all[j]] += counts[j];
    all_ok += ok;
    if (ok > 0) {
      all_min = std::min(all_min, min_us);
      all_max = std::max(all_max, max_us);
    }
    g.error_rate = g.requests == 0 ? 0 : static_cast<double>(g.errors) / g.requests;
    g.achieved_rps = length > 0 ? static_cast<double>(g.requests) / length : 0;
    stats[0].requests += g.requests;
    stats[0].errors += g.errors;
  }
  GroupStats& all_stats = stats[0];
  ReadQuantiles(all_counts, all_highest_, all_ok, all_min, all_max, all_stats);
  all_stats.error_rate = all_stats.requests == 0
                             ? 0
                             : static_cast<double>(all_stats.errors) / all_stats.requests;
  all_stats.achieved_rps = length > 0 ? achieved / length : 0;
  return stats;
}

PercentileBounds PercentileInterval(std::vector<double> values, double level) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const double a = 1 - level;
  const double n = static_cast<double>(values.size());
  const size_t last = values.size() - 1;
  const size_t lo = std::min(last, static_cast<size_t>(std::floor(a / 2 * n + 1e-9)));
  const double hi_rank = std::ceil((1 - a / 2) * n - 1e-9);
  const size_t hi = hi_rank < 1 ? 0 : std::min(last, static_cast<size_t>(hi_rank) - 1);
  return {values[lo], values[std::max(lo, hi)]};
}

}  // namespace barrage
