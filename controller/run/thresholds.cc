// Copyright 2026 The Barrage Authors.

#include "controller/run/thresholds.h"

namespace barrage {

bool MetricValue(ThresholdMetric metric, const MetricView& view,
                 double& value) {
  switch (metric) {
    case ThresholdMetric::kErrorRate:
      if (view.requests == 0) return false;
      value = static_cast<double>(view.errors) / static_cast<double>(view.requests);
      return true;
    case ThresholdMetric::kRps:
      if (view.seconds <= 0) return false;
      value = static_cast<double>(view.requests) / view.seconds;
      return true;
    default:
      break;
  }
  if (view.responses.count() == 0) return false;
  switch (metric) {
    case ThresholdMetric::kP50: value = static_cast<double>(view.responses.Quantile(0.5)); break;
    case ThresholdMetric::kP90: value = static_cast<double>(view.responses.Quantile(0.9)); break;
    case ThresholdMetric::kP95: value = static_cast<double>(view.responses.Quantile(0.95)); break;
    case ThresholdMetric::kP99: value = static_cast<double>(view.responses.Quantile(0.99)); break;
    case ThresholdMetric::kP999: value = static_cast<double>(view.responses.Quantile(0.999)); break;
    case ThresholdMetric::kMax: value = static_cast<double>(view.responses.max_us()); break;
    case ThresholdMetric::kMean: value = view.responses.mean_us(); break;
    default: return false;
  }
  return true;
}

ThresholdResult EvaluateThreshold(const Threshold& t, const MetricView& view) {
  ThresholdResult r;
  r.expression = t.Expression();
  r.abort = t.abort;
  double value = 0;
  if (!MetricValue(t.metric, view, value)) {
    r.no_data = true;
    return r;
  }
  r.passed = t.above ? value > t.limit : value < t.limit;
  r.value = IsLatencyMetric(t.metric) ? value / 1000.0 : value;
  return r;
}

}  // namespace barrage
