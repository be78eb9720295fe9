// Copyright 2026 The Barrage Authors.
//
// MetricsRegistry: the metric families a process exposes on /metrics, and
// the values of their labelled series. Writers set whole values (the
// controller recomputes its series from merged data once per interval, so
// there is nothing to increment on a hot path); a scrape takes a Snapshot()
// under a short lock and renders it outside (prometheus_text.h).
//
// Families are declared once with their type, help and label names; a
// series of an undeclared family, or with the wrong number of labels, is
// ignored (and counted), never a crash.
//
// Thread safety: every method is thread-safe.
#ifndef BARRAGE_COMMON_METRICS_REGISTRY_H_
#define BARRAGE_COMMON_METRICS_REGISTRY_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace barrage {

enum class MetricType { kCounter, kGauge, kHistogram, kSummary };

using LabelValues = std::vector<std::string>;  // in the family's label order

struct HistogramValue {
  std::vector<std::pair<double, uint64_t>> buckets;  // (le, cumulative count)
  double sum = 0;
  uint64_t count = 0;  // also the +Inf bucket
};

// A summary's quantiles (label value, value), sum and count.
struct SummaryValue {
  std::vector<std::pair<std::string, double>> quantiles;
  double sum = 0;
  uint64_t count = 0;
};

struct SeriesSnapshot {
  LabelValues labels;
  double value = 0;          // counters and gauges
  HistogramValue histogram;  // histograms
  SummaryValue summary;      // summaries
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::vector<std::string> label_names;
  std::vector<SeriesSnapshot> series;  // sorted by labels
};

class MetricsRegistry {
 public:
  // Declares a family; declaring it again with the same shape is a no-op.
  void Declare(const std::string& name, MetricType type, const std::string& help,
               std::vector<std::string> label_names);

  void Set(const std::string& name, const LabelValues& labels, double value);
  void SetHistogram(const std::string& name, const LabelValues& labels,
                    HistogramValue value);
  void SetSummary(const std::string& name, const LabelValues& labels,
                  SummaryValue value);
  // Removes every series of every family whose label `label` equals `value`
  // (a finished run's series after its grace period).
  void RemoveWhere(const std::string& label, const std::string& value);
  // Removes one series.
  void Remove(const std::string& name, const LabelValues& labels);
  // Removes every series of one family.
  void Clear(const std::string& name);

  std::vector<FamilySnapshot> Snapshot() const;
  uint64_t rejected() const;

 private:
  struct Family {
    MetricType type;
    std::string help;
    std::vector<std::string> label_names;
    std::map<LabelValues, SeriesSnapshot> series;
  };
  // Series `labels` of family `name`, made if new, when the family exists
  // with that many labels and a type `fits` accepts; otherwise null, and the
  // write is counted as rejected.
  SeriesSnapshot* SeriesFor(const std::string& name, const LabelValues& labels,
                            bool (*fits)(MetricType)) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family> families_ ABSL_GUARDED_BY(mu_);
  uint64_t rejected_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_METRICS_REGISTRY_H_
