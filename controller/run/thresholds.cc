// Copyright 2026 The Barrage Authors.

#include "controller/run/thresholds.h"

namespace barrage {

std::optional<double> MetricValue(ThresholdMetric metric, const MetricView& view) {
  switch (metric) {
    case ThresholdMetric::kErrorRate:
      if (view.requests == 0) return std::nullopt;
      return static_cast<double>(view.errors) / static_cast<double>(view.requests);
    case ThresholdMetric::kRps:
      if (view.seconds <= 0) return std::nullopt;
      return static_cast<double>(view.requests) / view.seconds;
    default:
      break;
  }
  if (view.responses.count() == 0) return std::nullopt;
  const Histogram& h = view.responses;
  switch (metric) {
    case ThresholdMetric::kP50: return static_cast<double>(h.Quantile(0.5));
    case ThresholdMetric::kP90: return static_cast<double>(h.Quantile(0.9));
    case ThresholdMetric::kP95: return static_cast<double>(h.Quantile(0.95));
    case ThresholdMetric::kP99: return static_cast<double>(h.Quantile(0.99));
    case ThresholdMetric::kP999: return static_cast<double>(h.Quantile(0.999));
    case ThresholdMetric::kMax: return static_cast<double>(h.max_us());
    case ThresholdMetric::kMean: return h.mean_us();
    default: return std::nullopt;
  }
}

ThresholdResult EvaluateThreshold(const Threshold& t, const MetricView& view) {
  ThresholdResult r;
  r.expression = t.Expression();
  r.abort = t.abort;
  const std::optional<double> measured = MetricValue(t.metric, view);
  if (!measured.has_value()) {
    r.no_data = true;
    return r;
  }
  const double value = *measured;
  r.passed = t.above ? value > t.limit : value < t.limit;
  r.value = IsLatencyMetric(t.metric) ? value / 1000.0 : value;
  return r;
}

void TrackWorstWindow(const Threshold& t, const ThresholdResult& window, double at_s,
                      ThresholdResult& kept) {
  if (window.no_data) return;
  const bool worse = !kept.has_worst || (t.above ? window.value < kept.worst_value
                                                 : window.value > kept.worst_value);
  if (!worse) return;
  kept.has_worst = true;
  kept.worst_value = window.value;
  kept.worst_at_s = at_s;
}

}  // namespace barrage
