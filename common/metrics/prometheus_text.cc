// Copyright 2026 The Barrage Authors.

#include "common/metrics/prometheus_text.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace barrage {
namespace {

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kSummary: return "summary";
  }
  return "untyped";
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} with an optional extra label appended; "" without labels.
std::string LabelSet(const std::vector<std::string>& names,
                     const LabelValues& values, absl::string_view extra_name = "",
                     absl::string_view extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "{" : ",", names[i], "=\"",
                    EscapeLabelValue(values[i]), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "{" : ",", extra_name, "=\"", extra_value, "\"");
  }
  if (!out.empty()) out += "}";
  return out;
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrFormat("%.0f", v);
  }
  // The shortest form that reads back as the same double (0.1, not
  // 0.10000000000000001): `le` values must match what rules write.
  for (int digits = 15; digits < 17; ++digits) {
    std::string s = absl::StrFormat("%.*g", digits, v);
    if (std::strtod(s.c_str(), nullptr) == v) return s;
  }
  return absl::StrFormat("%.17g", v);
}

std::string RenderPrometheusText(const std::vector<FamilySnapshot>& families) {
  std::string out;
  for (const FamilySnapshot& f : families) {
    absl::StrAppend(&out, "# HELP ", f.name, " ", EscapeHelp(f.help), "\n");
    absl::StrAppend(&out, "# TYPE ", f.name, " ", TypeName(f.type), "\n");
    for (const SeriesSnapshot& s : f.series) {
      if (f.type == MetricType::kSummary) {
        for (const auto& [q, v] : s.summary.quantiles) {
          absl::StrAppend(&out, f.name, LabelSet(f.label_names, s.labels, "quantile", q),
                          " ", FormatSampleValue(v), "\n");
        }
        absl::StrAppend(&out, f.name, "_sum", LabelSet(f.label_names, s.labels), " ",
                        FormatSampleValue(s.summary.sum), "\n");
        absl::StrAppend(&out, f.name, "_count", LabelSet(f.label_names, s.labels), " ",
                        s.summary.count, "\n");
        continue;
      }
      if (f.type != MetricType::kHistogram) {
        absl::StrAppend(&out, f.name, LabelSet(f.label_names, s.labels), " ",
                        FormatSampleValue(s.value), "\n");
        continue;
      }
      for (const auto& [le, count] : s.histogram.buckets) {
        absl::StrAppend(&out, f.name, "_bucket",
                        LabelSet(f.label_names, s.labels, "le", FormatSampleValue(le)),
                        " ", count, "\n");
      }
      absl::StrAppend(&out, f.name, "_bucket",
                      LabelSet(f.label_names, s.labels, "le", "+Inf"), " ",
                      s.histogram.count, "\n");
      absl::StrAppend(&out, f.name, "_sum", LabelSet(f.label_names, s.labels), " ",
                      FormatSampleValue(s.histogram.sum), "\n");
      absl::StrAppend(&out, f.name, "_count", LabelSet(f.label_names, s.labels), " ",
                      s.histogram.count, "\n");
    }
  }
  return out;
}

}  // namespace barrage
