// Copyright 2026 The Barrage Authors.

#include "controller/report/series_budget.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_format.h"
#include "barrage/v1/stats.pb.h"

namespace barrage {
namespace {

size_t Digits(uint64_t n) {
  size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

bool SameLength(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(a, b); }

}  // namespace

size_t IntervalJsonBytes(const SeriesInterval& in) {
  // {"t":...,"len":...,"offered_rps":...,"achieved_rps":...,"agents":..,"vus":..,"r":[...]},
  size_t n = 110;
  v1::HistogramSnapshot snapshot;
  for (const RequestInterval& r : in.requests) {
    n += 3;
    size_t last = kOutcomeCount;
    while (last > 0 && r.outcomes[last - 1] == 0) --last;
    if (last > 0) {
      n += 6;
      for (size_t o = 0; o < last; ++o) n += Digits(r.outcomes[o]) + 1;
    }
    if (!r.statuses.empty()) {
      n += 6;
      for (const auto& [status, count] : r.statuses) n += Digits(status) + Digits(count) + 4;
    }
    if (r.ok.count() > 0) {
      r.ok.ToSnapshot(&snapshot);
      n += 7 + 4 * ((snapshot.ByteSizeLong() + 2) / 3);
    }
  }
  if (!in.flows.empty()) n += 7;  // ,"f":[]
  for (const FlowInterval& f : in.flows) {
    n += 3;
    if (f.started + f.succeeded + f.failed + f.aborted > 0) {
      n += 6 + Digits(f.started) + Digits(f.succeeded) + Digits(f.failed) + Digits(f.aborted) + 4;
    }
    if (f.duration.count() > 0) {
      f.duration.ToSnapshot(&snapshot);
      n += 7 + 4 * ((snapshot.ByteSizeLong() + 2) / 3);
    }
  }
  return n;
}

size_t IntervalMemoryBytes(const SeriesInterval& in) {
  // A std::map node holds its pair beside three pointers and a color.
  constexpr size_t kMapNode = sizeof(std::pair<const uint32_t, uint64_t>) + 32;
  size_t n = sizeof(SeriesInterval) + in.requests.capacity() * sizeof(RequestInterval);
  for (const RequestInterval& r : in.requests) {
    n += r.ok.buckets().capacity() * sizeof(SparseHistogram::Buckets::value_type);
    n += r.statuses.size() * kMapNode;
  }
  n += in.flows.capacity() * sizeof(FlowInterval);
  for (const FlowInterval& f : in.flows) {
    n += f.duration.buckets().capacity() * sizeof(SparseHistogram::Buckets::value_type);
  }
  return n;
}

SeriesInterval MergeIntervals(const SeriesInterval* first, size_t n) {
  SeriesInterval out;
  out.start_s = first[0].start_s;
  out.length_s = 0;
  out.warmup = n > 0;
  double offered = 0;
  size_t requests = 0;
  for (size_t i = 0; i < n; ++i) requests = std::max(requests, first[i].requests.size());
  out.requests.resize(requests);
  for (RequestInterval& r : out.requests) r.ok = SparseHistogram(2);
  size_t flows = 0;
  for (size_t i = 0; i < n; ++i) flows = std::max(flows, first[i].flows.size());
  out.flows.resize(flows);
  for (FlowInterval& f : out.flows) f.duration = SparseHistogram(2);
  for (size_t i = 0; i < n; ++i) {
    const SeriesInterval& in = first[i];
    out.length_s += in.length_s;
    out.warmup = out.warmup && in.warmup;
    offered += in.offered_rps * in.length_s;
    out.agents = std::max(out.agents, in.agents);
    out.vus = std::max(out.vus, in.vus);
    if (out.monitor.size() < in.monitor.size()) out.monitor.resize(in.monitor.size());
    for (size_t q = 0; q < in.monitor.size(); ++q) {
      out.monitor[q].sum += in.monitor[q].sum;
      out.monitor[q].samples += in.monitor[q].samples;
    }
    for (size_t r = 0; r < in.requests.size(); ++r) {
      RequestInterval& to = out.requests[r];
      const RequestInterval& from = in.requests[r];
      if (from.ok.count() > 0) to.ok.Merge(from.ok);
      for (size_t o = 0; o < kOutcomeCount; ++o) to.outcomes[o] += from.outcomes[o];
      for (const auto& [status, count] : from.statuses) to.statuses[status] += count;
    }
    for (size_t f = 0; f < in.flows.size(); ++f) out.flows[f].Add(in.flows[f]);
  }
  // A copy's buckets take no more room than they need (merging grew them).
  for (RequestInterval& r : out.requests) r.ok = SparseHistogram(r.ok);
  for (FlowInterval& f : out.flows) f.duration = SparseHistogram(f.duration);
  if (out.length_s > 0) {
    out.offered_rps = offered / out.length_s;
    out.achieved_rps = static_cast<double>(out.Requests()) / out.length_s;
  }
  return out;
}

SeriesFitter::SeriesFitter(SeriesBudget budget) : budget_(budget) {}

void SeriesFitter::Appended(const RunSeries& series) {
  const SeriesInterval& in = series.intervals.back();
  json_.push_back(IntervalJsonBytes(in));
  memory_.push_back(IntervalMemoryBytes(in));
  json_total_ += json_.back();
  memory_total_ += memory_.back();
}

void SeriesFitter::Changed(const RunSeries& series, size_t i) {
  json_total_ -= json_[i];
  memory_total_ -= memory_[i];
  json_[i] = IntervalJsonBytes(series.intervals[i]);
  memory_[i] = IntervalMemoryBytes(series.intervals[i]);
  json_total_ += json_[i];
  memory_total_ += memory_[i];
}

void SeriesFitter::Reset(const RunSeries& series) {
  json_.clear();
  memory_.clear();
  json_total_ = 0;
  memory_total_ = 0;
  for (const SeriesInterval& in : series.intervals) {
    json_.push_back(IntervalJsonBytes(in));
    memory_.push_back(IntervalMemoryBytes(in));
    json_total_ += json_.back();
    memory_total_ += memory_.back();
  }
}

bool SeriesFitter::MergePass(RunSeries& series, double length_s, size_t keep_newest,
                             std::vector<double>* merged_starts) {
  std::vector<SeriesInterval>& v = series.intervals;
  const size_t f = budget_.factor;
  const size_t limit = v.size() > keep_newest ? v.size() - keep_newest : 0;
  // Lengths only shrink with time (the oldest are merged first), so the
  // intervals of this length begin after every longer one.
  size_t p = 0;
  while (p < limit && !SameLength(v[p].length_s, length_s)) ++p;
  size_t w = p;
  size_t i = p;
  while (over_budget() && i + f <= limit) {
    bool mergeable = true;
    for (size_t j = i; j < i + f && mergeable; ++j) {
      const bool follows =
          j == i || std::fabs(v[j].start_s - (v[j - 1].start_s + v[j - 1].length_s)) < 1e-6;
      mergeable = follows && SameLength(v[j].length_s, length_s);
    }
    if (!mergeable) break;
    SeriesInterval merged = MergeIntervals(&v[i], f);
    for (size_t j = i; j < i + f; ++j) {
      json_total_ -= json_[j];
      memory_total_ -= memory_[j];
    }
    json_[w] = IntervalJsonBytes(merged);
    memory_[w] = IntervalMemoryBytes(merged);
    json_total_ += json_[w];
    memory_total_ += memory_[w];
    if (merged_starts != nullptr) merged_starts->push_back(merged.start_s);
    v[w] = std::move(merged);
    ++w;
    i += f;
  }
  if (w == i) return false;
  std::move(v.begin() + static_cast<std::ptrdiff_t>(i), v.end(),
            v.begin() + static_cast<std::ptrdiff_t>(w));
  v.resize(v.size() - (i - w));
  std::move(json_.begin() + static_cast<std::ptrdiff_t>(i), json_.end(),
            json_.begin() + static_cast<std::ptrdiff_t>(w));
  json_.resize(v.size());
  std::move(memory_.begin() + static_cast<std::ptrdiff_t>(i), memory_.end(),
            memory_.begin() + static_cast<std::ptrdiff_t>(w));
  memory_.resize(v.size());
  return true;
}

void SeriesFitter::Describe(RunSeries& series, const SeriesBudget& budget) {
  // One entry per coarsened length, in time order: where it ends.
  series.coarsened.clear();
  for (const SeriesInterval& in : series.intervals) {
    if (SameLength(in.length_s, series.interval_s)) break;
    if (series.coarsened.empty() ||
        !SameLength(series.coarsened.back().length_s, in.length_s)) {
      SeriesCoarsening c;
      c.length_s = in.length_s;
      c.digits = 2;
      c.reason = absl::StrFormat(
          "the series was over its budget (%d bytes of JSON, %d bytes in memory): "
          "every %d consecutive intervals before before_s were merged into one, "
          "with histograms at 2 significant digits",
          budget.json_bytes, budget.memory_bytes, budget.factor);
      series.coarsened.push_back(std::move(c));
    }
    series.coarsened.back().before_s = in.start_s + in.length_s;
  }
}

bool SeriesFitter::Fit(RunSeries& series, size_t keep_newest,
                       std::vector<double>* merged_starts) {
  if (!over_budget() || budget_.factor < 2) return false;
  bool changed = false;
  // The finest length first; at most 10^6 times the interval.
  for (double length = series.interval_s;
       over_budget() && length <= series.interval_s * 1e6 + 1e-9;
       length *= static_cast<double>(budget_.factor)) {
    changed = MergePass(series, length, keep_newest, merged_starts) || changed;
  }
  if (changed) Describe(series, budget_);
  return changed;
}

bool FitSeries(RunSeries& series, const SeriesBudget& budget) {
  SeriesFitter fitter(budget);
  fitter.Reset(series);
  return fitter.Fit(series, 0);
}

}  // namespace barrage
