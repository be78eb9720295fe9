// Copyright 2026 The Barrage Authors.

#include "controller/run/series_recorder.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace barrage {

SeriesRecorder::SeriesRecorder(std::vector<std::string> requests, SeriesBudget budget)
    : fitter_(budget) {
  series_.requests = std::move(requests);
  series_.interval_s = interval_s_;
}

void SeriesRecorder::set_interval_ns(int64_t interval_ns) {
  if (interval_ns <= 0 || next_ > 0 || !open_.empty()) return;
  interval_s_ = static_cast<double>(interval_ns) / 1e9;
  series_.interval_s = interval_s_;
}

void SeriesRecorder::set_flows(std::vector<std::string> flows) {
  if (next_ > 0 || !open_.empty()) return;
  series_.flows = std::move(flows);
}

SeriesInterval& SeriesRecorder::Slot(int64_t index, size_t* closed) {
  *closed = SIZE_MAX;
  if (index >= next_) {
    Open& open = open_[index];
    if (open.interval.requests.empty()) {
      open.interval.start_s = static_cast<double>(index) * interval_s_;
      open.interval.length_s = interval_s_;
      open.interval.requests.resize(series_.requests.size());
      open.interval.flows.resize(series_.flows.size());
    }
    return open.interval;
  }
  // Closed: the last interval starting at or before the index's start.
  const double t = static_cast<double>(index) * interval_s_ + interval_s_ / 2;
  std::vector<SeriesInterval>& v = series_.intervals;
  auto it = std::upper_bound(v.begin(), v.end(), t, [](double x, const SeriesInterval& in) {
    return x < in.start_s;
  });
  // Every index below next_ was closed into some interval, so one holds it.
  *closed = static_cast<size_t>(it - v.begin()) - 1;
  return v[*closed];
}

void SeriesRecorder::Touched(size_t closed) {
  if (closed == SIZE_MAX) return;
  SeriesInterval& in = series_.intervals[closed];
  in.achieved_rps = static_cast<double>(in.Requests()) / in.length_s;
  fitter_.Changed(series_, closed);
  Dirty(in.start_s);
}

void SeriesRecorder::AddResults(int64_t index, size_t request, Outcome outcome,
                                uint64_t count, const SparseHistogram* ok) {
  if (index < 0 || request >= series_.requests.size() || count == 0) return;
  size_t closed = 0;
  RequestInterval& r = Slot(index, &closed).requests[request];
  r.outcomes[static_cast<size_t>(outcome)] += count;
  if (ok != nullptr && ok->count() > 0) r.ok.Merge(*ok);
  Touched(closed);
}

void SeriesRecorder::AddStatus(int64_t index, size_t request, uint32_t status,
                               uint64_t count) {
  if (index < 0 || request >= series_.requests.size() || count == 0) return;
  size_t closed = 0;
  Slot(index, &closed).requests[request].statuses[status] += count;
  Touched(closed);
}

void SeriesRecorder::AddFlow(int64_t index, size_t flow, const FlowInterval& delta) {
  if (index < 0 || flow >= series_.flows.size()) return;
  size_t closed = 0;
  SeriesInterval& in = Slot(index, &closed);
  if (in.flows.size() < series_.flows.size()) in.flows.resize(series_.flows.size());
  in.flows[flow].Add(delta);
  Touched(closed);
}

void SeriesRecorder::set_monitor(std::vector<std::string> names) {
  series_.monitor = std::move(names);
}

void SeriesRecorder::AddMonitor(double run_s, size_t query, double value) {
  if (run_s < 0 || query >= series_.monitor.size()) return;
  const auto index = static_cast<int64_t>(std::floor(run_s / interval_s_));
  size_t closed = 0;
  SeriesInterval& in = Slot(index, &closed);
  if (in.monitor.size() < series_.monitor.size()) in.monitor.resize(series_.monitor.size());
  in.monitor[query].sum += value;
  ++in.monitor[query].samples;
  if (closed != SIZE_MAX) {
    fitter_.Changed(series_, closed);
    Dirty(in.start_s);
  }
}

