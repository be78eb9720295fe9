// Copyright 2026 The Barrage Authors.

#include "common/stats/histogram.h"

#include <algorithm>
#include <random>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "tests/support/sample_distributions.h"

namespace barrage {
namespace {

using testing::ExactQuantile;
using testing::Samples;
using testing::Shape;

TEST_CASE("histogram keeps exact count, sum, min and max") {
  Histogram h;
  for (uint64_t v : {5u, 17u, 123456u, 9u}) h.Record(v);
  CHECK(h.count() == 4);
  CHECK(h.sum_us() == 5 + 17 + 123456 + 9);
  CHECK(h.min_us() == 5);
  CHECK(h.max_us() == 123456);
  CHECK(h.overflow() == 0);
}

TEST_CASE("histogram is exact below 2048 us") {
  Histogram h;
  for (uint64_t v = 0; v < 2048; ++v) {
    REQUIRE(h.LowestEquivalent(h.IndexOf(v)) == v);
    REQUIRE(h.HighestEquivalent(h.IndexOf(v)) == v);
  }
}

TEST_CASE("histogram buckets tile the range with width at most 1/1024") {
  Histogram h;
  uint64_t expected_low = 0;
  for (size_t i = 0; i < h.bucket_count(); ++i) {
    const uint64_t low = h.LowestEquivalent(i);
    const uint64_t high = h.HighestEquivalent(i);
    REQUIRE(low == expected_low);  // no gaps, no overlaps
    REQUIRE(h.IndexOf(low) == i);
    REQUIRE(h.IndexOf(high) == i);
    if (low >= 2048) REQUIRE((high - low + 1) * 1024 <= low);
    expected_low = high + 1;
  }
  CHECK(h.HighestEquivalent(h.bucket_count() - 1) >=
        Histogram::kHighestTrackableUs);
}

TEST_CASE("two-digit histogram buckets are at most 1/128 wide") {
  Histogram h(2);
  CHECK(h.significant_digits() == 2);
  for (size_t i = 0; i < h.bucket_count(); ++i) {
    const uint64_t low = h.LowestEquivalent(i);
    const uint64_t high = h.HighestEquivalent(i);
    if (low >= 256) REQUIRE((high - low + 1) * 128 <= low);
  }
}

TEST_CASE("values above one hour go to overflow and keep the exact max") {
  Histogram h;
  h.Record(10);
  h.Record(Histogram::kHighestTrackableUs + 5);
  CHECK(h.count() == 2);
  CHECK(h.overflow() == 1);
  CHECK(h.max_us() == Histogram::kHighestTrackableUs + 5);
  CHECK(h.Quantile(1.0) == Histogram::kHighestTrackableUs + 5);
  CHECK(h.Quantile(0.99) == Histogram::kHighestTrackableUs + 5);
  CHECK(h.Quantile(0.5) == 10);
}

TEST_CASE("quantile is nearest rank, clamped to the exact max") {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.Record(v * 1000);  // 1..100 ms
  // Rank ceil(0.95 * 100) = 95 -> 95 ms, reported as its bucket's top.
  const uint64_t p95 = h.Quantile(0.95);
  CHECK(p95 >= 95'000);
  CHECK(p95 <= 95'000 + 95'000 / 1024);
  CHECK(h.Quantile(1.0) == 100'000);
  CHECK(h.Quantile(0.0) == 1'000);
  Histogram one;
  one.Record(123'457);
  CHECK(one.Quantile(0.5) == 123'457);  // clamped to max, not bucket top
  CHECK(Histogram().Quantile(0.5) == 0);
}

TEST_CASE("quantiles are within 0.1% of exact sorted quantiles") {
  const Shape shape = GENERATE(Shape::kUniform, Shape::kLognormal,
                               Shape::kBimodal, Shape::kHeavyTail);
  const uint64_t seed = GENERATE(1u, 2u, 3u);
  INFO("shape " << testing::ShapeName(shape) << " seed " << seed);
  std::vector<uint64_t> values = Samples(shape, 200'000, seed);
  Histogram h;
  for (uint64_t v : values) h.Record(v);
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = static_cast<double>(ExactQuantile(values, q));
    const double got = static_cast<double>(h.Quantile(q));
    INFO("q " << q << " exact " << exact << " got " << got);
    CHECK(got >= exact);  // never under-reports
    CHECK((got - exact) / exact <= 1.0 / 1024);
  }
  CHECK(h.min_us() == values.front());
  CHECK(h.max_us() == values.back());
}

TEST_CASE("merging in any order and tree shape gives identical histograms") {
  const uint64_t seed = 42;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::vector<Histogram> parts(37);
  Histogram all;
  const std::vector<uint64_t> values = Samples(Shape::kBimodal, 100'000, seed);
  for (uint64_t v : values) {
    all.Record(v);
    parts[rng() % parts.size()].Record(v);
  }
  // Left fold in a shuffled order.
  std::vector<size_t> order(parts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  Histogram folded;
  for (size_t i : order) REQUIRE(folded.Merge(parts[i]).ok());
  // Random binary tree: repeatedly merge two random survivors.
  std::vector<Histogram> pool = parts;
  while (pool.size() > 1) {
    const size_t a = rng() % pool.size();
    size_t b = rng() % (pool.size() - 1);
    if (b >= a) ++b;
    REQUIRE(pool[a].Merge(pool[b]).ok());
    pool.erase(pool.begin() + static_cast<ptrdiff_t>(b));
  }
  CHECK(folded == all);
  CHECK(pool[0] == all);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    CHECK(folded.Quantile(q) == all.Quantile(q));
  }
}

TEST_CASE("merge refuses a histogram of another precision") {
  Histogram fine(3);
  Histogram coarse(2);
  coarse.Record(5);
  CHECK_FALSE(fine.Merge(coarse).ok());
  CHECK(fine.count() == 0);
}

TEST_CASE("downsample to 2 digits equals recording at 2 digits") {
  const Shape shape = GENERATE(Shape::kUniform, Shape::kHeavyTail);
  std::vector<uint64_t> values = Samples(shape, 50'000, 11);
  values.push_back(Histogram::kHighestTrackableUs + 1);
  values.push_back(0);
  Histogram fine(3);
  Histogram coarse(2);
  for (uint64_t v : values) {
    fine.Record(v);
    coarse.Record(v);
  }
  CHECK(fine.Downsample() == coarse);
}

TEST_CASE("count at or below a bound is exact on bucket boundaries") {
  Histogram h;
  for (uint64_t v = 0; v < 300'000; v += 7) h.Record(v);
  for (size_t i : {100u, 5000u, 12000u}) {
    const uint64_t bound = h.HighestEquivalent(i);
    uint64_t exact = 0;
    for (uint64_t v = 0; v < 300'000; v += 7) exact += v <= bound;
    CHECK(h.CountAtOrBelow(bound) == exact);
  }
  CHECK(h.CountAtOrBelow(1'000'000) == h.count());
}

TEST_CASE("reset empties the histogram for reuse") {
  Histogram h;
  h.Record(1);
  h.Record(5'000'000);
  h.Reset();
  CHECK(h == Histogram());
  h.Record(3);
  CHECK(h.Quantile(0.5) == 3);
}

}  // namespace
}  // namespace barrage
