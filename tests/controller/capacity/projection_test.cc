// Copyright 2026 The Barrage Authors.

#include "controller/capacity/projection.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("rates and growth parse with their units") {
  CHECK(*ParseRatePerSecond("500/min") == Catch::Approx(500.0 / 60));
  CHECK(*ParseRatePerSecond("8.5/s") == 8.5);
  CHECK(*ParseRatePerSecond("7200/h") == 2);
  CHECK(*ParseMonthlyGrowth("8%/month") == Catch::Approx(0.08));
  CHECK(ParseRatePerSecond("500").status().message() ==
        "rate \"500\": expected a number > 0 per time unit, like 500/min");
  CHECK(ParseRatePerSecond("5/day").status().message() ==
        "rate \"5/day\": unit must be /s, /min or /h");
  CHECK_FALSE(ParseRatePerSecond("-1/s").ok());
  CHECK(ParseMonthlyGrowth("8%").status().message() ==
        "growth \"8%\": the period must be /month");
  CHECK_FALSE(ParseMonthlyGrowth("0%/month").ok());
}

TEST_CASE("growth projection: months until the peak reaches the capacity") {
  // ln(400 / 200) / ln(1.08) = 9.0065; the ends from 380 and 420.
  const absl::StatusOr<GrowthProjection> p = ProjectGrowth({400, 380, 420}, 200, 0.08);
  REQUIRE(p.ok());
  CHECK(p->months == Catch::Approx(9.006468342));
  CHECK(p->months_lo == Catch::Approx(8.339984448));
  CHECK(p->months_hi == Catch::Approx(9.640427595));
  CHECK_FALSE(p->exhausted);
  CHECK(p->sentence ==
        "headroom runs out in 9.0 months (8.3 to 9.6) at 8%/month from a peak of 200/s "
        "against a capacity of 400/s [380, 420]");

  // The example: 500/min against 400/s is ln(48) / ln(1.08) months.
  const absl::StatusOr<GrowthProjection> q =
      ProjectGrowth({400, 380, 420}, *ParseRatePerSecond("500/min"), 0.08);
  REQUIRE(q.ok());
  CHECK(q->months == Catch::Approx(50.300787954));

  SECTION("a peak inside the interval runs out at its lower end at once") {
    const absl::StatusOr<GrowthProjection> r = ProjectGrowth({400, 380, 420}, 390, 0.08);
    REQUIRE(r.ok());
    CHECK(r->months_lo == 0);
    CHECK(r->months > 0);
  }
  SECTION("a peak above the capacity has no headroom") {
    const absl::StatusOr<GrowthProjection> r = ProjectGrowth({400, 380, 420}, 450, 0.08);
    REQUIRE(r.ok());
    CHECK(r->exhausted);
    CHECK(r->months == 0);
    CHECK(r->sentence ==
          "no headroom: the peak of 450/s already reaches the capacity of 400/s [380, 420]");
  }
  CHECK_FALSE(ProjectGrowth({400, 420, 380}, 200, 0.08).ok());
  CHECK_FALSE(ProjectGrowth({400, 380, 420}, 200, 0).ok());
}

TEST_CASE("the baseline check: does 10x baseline sustain") {
  const CapacityEstimate c{400, 380, 420};
  const absl::StatusOr<BaselineCheck> yes = CheckBaseline(c, *ParseRatePerSecond("200/min"));
  REQUIRE(yes.ok());
  CHECK(yes->verdict == BaselineVerdict::kYes);
  CHECK(yes->target_rps == Catch::Approx(33.333333));
  CHECK(yes->evidence ==
        "10x baseline is 33.3/s; the capacity 400/s [380, 420] is above it: yes, it "
        "sustains 10x");

  const absl::StatusOr<BaselineCheck> no = CheckBaseline(c, 50);
  REQUIRE(no.ok());
  CHECK(no->verdict == BaselineVerdict::kNo);
  CHECK(no->evidence ==
        "10x baseline is 500/s; the capacity 400/s [380, 420] is below it: no, it does "
        "not sustain 10x");

  const absl::StatusOr<BaselineCheck> maybe = CheckBaseline(c, 40);
  REQUIRE(maybe.ok());
  CHECK(maybe->verdict == BaselineVerdict::kUndecided);
  CHECK(std::string(BaselineVerdictName(maybe->verdict)) == "undecided");

  const absl::StatusOr<BaselineCheck> twice = CheckBaseline(c, 150, 2);
  REQUIRE(twice.ok());
  CHECK(twice->verdict == BaselineVerdict::kYes);  // 2 x 150 = 300 <= 380
}

}  // namespace
}  // namespace barrage
