// Copyright 2026 The Barrage Authors.
//
// Parsers and names for the scalar fields of flows, data sources and network
// profiles (README "Flows", "Data", "Network profiles"): think times,
// bandwidths, data modes, capture and check kinds. Like fields.h: each takes
// a scalar's text and returns the value or an error message without a
// location; each name function gives the spelling a file and the wire use,
// so the loader and the proto decoder refuse with one message.
//
// Thread safety: pure functions.
#ifndef BARRAGE_COMMON_SCENARIO_TRAFFIC_FIELDS_H_
#define BARRAGE_COMMON_SCENARIO_TRAFFIC_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/scenario/scenario.h"

namespace barrage {

// "2s" (fixed), "uniform(1s, 3s)", "exponential(2s)". Durations as
// ParseDurationField; uniform's order (low <= high) is the validator's rule.
absl::StatusOr<ThinkTime> ParseThinkField(absl::string_view text);
// The inverse: "2s", "uniform(1s, 3s)", "exponential(2s)"; "none".
std::string FormatThink(const ThinkTime& think);

// "2Mbit/s", "512kbit/s", "1.5Gbit/s", "64kbps", "10Mbps", "800bit/s" ->
// bits per second (decimal prefixes: k = 1,000). Must be a whole number of
// bits per second and above zero.
absl::StatusOr<int64_t> ParseBandwidthField(absl::string_view text);
// The inverse, in the largest unit that divides it: "2Mbit/s", "800bit/s".
std::string FormatBandwidth(int64_t bits_per_second);

// "sequential" | "random" | "unique"; "recycle" | "stop"; "csv" | "jsonl".
absl::StatusOr<DataSource::Mode> ParseDataModeField(absl::string_view text);
absl::StatusOr<DataSource::OnEnd> ParseDataOnEndField(absl::string_view text);
absl::StatusOr<DataSource::Format> ParseDataFormatField(absl::string_view text);
const char* DataModeName(DataSource::Mode mode);
const char* DataOnEndName(DataSource::OnEnd on_end);
const char* DataFormatName(DataSource::Format format);
// The format a data file's extension says: .csv, .jsonl or .ndjson (any
// case); InvalidArgument naming them otherwise.
absl::StatusOr<DataSource::Format> DataFormatForFile(absl::string_view file);

// "json" | "header" | "regex" | "status".
absl::StatusOr<Capture::Kind> ParseCaptureKindField(absl::string_view text);
const char* CaptureKindName(Capture::Kind kind);

// The wire's names: "status" | "json_exists" | "json_equals" |
// "body_contains" | "header" | "max_duration".
absl::StatusOr<Check::Kind> ParseCheckKindField(absl::string_view text);
const char* CheckKindName(Check::Kind kind);
// Check::name for a check's kind, path and value: "status",
// "json $.items exists", "json $.id == 7", "body_contains", "header X-Id",
// "max_duration".
std::string CheckDisplayName(const Check& check);
// Where a check is written within its step: "check.status",
// "check.json.$.id", "check.body_contains", "check.header.X-Id",
// "check.max_duration" (validator paths, after "flows[i].steps[j].").
std::string CheckFieldPath(const Check& check);

// A flow's or step's name: 1-64 of [A-Za-z0-9_-] (no '.': "FLOW.STEP" is
// a step's request name).
bool IsValidFlowName(absl::string_view name);
// A flow variable's or data source's name: [A-Za-z_][A-Za-z0-9_]*, 1-64.
bool IsValidVariableName(absl::string_view name);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_TRAFFIC_FIELDS_H_
