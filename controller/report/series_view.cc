// Copyright 2026 The Barrage Authors.

#include "controller/report/series_view.h"

#include <algorithm>
#include <functional>

#include "common/stats/outcome.h"

namespace barrage {
namespace {

constexpr Outcome kErrorOutcomes[] = {Outcome::kHttpError, Outcome::kTimeout,
                                      Outcome::kConnectError, Outcome::kOther,
                                      Outcome::kCheckFailed};

double Ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

ChartLine Named(const char* name) {
  ChartLine l;
  l.name = name;
  return l;
}

// Appends intervals [from, to) of `value` to `line`: every one when the
// bucket is one interval, else its minimum and maximum in time order.
void AppendMinMax(const RunSeries& s, size_t from, size_t to,
                  const std::function<double(const SeriesInterval&)>& value, ChartLine& line) {
  size_t lo = from, hi = from;
  for (size_t i = from; i < to; ++i) {
    const double v = value(s.intervals[i]);
    if (v < value(s.intervals[lo])) lo = i;
    if (v > value(s.intervals[hi])) hi = i;
  }
  for (size_t i : {std::min(lo, hi), std::max(lo, hi)}) {
    line.x.push_back(s.intervals[i].start_s);
    line.y.push_back(value(s.intervals[i]));
    if (lo == hi) break;
  }
}

}  // namespace

SeriesView ViewOf(const RunSeries& s, size_t max_points) {
  SeriesView view;
  const size_t n = s.intervals.size();
  max_points = std::max<size_t>(max_points, 2);
  if (n > max_points) view.intervals_per_point = (n + max_points / 2 - 1) / (max_points / 2);
  const size_t k = view.intervals_per_point;
  view.rate = {Named("offered_rps"), Named("achieved_rps")};
  view.latency = {Named("p50"), Named("p95"), Named("p99"), Named("max")};
  for (Outcome o : kErrorOutcomes) view.errors.push_back(Named(OutcomeName(o)));
  for (const std::string& flow : s.flows) {
    view.flows.push_back(Named((flow + "-p50").c_str()));
    view.flows.back().dashed = true;
    view.flows.push_back(Named((flow + "-p95").c_str()));
  }
  view.fleet = {Named("agents"), Named("vus")};
  view.fleet[1].axis = 1;
  for (const std::string& name : s.monitor) view.monitor.push_back(Named(name.c_str()));
  if (n > 0) view.end_s = s.intervals.back().start_s + s.intervals.back().length_s;

  const std::function<double(const SeriesInterval&)> offered =
      [](const SeriesInterval& in) { return in.offered_rps; };
  const std::function<double(const SeriesInterval&)> achieved =
      [](const SeriesInterval& in) { return in.achieved_rps; };
  const std::function<double(const SeriesInterval&)> agents =
      [](const SeriesInterval& in) { return static_cast<double>(in.agents); };
  const std::function<double(const SeriesInterval&)> vus =
      [](const SeriesInterval& in) { return static_cast<double>(in.vus); };
  std::vector<std::function<double(const SeriesInterval&)>> error_rate;
  for (Outcome o : kErrorOutcomes) {
    error_rate.push_back([o](const SeriesInterval& in) {
      uint64_t c = 0;
      for (const RequestInterval& r : in.requests) c += r.outcomes[static_cast<size_t>(o)];
      return static_cast<double>(c) / in.length_s;
    });
  }

  for (size_t from = 0; from < n; from += k) {
    const size_t to = std::min(n, from + k);
    AppendMinMax(s, from, to, offered, view.rate[0]);
    AppendMinMax(s, from, to, achieved, view.rate[1]);
    AppendMinMax(s, from, to, agents, view.fleet[0]);
    AppendMinMax(s, from, to, vus, view.fleet[1]);
    for (size_t e = 0; e < error_rate.size(); ++e) {
      AppendMinMax(s, from, to, error_rate[e], view.errors[e]);
    }
    for (size_t f = 0; f < s.flows.size(); ++f) {
      SparseHistogram durations;
      for (size_t i = from; i < to; ++i) {
        if (f < s.intervals[i].flows.size()) durations.Merge(s.intervals[i].flows[f].duration);
      }
      if (durations.empty()) continue;
      for (size_t l = 0; l < 2; ++l) {
        view.flows[2 * f + l].x.push_back(s.intervals[from].start_s);
        view.flows[2 * f + l].y.push_back(Ms(durations.Quantile(l == 0 ? 0.5 : 0.95)));
      }
    }
    for (size_t q = 0; q < view.monitor.size(); ++q) {  // points without samples: none
      MonitorCell cell;
      for (size_t i = from; i < to; ++i) {
        if (q >= s.intervals[i].monitor.size()) continue;
        cell.sum += s.intervals[i].monitor[q].sum;
        cell.samples += s.intervals[i].monitor[q].samples;
      }
      if (cell.samples == 0) continue;
      view.monitor[q].x.push_back(s.intervals[from].start_s);
      view.monitor[q].y.push_back(cell.mean());
    }
    SparseHistogram bucket;
    double p99 = 0;
    for (size_t i = from; i < to; ++i) {
      const SparseHistogram merged = s.intervals[i].MergedOk();
      if (merged.empty()) continue;
      p99 = std::max(p99, Ms(merged.Quantile(0.99)));
      bucket.Merge(merged);
      if (!s.intervals[i].warmup) view.whole_run.Merge(merged);  // as the totals
    }
    if (bucket.empty()) continue;
    const double t = s.intervals[from].start_s;
    const double values[] = {Ms(bucket.Quantile(0.5)), Ms(bucket.Quantile(0.95)), p99,
                             Ms(bucket.max_us())};
    for (size_t l = 0; l < 4; ++l) {
      view.latency[l].x.push_back(t);
      view.latency[l].y.push_back(values[l]);
    }
  }
  return view;
}

}  // namespace barrage
