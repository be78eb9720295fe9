// Copyright 2026 The Barrage Authors.

#include "controller/monitor/monitor_record.h"

#include <algorithm>

namespace barrage {

MonitorRecord::MonitorRecord(const MonitorSpec& spec)
    : url_(spec.url), interval_s_(absl::ToDoubleSeconds(spec.interval)) {
  for (const MonitorQuery& q : spec.queries) {
    queries_.push_back({q.name, q.promql, q.saturation, {}, 0});
  }
}

std::optional<size_t> MonitorRecord::Index(const std::string& name) const {
  for (size_t i = 0; i < queries_.size(); ++i) {
    if (queries_[i].name == name) return i;
  }
  return std::nullopt;
}

void MonitorRecord::AddSample(size_t query, double run_s, double value) {
  if (query >= queries_.size()) return;
  auto& v = queries_[query].samples;
  // Samples come in time order; keep them so even if one does not.
  auto at = std::upper_bound(v.begin(), v.end(), run_s,
                             [](double t, const std::pair<double, double>& s) {
                               return t < s.first;
                             });
  v.insert(at, {run_s, value});
}

void MonitorRecord::AddGap(size_t query) {
  if (query < queries_.size()) ++queries_[query].gaps;
}

std::optional<double> MonitorRecord::Mean(size_t query, double from_s,
                                          double to_s) const {
  if (query >= queries_.size()) return std::nullopt;
  const auto& v = queries_[query].samples;
  auto it = std::lower_bound(v.begin(), v.end(), from_s,
                             [](const std::pair<double, double>& s, double t) {
                               return s.first < t;
                             });
  double sum = 0;
  size_t n = 0;
  for (; it != v.end() && it->first <= to_s; ++it, ++n) sum += it->second;
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

std::optional<double> MonitorRecord::Latest(size_t query) const {
  if (query >= queries_.size() || queries_[query].samples.empty()) {
    return std::nullopt;
  }
  return queries_[query].samples.back().second;
}

MonitorSummary MonitorRecord::Summary() const {
  MonitorSummary out;
  out.url = url_;
  out.interval_s = interval_s_;
  for (const Query& q : queries_) {
    MonitorQuerySummary s;
    s.name = q.name;
    s.query = q.promql;
    s.saturation = q.saturation;
    s.samples = q.samples.size();
    s.gaps = q.gaps;
    if (!q.samples.empty()) {
      double sum = 0;
      s.max = q.samples.front().second;
      for (const auto& [t, v] : q.samples) {
        sum += v;
        s.max = std::max(s.max, v);
      }
      s.mean = sum / static_cast<double>(q.samples.size());
      s.last = q.samples.back().second;
    }
    out.queries.push_back(std::move(s));
  }
  return out;
}

}  // namespace barrage
