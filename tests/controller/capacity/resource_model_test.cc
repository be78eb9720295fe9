// Copyright 2026 The Barrage Authors.

#include "controller/capacity/resource_model.h"

#include <random>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("the resource model is the least-squares line through the steps") {
  // 0.2 cores idle plus 2 millicores per request/s.
  const std::vector<ResourcePoint> exact = {{100, 0.4}, {200, 0.6}, {300, 0.8}, {400, 1.0}};
  const absl::StatusOr<ResourceModel> m = FitResource(exact);
  REQUIRE(m.ok());
  CHECK(m->base == Catch::Approx(0.2));
  CHECK(m->cost_per_request == Catch::Approx(0.002));
  CHECK(m->r_squared == Catch::Approx(1));
  const ResourceProjection p = ProjectResource(*m, 800);
  CHECK(p.value == Catch::Approx(1.8));
  CHECK(p.extrapolated);
  CHECK_FALSE(ProjectResource(*m, 250).extrapolated);
  CHECK(DescribeProjection("cpu", *m, 400, 2) ==
        "at 2x traffic (800/s) you need 1.8 cpu (1.8 to 1.8, 95%; extrapolated beyond "
        "the measured 100-400/s)");
}

TEST_CASE("the resource model's intervals cover the true cost under noise") {
  const uint64_t seed = 42;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.02);
  std::vector<ResourcePoint> points;
  for (double rate = 50; rate <= 500; rate += 50) {
    points.push_back({rate, 0.3 + 0.004 * rate + noise(rng)});
  }
  const absl::StatusOr<ResourceModel> m = FitResource(points);
  REQUIRE(m.ok());
  CHECK(m->cost_lo <= 0.004);
  CHECK(0.004 <= m->cost_hi);
  CHECK(m->base_lo <= 0.3);
  CHECK(0.3 <= m->base_hi);
  const ResourceProjection p = ProjectResource(*m, 1000);
  CHECK(p.lo < p.value);
  CHECK(p.value < p.hi);
  CHECK(p.lo <= 4.3);
  CHECK(4.3 <= p.hi);
  // The interval widens away from the measured centre.
  const ResourceProjection mid = ProjectResource(*m, 275);
  CHECK(mid.hi - mid.lo < p.hi - p.lo);
}

TEST_CASE("the resource model refuses too few steps or a single rate") {
  CHECK(FitResource({{1, 1}, {2, 2}}).status().message() ==
        "the resource model needs at least 3 steps; have 2");
  CHECK(FitResource({{5, 1}, {5, 2}, {5, 3}}).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace barrage
