// Copyright 2026 The Barrage Authors.

#include "controller/capacity/bottleneck.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

const std::vector<MonitorLevel> kMonitors = {{"cpu", 0.8}, {"db_connections", 100.0}};

TEST_CASE("the bottleneck is the monitored resource that saturated first") {
  SECTION("CPU crosses its level at the knee, the pool stays under its size") {
    const Bottleneck b = AttributeBottleneck(
        {{300, 120, {{"cpu", 0.71}, {"db_connections", 80}}},
         {100, 40, {{"cpu", 0.25}, {"db_connections", 20}}},
         {380, 260, {{"cpu", 0.92}, {"db_connections", 98}}},
         {200, 70, {{"cpu", 0.5}, {"db_connections", 50}}}},
        200, kMonitors);
    CHECK(b.knee_found);
    CHECK(b.knee_rps == 380);
    CHECK(b.resource == "cpu");
    CHECK(b.sentence ==
          "p95 rose past the SLO at 380/s while cpu reached 0.92 and db connections "
          "98/100: cpu-bound");
  }
  SECTION("the pool filled a step before CPU crossed") {
    const Bottleneck b = AttributeBottleneck(
        {{200, 70, {{"cpu", 0.5}, {"db_connections", 100}}},
         {380, 260, {{"cpu", 0.92}, {"db_connections", 100}}}},
        200, kMonitors);
    CHECK(b.resource == "db_connections");
    CHECK(b.sentence ==
          "p95 rose past the SLO at 380/s while cpu reached 0.92 and db connections "
          "100/100: db connections-bound");
  }
}

TEST_CASE("no saturated resource says to look elsewhere") {
  const Bottleneck b = AttributeBottleneck(
      {{200, 70, {{"cpu", 0.3}}}, {400, 300, {{"cpu", 0.4}, {"db_connections", 10}}}}, 200,
      kMonitors);
  CHECK(b.knee_found);
  CHECK(b.resource.empty());
  CHECK(b.sentence ==
        "p95 rose past the SLO at 400/s while cpu reached 0.4 and db connections 10/100; "
        "no monitored resource saturated: look elsewhere");

  SECTION("a resource saturating only after the knee is not blamed") {
    const Bottleneck late = AttributeBottleneck(
        {{400, 300, {{"cpu", 0.4}}}, {800, 900, {{"cpu", 0.95}}}}, 200, {{"cpu", 0.8}});
    CHECK(late.resource.empty());
    CHECK(late.knee_rps == 400);
  }
  SECTION("without monitors") {
    CHECK(AttributeBottleneck({{400, 300, {}}}, 200, {}).sentence ==
          "p95 rose past the SLO at 400/s: no monitored resource saturated: look elsewhere");
  }
  SECTION("a monitor without a level is shown, never blamed") {
    const Bottleneck unlevelled =
        AttributeBottleneck({{400, 300, {{"memory", 0.99}}}}, 200, {{"memory", {}}});
    CHECK(unlevelled.resource.empty());
  }
}

TEST_CASE("no step past the SLO has no knee") {
  const Bottleneck b = AttributeBottleneck({{200, 70, {}}, {800, 150, {}}}, 200, kMonitors);
  CHECK_FALSE(b.knee_found);
  CHECK(b.sentence == "p95 stayed under the SLO (200ms) through 800/s: no knee");
}

}  // namespace
}  // namespace barrage