void SeriesRecorder::AddVus(int64_t index, const std::string& agent, int64_t vus) {
  if (index < next_) return;
  size_t closed = 0;
  Slot(index, &closed);
  open_[index].vus[agent] = vus;
}

void SeriesRecorder::Close(int64_t index) {
  if (index != next_) return;
  SeriesInterval in;
  auto it = open_.find(index);
  if (it != open_.end()) {
    in = std::move(it->second.interval);
    for (const auto& [agent, vus] : it->second.vus) in.vus += vus;
    open_.erase(it);
  } else {
    in.start_s = static_cast<double>(index) * interval_s_;
    in.length_s = interval_s_;
    in.requests.resize(series_.requests.size());
    in.flows.resize(series_.flows.size());
  }
  in.requests.shrink_to_fit();
  in.flows.shrink_to_fit();
  // A copy's buckets take no more room than they need (merging grew them).
  for (RequestInterval& r : in.requests) r.ok = SparseHistogram(r.ok);
  for (FlowInterval& f : in.flows) f.duration = SparseHistogram(f.duration);
  in.achieved_rps = static_cast<double>(in.Requests()) / in.length_s;
  const int64_t start_ns = static_cast<int64_t>(std::llround(in.start_s * 1e9));
  for (const auto& [from, to] : warmup_ns_) {
    in.warmup = in.warmup || (start_ns >= from && start_ns < to);
  }
  series_.intervals.push_back(std::move(in));
  fitter_.Appended(series_);
  ++next_;
  std::vector<double> merged;
  if (fitter_.Fit(series_, kKeepNewest, take_full_ ? nullptr : &merged)) {
    for (double t : merged) Dirty(t);
  }
}

void SeriesRecorder::Describe(int64_t index, double offered_rps, int32_t agents) {
  if (index < 0 || index >= next_) return;
  size_t closed = 0;
  SeriesInterval& in = Slot(index, &closed);
  if (std::fabs(in.length_s - interval_s_) > 1e-9) return;  // coarsened
  in.offered_rps = offered_rps;
  in.agents = agents;
  Dirty(in.start_s);
}

void SeriesRecorder::Dirty(double start_s) {
  // Intervals from taken_end_s_ on are in the next delta anyway.
  if (!take_full_ && start_s < taken_end_s_ - 1e-9) dirty_.insert(start_s);
}

SeriesDelta SeriesRecorder::TakeDelta() {
  SeriesDelta d;
  d.full = take_full_;
  d.from_s = take_full_ ? 0 : taken_end_s_;
  d.series.interval_s = series_.interval_s;
  d.series.requests = series_.requests;
  d.series.flows = series_.flows;
  d.series.monitor = series_.monitor;
  d.series.coarsened = series_.coarsened;
  const std::vector<SeriesInterval>& v = series_.intervals;
  d.to_s = v.empty() ? 0 : v.back().start_s + v.back().length_s;
  if (take_full_) {
    d.series.intervals = v;
  } else {
    auto after = [&v](double t) {  // the first interval starting after t
      return static_cast<size_t>(
          std::upper_bound(v.begin(), v.end(), t,
                           [](double x, const SeriesInterval& in) { return x < in.start_s; }) -
          v.begin());
    };
    std::set<size_t> positions;
    for (double t : dirty_) {
      const size_t p = after(t + 1e-9);
      if (p > 0) positions.insert(p - 1);  // the interval holding t now
    }
    for (size_t p = after(taken_end_s_ - 1e-9); p < v.size(); ++p) positions.insert(p);
    for (size_t p : positions) d.series.intervals.push_back(v[p]);
  }
  take_full_ = false;
  taken_end_s_ = d.to_s;
  dirty_.clear();
  return d;
}
}  // namespace barrage
