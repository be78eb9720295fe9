// Copyright 2026 The Barrage Authors.

#include "controller/capacity/bottleneck.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "controller/capacity/projection.h"

namespace barrage {
namespace {

std::string Shown(const std::string& name) {
  return absl::StrReplaceAll(name, {{"_", " "}});
}

std::string Value(double value, const std::optional<double>& level) {
  if (level.has_value() && *level >= 2) {
    return absl::StrFormat("%.3g/%.3g", value, *level);
  }
  return absl::StrFormat("%.3g", value);
}

}  // namespace

Bottleneck AttributeBottleneck(std::vector<BottleneckStep> steps, double slo_p95_ms,
                               const std::vector<MonitorLevel>& monitors) {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const BottleneckStep& a, const BottleneckStep& b) {
                     return a.offered_rps < b.offered_rps;
                   });
  Bottleneck out;
  size_t knee = 0;
  while (knee < steps.size() && steps[knee].p95_ms <= slo_p95_ms) ++knee;
  if (knee == steps.size()) {
    out.sentence = absl::StrFormat(
        "p95 stayed under the SLO (%gms) through %s: no knee", slo_p95_ms,
        steps.empty() ? std::string("no steps") : FormatRps(steps.back().offered_rps));
    return out;
  }
  out.knee_found = true;
  out.knee_rps = steps[knee].offered_rps;

  // The first monitor to reach its level, at or before the knee.
  size_t first_step = steps.size();
  double furthest = 0;  // value / level at first_step
  for (const MonitorLevel& m : monitors) {
    if (!m.saturation.has_value() || *m.saturation <= 0) continue;
    for (size_t i = 0; i <= knee && i <= first_step; ++i) {
      const auto it = steps[i].monitors.find(m.name);
      if (it == steps[i].monitors.end() || it->second < *m.saturation) continue;
      const double past = it->second / *m.saturation;
      if (i < first_step || past > furthest) {
        first_step = i;
        furthest = past;
        out.resource = m.name;
      }
      break;
    }
  }

  std::vector<std::string> shown;
  for (const MonitorLevel& m : monitors) {
    const auto it = steps[knee].monitors.find(m.name);
    if (it == steps[knee].monitors.end()) continue;
    shown.push_back(
        absl::StrFormat("%s %s", Shown(m.name), Value(it->second, m.saturation)));
  }
  out.sentence = "p95 rose past the SLO at " + FormatRps(out.knee_rps);
  for (size_t i = 0; i < shown.size(); ++i) {
    if (i == 0) {
      out.sentence += " while ";
    } else {
      out.sentence += i + 1 == shown.size() ? " and " : ", ";
    }
    // "cpu reached 0.92 and db connections 98/100": the verb once.
    if (i == 0) {
      const size_t space = shown[0].rfind(' ');
      out.sentence += shown[0].substr(0, space) + " reached" + shown[0].substr(space);
    } else {
      out.sentence += shown[i];
    }
  }
  if (out.resource.empty()) {
    out.sentence += shown.empty() ? ": " : "; ";
    out.sentence += "no monitored resource saturated: look elsewhere";
  } else {
    out.sentence += ": " + Shown(out.resource) + "-bound";
  }
  return out;
}

}  // namespace barrage
