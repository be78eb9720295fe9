// Copyright 2026 The Barrage Authors.
//
// Renders metric families in the Prometheus text exposition format 0.0.4:
// HELP and TYPE before each family's samples, families contiguous, label
// values escaped (\\, \", \n), histogram buckets cumulative in increasing
// `le` order ending with +Inf, then _sum and _count; summaries as quantile
// samples, _sum and _count; no timestamps. A family
// without series is rendered as its HELP and TYPE lines only. Pure.
#ifndef BARRAGE_COMMON_METRICS_PROMETHEUS_TEXT_H_
#define BARRAGE_COMMON_METRICS_PROMETHEUS_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/metrics/registry.h"

namespace barrage {

inline constexpr char kPrometheusContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusText(const std::vector<FamilySnapshot>& families);

// A sample value as Prometheus writes it: integers without a fraction,
// +Inf/-Inf/NaN spelled out, otherwise up to 17 significant digits.
std::string FormatSampleValue(double value);
std::string EscapeLabelValue(absl::string_view value);

}  // namespace barrage

#endif  // BARRAGE_COMMON_METRICS_PROMETHEUS_TEXT_H_
