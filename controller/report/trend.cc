// Copyright 2026 The Barrage Authors.

#include "controller/report/trend.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace barrage {
namespace {

// splitmix64: the shuffles' generator. Written out (not <random>'s
// distributions, whose algorithms the standard leaves open) so a seed
// gives the same shuffles with every standard library.
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Fisher-Yates; the modulo's bias (< n / 2^64) does not matter here.
  void Shuffle(std::vector<double>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Next() % i]);
  }

 private:
  uint64_t state_;
};

struct Split {
  size_t tau = 0;  // 0: the segment is too short to split
  double q = 0;
};

// The split of `v` maximizing the energy statistic (the header's Q), each
// side at least `min_segment` long. O(n^2): the three distance sums move
// with tau one value at a time.
Split BestSplit(const std::vector<double>& v, size_t min_segment) {
  const size_t n = v.size();
  Split best;
  if (n < 2 * min_segment) return best;
  double within_x = 0, within_y = 0, between = 0;
  size_t t = min_segment;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      const double d = std::fabs(v[i] - v[j]);
      (j < t ? within_x : i >= t ? within_y : between) += d;
    }
  }
  best.q = -std::numeric_limits<double>::infinity();
  for (;; ++t) {
    const double nx = static_cast<double>(t), ny = static_cast<double>(n - t);
    const double energy = 2 * between / (nx * ny) - within_x / (nx * (nx - 1) / 2) -
                          within_y / (ny * (ny - 1) / 2);
    const double q = nx * ny / (nx + ny) * energy;
    if (q > best.q) best = {t, q};
    if (t + 1 > n - min_segment) break;
    // v[t] moves from Y to X.
    double to_x = 0, to_y = 0;
    for (size_t i = 0; i < t; ++i) to_x += std::fabs(v[i] - v[t]);
    for (size_t j = t + 1; j < n; ++j) to_y += std::fabs(v[t] - v[j]);
    within_x += to_x;
    within_y -= to_y;
    between += to_y - to_x;
  }
  return best;
}

struct Found {
  size_t index;
  double p_value;
};

// E-divisive on x[begin, end): appends the accepted splits to `found`.
void Divide(const std::vector<double>& x, size_t begin, size_t end,
            const ChangePointOptions& o, std::vector<Found>& found) {
  std::vector<double> segment(x.begin() + static_cast<std::ptrdiff_t>(begin),
                              x.begin() + static_cast<std::ptrdiff_t>(end));
  const Split split = BestSplit(segment, o.min_segment);
  if (split.tau == 0) return;
  // Each segment's shuffles have their own stream, so a segment's answer
  // does not depend on the order the recursion visits segments in.
  SplitMix rng(o.seed ^ (begin * 0x9E3779B97F4A7C15ULL) ^ (end * 0xC2B2AE3D27D4EB4FULL));
  int at_least = 0;
  for (int k = 0; k < o.permutations; ++k) {
    rng.Shuffle(segment);
    // A tiny tolerance, so that sums of the same values in another order
    // (equal statistics) count as equal.
    if (BestSplit(segment, o.min_segment).q >= split.q - 1e-12 * std::fabs(split.q)) ++at_least;
  }
  const double p = (1.0 + at_least) / (1.0 + o.permutations);
  if (p >= o.alpha) return;
  found.push_back({begin + split.tau, p});
  Divide(x, begin, begin + split.tau, o, found);
  Divide(x, begin + split.tau, end, o, found);
}

std::vector<Found> FindSplits(const std::vector<double>& x, ChangePointOptions o) {
  o.min_segment = std::max<size_t>(o.min_segment, 2);  // C(1,2) = 0: no within-distance
  std::vector<Found> found;
  Divide(x, 0, x.size(), o, found);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.index < b.index; });
  return found;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

double Value(const TrendRun& r, TrendMetric m) {
  switch (m) {
    case TrendMetric::kP50:
      return r.p50_ms;
    case TrendMetric::kP95:
      return r.p95_ms;
    case TrendMetric::kP99:
      return r.p99_ms;
    case TrendMetric::kErrorRate:
      return r.error_rate;
  }
  return 0;
}

