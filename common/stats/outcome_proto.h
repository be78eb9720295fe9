// Copyright 2026 The Barrage Authors.
//
// The one mapping between Outcome and its wire enum (stats.proto), used by
// the agent when it reports and by the controller when it merges.
#ifndef BARRAGE_COMMON_STATS_OUTCOME_PROTO_H_
#define BARRAGE_COMMON_STATS_OUTCOME_PROTO_H_

#include "absl/status/statusor.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/outcome.h"

namespace barrage {

v1::Outcome OutcomeToProto(Outcome outcome);

// InvalidArgument for OUTCOME_UNSPECIFIED and values this build does not know.
absl::StatusOr<Outcome> OutcomeFromProto(v1::Outcome outcome);

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_OUTCOME_PROTO_H_
