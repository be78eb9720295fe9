// Copyright 2026 The Barrage Authors.
//
// Bottleneck attribution (issue 16 item 6): at the knee of a capacity
// search (the lowest offered rate whose p95 exceeds the SLO), which
// monitored resource had saturated first. A monitor query may carry a
// saturation level (MonitorQuery::saturation: 0.8 for a CPU ratio, 100 for
// a pool of 100); a resource saturated when its step mean reached that
// level. The first to saturate, at or before the knee, is named; ties (the
// same step) go to the one furthest past its level. Monitors without a
// level are shown but never blamed. A resource that saturates only after
// the knee did not cause it.
//
// Pure functions; safe from any thread.
#ifndef BARRAGE_CONTROLLER_CAPACITY_BOTTLENECK_H_
#define BARRAGE_CONTROLLER_CAPACITY_BOTTLENECK_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace barrage {

// One step of the search.
struct BottleneckStep {
  double offered_rps = 0;
  double p95_ms = 0;
  std::map<std::string, double> monitors;  // query name -> the step's mean value
};

// A monitor query and its saturation level (none: shown, never blamed).
struct MonitorLevel {
  std::string name;
  std::optional<double> saturation;
};

struct Bottleneck {
  bool knee_found = false;
  double knee_rps = 0;     // the knee step's offered rate (when knee_found)
  std::string resource;    // the monitor blamed; "" when none saturated
  // "p95 rose past the SLO at 380/s while cpu reached 0.92 and db
  // connections 98/100: cpu-bound", "...; no monitored resource saturated:
  // look elsewhere", "p95 stayed under the SLO (200ms) through 800/s: no
  // knee". Names are shown with '_' as spaces; a level >= 2 shows the value
  // as value/level (a pool), a smaller one the value alone (a ratio).
  std::string sentence;
};

// `steps` in any order (sorted by offered rate here); `slo_p95_ms` is the
// SLO's p95 limit in milliseconds; `monitors` lists the queries in the
// order to show them.
Bottleneck AttributeBottleneck(std::vector<BottleneckStep> steps, double slo_p95_ms,
                               const std::vector<MonitorLevel>& monitors);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_BOTTLENECK_H_
