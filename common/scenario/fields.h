// Copyright 2026 The Barrage Authors.
//
// Parsers for the scalar field types of a scenario file: durations, rates,
// percentages, integers, booleans, URLs and names. Each takes the scalar's
// text and returns the value or an error message (without location: the
// caller knows where the scalar is). Pure functions, no YAML.
#ifndef BARRAGE_COMMON_SCENARIO_FIELDS_H_
#define BARRAGE_COMMON_SCENARIO_FIELDS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/scenario/rational.h"
#include "common/util/closest_word.h"
#include "common/scenario/scenario.h"

namespace barrage {

// "10s", "250ms", "1m30s", "1.5h". A bare number, a negative value or an
// unknown unit is an error. Zero is allowed here; callers decide.
absl::StatusOr<absl::Duration> ParseDurationField(absl::string_view text);

// "200/min", "16.5/s", "1000/h" -> exact requests per second.
absl::StatusOr<Rational> ParseRateField(absl::string_view text);

// "1%" or "0.01" -> 0.01; must lie in [0, 1].
absl::StatusOr<double> ParseFractionField(absl::string_view text);

// Strict decimal integer ("+3", "1e3" and "3.0" are errors).
absl::StatusOr<int64_t> ParseIntField(absl::string_view text);

// "true" or "false" only.
absl::StatusOr<bool> ParseBoolField(absl::string_view text);

// http://host[:port][/base], https://..., IPv6 in brackets.
absl::StatusOr<Target> ParseTargetField(absl::string_view text);

// The scenario's enumerations, by the names a file (and the wire) uses:
// "redistribute" | "continue" | "abort"; "1.1" | "2"; "p50" ... "rps".
// Shared by the loader and the proto decoder so both refuse with one message.
absl::StatusOr<OnLoss> ParseOnLossField(absl::string_view text);
// "rebalance" | "ignore"; InvalidArgument naming both otherwise.
absl::StatusOr<OnJoin> ParseOnJoinField(absl::string_view text);
absl::StatusOr<HttpVersion> ParseHttpVersionField(absl::string_view text);
absl::StatusOr<ThresholdMetric> ParseThresholdMetricField(absl::string_view text);

// A request name: 1-64 of [A-Za-z0-9_.-].
bool IsValidRequestName(absl::string_view name);
// An HTTP header name (RFC 9110 token).
bool IsValidHeaderName(absl::string_view name);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_FIELDS_H_
