// Copyright 2026 The Barrage Authors.

#include "common/metrics/process_stats.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("process stats read this process's CPU time and resident memory") {
  const double before = ProcessCpuSeconds();
  volatile double sink = 0;
  for (int i = 0; i < 1'000'000; ++i) sink = sink + i;
  CHECK(ProcessCpuSeconds() >= before);
  absl::StatusOr<int64_t> rss = ProcessResidentBytes();
  REQUIRE(rss.ok());
  CHECK(*rss > 0);
}

TEST_CASE("the CPU ratio is 0 when no time has passed, and never negative") {
  CpuRatioMeter meter(/*now_ns=*/1'000, /*cores=*/4);
  CHECK(meter.Sample(1'000) == 0);
  CHECK(meter.Sample(1'000'000'000) >= 0);
}

}  // namespace
}  // namespace barrage
