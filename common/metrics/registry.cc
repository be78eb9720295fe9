// Copyright 2026 The Barrage Authors.

#include "common/metrics/registry.h"

#include <algorithm>

namespace barrage {

void MetricsRegistry::Declare(const std::string& name, MetricType type,
                              const std::string& help,
                              std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = families_.try_emplace(name);
  if (!inserted) return;
  it->second.type = type;
  it->second.help = help;
  it->second.label_names = std::move(label_names);
}

SeriesSnapshot* MetricsRegistry::SeriesFor(const std::string& name, const LabelValues& labels,
                                           bool (*fits)(MetricType)) {
  auto it = families_.find(name);
  if (it == families_.end() || !fits(it->second.type) ||
      labels.size() != it->second.label_names.size()) {
    ++rejected_;
    return nullptr;
  }
  SeriesSnapshot& s = it->second.series[labels];
  s.labels = labels;
  return &s;
}

void MetricsRegistry::Set(const std::string& name, const LabelValues& labels,
                          double value) {
  absl::MutexLock lock(&mu_);
  SeriesSnapshot* s = SeriesFor(name, labels, [](MetricType t) {
    return t != MetricType::kHistogram && t != MetricType::kSummary;
  });
  if (s != nullptr) s->value = value;
}

void MetricsRegistry::SetHistogram(const std::string& name,
                                   const LabelValues& labels,
                                   HistogramValue value) {
  absl::MutexLock lock(&mu_);
  SeriesSnapshot* s =
      SeriesFor(name, labels, [](MetricType t) { return t == MetricType::kHistogram; });
  if (s != nullptr) s->histogram = std::move(value);
}

void MetricsRegistry::SetSummary(const std::string& name,
                                 const LabelValues& labels, SummaryValue value) {
  absl::MutexLock lock(&mu_);
  SeriesSnapshot* s =
      SeriesFor(name, labels, [](MetricType t) { return t == MetricType::kSummary; });
  if (s != nullptr) s->summary = std::move(value);
}

void MetricsRegistry::RemoveWhere(const std::string& label,
                                  const std::string& value) {
  absl::MutexLock lock(&mu_);
  for (auto& [name, family] : families_) {
    const auto pos = std::find(family.label_names.begin(),
                               family.label_names.end(), label);
    if (pos == family.label_names.end()) continue;
    const size_t index = static_cast<size_t>(pos - family.label_names.begin());
    for (auto it = family.series.begin(); it != family.series.end();) {
      it = it->first[index] == value ? family.series.erase(it) : std::next(it);
    }
  }
}

void MetricsRegistry::Remove(const std::string& name, const LabelValues& labels) {
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.series.erase(labels);
}

void MetricsRegistry::Clear(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.series.clear();
}

std::vector<FamilySnapshot> MetricsRegistry::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::vector<FamilySnapshot> out;
  out.reserve(families_.size());
  for (const auto& [name, family] : families_) {
    FamilySnapshot f;
    f.name = name;
    f.help = family.help;
    f.type = family.type;
    f.label_names = family.label_names;
    for (const auto& [labels, series] : family.series) f.series.push_back(series);
    out.push_back(std::move(f));
  }
  return out;
}

uint64_t MetricsRegistry::rejected() const {
  absl::MutexLock lock(&mu_);
  return rejected_;
}

}  // namespace barrage
