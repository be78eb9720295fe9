// Copyright 2026 The Barrage Authors.
//
// MonitorRecord: a run's monitor samples and gaps per query (README
// "Monitor"), kept by the coordinator for thresholds on monitor values and
// for the result's `monitor` object. A sample is a value at a run time
// (seconds); a gap is a sampling round in which the query gave no value.
//
// Thread safety: none; the coordinator holds it under its lock.
#ifndef BARRAGE_CONTROLLER_MONITOR_MONITOR_RECORD_H_
#define BARRAGE_CONTROLLER_MONITOR_MONITOR_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/scenario/scenario.h"

namespace barrage {

// One query's part of the result: "queries": [{name, query, saturation,
// samples, gaps, last, mean, max}].
struct MonitorQuerySummary {
  std::string name;
  std::string query;
  std::optional<double> saturation;
  uint64_t samples = 0;
  uint64_t gaps = 0;
  double last = 0;  // last, mean and max: 0 without samples
  double mean = 0;
  double max = 0;
};

// The result's `monitor` object (never the token).
struct MonitorSummary {
  std::string url;
  double interval_s = 0;
  std::vector<MonitorQuerySummary> queries;
};

class MonitorRecord {
 public:
  explicit MonitorRecord(const MonitorSpec& spec);

  // Index of query `name`; nullopt when there is none.
  std::optional<size_t> Index(const std::string& name) const;
  size_t size() const { return queries_.size(); }

  void AddSample(size_t query, double run_s, double value);
  void AddGap(size_t query);

  // The mean of `query`'s samples taken in [from_s, to_s] (run seconds);
  // nullopt when there are none.
  std::optional<double> Mean(size_t query, double from_s, double to_s) const;
  // The latest sample of `query`, if any.
  std::optional<double> Latest(size_t query) const;
  const std::string& name(size_t query) const { return queries_[query].name; }

  MonitorSummary Summary() const;

 private:
  struct Query {
    std::string name;
    std::string promql;
    std::optional<double> saturation;
    std::vector<std::pair<double, double>> samples;  // (run_s, value), by time
    uint64_t gaps = 0;
  };
  std::string url_;
  double interval_s_ = 0;
  std::vector<Query> queries_;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_MONITOR_MONITOR_RECORD_H_
