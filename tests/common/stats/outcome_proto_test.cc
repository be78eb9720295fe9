// Copyright 2026 The Barrage Authors.

#include "common/stats/outcome_proto.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("every outcome goes to the wire and back unchanged") {
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    const Outcome outcome = static_cast<Outcome>(o);
    const v1::Outcome wire = OutcomeToProto(outcome);
    CHECK(wire != v1::OUTCOME_UNSPECIFIED);
    absl::StatusOr<Outcome> back = OutcomeFromProto(wire);
    REQUIRE(back.ok());
    CHECK(*back == outcome);
  }
}

TEST_CASE("an unspecified or unknown wire outcome is refused") {
  CHECK(absl::IsInvalidArgument(OutcomeFromProto(v1::OUTCOME_UNSPECIFIED).status()));
  CHECK(absl::IsInvalidArgument(OutcomeFromProto(static_cast<v1::Outcome>(99)).status()));
}

}  // namespace
}  // namespace barrage
