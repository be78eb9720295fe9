// Copyright 2026 The Barrage Authors.
//
// The `monitor:` section's pure half (README "Monitor"): the rules on a
// MonitorSpec and on thresholds that name a monitor query, the
// `monitor.NAME` metric of a threshold, and the section's wire form. The
// YAML half is monitor_yaml.h; the validator and the codec call these, so
// a file and the wire are refused with the same words.
//
// Thread safety: pure functions of their arguments.
#ifndef BARRAGE_COMMON_SCENARIO_MONITOR_FIELDS_H_
#define BARRAGE_COMMON_SCENARIO_MONITOR_FIELDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "barrage/v1/scenario.pb.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"

namespace barrage {

inline constexpr absl::Duration kMinMonitorInterval = absl::Seconds(1);
inline constexpr int kMaxMonitorQueries = 32;
inline constexpr size_t kMaxPromqlChars = 4096;

// "monitor.cpu" -> "cpu". InvalidArgument when `text` does not start with
// "monitor." or the name is not 1-64 of [A-Za-z0-9_]; NotFound when it
// does not start with "monitor." (the caller tries the other metrics).
absl::StatusOr<std::string> ParseMonitorMetricField(absl::string_view text);

// A query name: 1-64 of [A-Za-z0-9_].
bool IsValidMonitorName(absl::string_view name);

// Appends the rules `s.monitor` breaks, and those of thresholds on
// monitor queries, to `problems` (paths "monitor.queries.cpu.query",
// "thresholds[2].metric").
void AppendMonitorProblems(const Scenario& s,
                           std::vector<ScenarioProblem>& problems);

// The wire form of `spec` (the token included: the controller needs it).
void MonitorToProto(const MonitorSpec& spec, v1::MonitorSpecMsg& out);
MonitorSpec MonitorFromProto(const v1::MonitorSpecMsg& msg);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_MONITOR_FIELDS_H_