constexpr TrendMetric kMetrics[] = {TrendMetric::kP50, TrendMetric::kP95, TrendMetric::kP99,
                                    TrendMetric::kErrorRate};

}  // namespace

std::vector<size_t> EDivisive(const std::vector<double>& x, const ChangePointOptions& options) {
  std::vector<size_t> out;
  for (const Found& f : FindSplits(x, options)) out.push_back(f.index);
  return out;
}

absl::string_view TrendMetricName(TrendMetric metric) {
  switch (metric) {
    case TrendMetric::kP50:
      return "p50";
    case TrendMetric::kP95:
      return "p95";
    case TrendMetric::kP99:
      return "p99";
    case TrendMetric::kErrorRate:
      return "error_rate";
  }
  return "";
}

TrendReport AnalyzeTrend(const std::vector<TrendRun>& history, const TrendOptions& options) {
  TrendReport report;
  for (const TrendRun& r : history) {
    if (report.runs.size() >= options.last) break;
    if (r.status == "passed" || r.status == "failed") {
      report.runs.push_back(r);
    } else {
      ++report.skipped;
    }
  }
  std::reverse(report.runs.begin(), report.runs.end());
  report.enough_runs = report.runs.size() >= std::max<size_t>(options.min_runs, 2);
  if (!report.enough_runs) return report;

  const size_t n = report.runs.size();
  for (size_t m = 0; m < std::size(kMetrics); ++m) {
    const TrendMetric metric = kMetrics[m];
    const bool latency = metric != TrendMetric::kErrorRate;
    std::vector<double> raw(n), x(n);
    for (size_t i = 0; i < n; ++i) {
      raw[i] = Value(report.runs[i], metric);
      // log(latency): a step is judged relative to its level (1 us floor).
      x[i] = latency ? std::log(std::max(raw[i], 1e-3)) : raw[i];
    }
    ChangePointOptions cp = options.change_points;
    cp.seed += m;  // each metric its own shuffles
    const std::vector<Found> found = FindSplits(x, cp);
    auto it = [](const std::vector<double>& v, size_t i) {
      return v.begin() + static_cast<std::ptrdiff_t>(i);
    };
    // The run-to-run noise: the robust SD of x from its successive
    // differences (1.4826 MAD / sqrt 2), which a few steps barely move.
    std::vector<double> differences;
    for (size_t i = 1; i < n; ++i) differences.push_back(std::fabs(x[i] - x[i - 1]));
    const double noise = 1.4826 * Median(differences) / std::sqrt(2.0);
    for (size_t k = 0; k < found.size(); ++k) {
      const size_t from = k == 0 ? 0 : found[k - 1].index;
      const size_t at = found[k].index;
      const size_t to = k + 1 < found.size() ? found[k + 1].index : n;
      const double before = Median(std::vector<double>(it(raw, from), it(raw, at)));
      const double after = Median(std::vector<double>(it(raw, at), it(raw, to)));
      const double shift = std::fabs(Median(std::vector<double>(it(x, at), it(x, to))) -
                                     Median(std::vector<double>(it(x, from), it(x, at))));
      const bool matters =
          latency ? before > 0 && std::fabs(after / before - 1) >= options.min_latency_change &&
                        shift >= options.min_noise_multiple * noise
                  : std::fabs(after - before) >= options.min_error_rate_change &&
                        shift >= options.min_noise_multiple * noise;
      if (!matters) continue;
      report.changes.push_back(
          {metric, at, report.runs[at].run_id, before, after, found[k].p_value});
    }
  }
  std::stable_sort(report.changes.begin(), report.changes.end(),
                   [](const TrendChange& a, const TrendChange& b) { return a.index < b.index; });
  return report;
}

std::vector<TrendPoint> TrendPoints(const TrendReport& report) {
  std::vector<TrendPoint> points;
  for (const TrendRun& r : report.runs) {
    points.push_back({r.run_id, r.started_at, r.p50_ms, r.p95_ms, r.p99_ms, r.error_rate, false});
  }
  for (const TrendChange& c : report.changes) points[c.index].change_point = true;
  return points;
}

}  // namespace barrage
