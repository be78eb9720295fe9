// Copyright 2026 The Barrage Authors.

#include "common/stats/outcome_proto.h"

#include "absl/strings/str_cat.h"

namespace barrage {

v1::Outcome OutcomeToProto(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return v1::OUTCOME_OK;
    case Outcome::kHttpError: return v1::OUTCOME_HTTP_ERROR;
    case Outcome::kTimeout: return v1::OUTCOME_TIMEOUT;
    case Outcome::kConnectError: return v1::OUTCOME_CONNECT_ERROR;
    case Outcome::kOther: return v1::OUTCOME_OTHER;
    case Outcome::kAborted: return v1::OUTCOME_ABORTED;
    case Outcome::kCheckFailed: return v1::OUTCOME_CHECK_FAILED;
  }
  return v1::OUTCOME_OTHER;
}

absl::StatusOr<Outcome> OutcomeFromProto(v1::Outcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_OK: return Outcome::kOk;
    case v1::OUTCOME_HTTP_ERROR: return Outcome::kHttpError;
    case v1::OUTCOME_TIMEOUT: return Outcome::kTimeout;
    case v1::OUTCOME_CONNECT_ERROR: return Outcome::kConnectError;
    case v1::OUTCOME_OTHER: return Outcome::kOther;
    case v1::OUTCOME_ABORTED: return Outcome::kAborted;
    case v1::OUTCOME_CHECK_FAILED: return Outcome::kCheckFailed;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown outcome ", static_cast<int>(outcome)));
  }
}

}  // namespace barrage
