// Copyright 2026 The Barrage Authors.

#include "common/stats/sparse_histogram.h"

#include <random>

#include <catch2/catch_test_macros.hpp>

#include "common/stats/histogram_codec.h"

namespace barrage {
namespace {

Histogram Random(uint32_t seed, int digits, size_t n) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(8.0, 1.5);
  Histogram h(digits);
  for (size_t i = 0; i < n; ++i) h.Record(static_cast<uint64_t>(d(rng)));
  return h;
}

const double kQuantiles[] = {0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

TEST_CASE("a sparse histogram reads the same quantiles as its dense one") {
  for (int digits : {2, 3}) {
    const Histogram dense = Random(7 + digits, digits, 5000);
    const SparseHistogram sparse = SparseHistogram::From(dense);
    CHECK(sparse.count() == dense.count());
    CHECK(sparse.sum_us() == dense.sum_us());
    for (double q : kQuantiles) CHECK(sparse.Quantile(q) == dense.Quantile(q));
    CHECK(sparse.ToHistogram() == dense);
  }
  CHECK(SparseHistogram().Quantile(0.5) == 0);
}

TEST_CASE("a sparse histogram round-trips the wire snapshot and rejects a bad one") {
  const Histogram dense = Random(3, 3, 2000);
  v1::HistogramSnapshot wire;
  EncodeHistogram(dense, &wire);
  absl::StatusOr<SparseHistogram> sparse = SparseHistogram::FromSnapshot(wire);
  REQUIRE(sparse.ok());
  CHECK(*sparse == SparseHistogram::From(dense));
  v1::HistogramSnapshot again;
  sparse->ToSnapshot(&again);
  CHECK(again.SerializeAsString() == wire.SerializeAsString());
  wire.set_count(wire.count() + 1);
  CHECK(absl::IsInvalidArgument(SparseHistogram::FromSnapshot(wire).status()));
}

TEST_CASE("sparse merges equal dense merges, also across precisions") {
  const Histogram a = Random(1, 3, 3000);
  const Histogram b = Random(2, 3, 1000);
  const Histogram c = Random(4, 2, 500);
  SparseHistogram s = SparseHistogram::From(a);
  s.Merge(SparseHistogram::From(b));
  Histogram ab = a;
  REQUIRE(ab.Merge(b).ok());
  CHECK(s == SparseHistogram::From(ab));
  s.Merge(SparseHistogram::From(c));
  Histogram abc = ab.Downsample();
  REQUIRE(abc.Merge(c).ok());
  CHECK(s.significant_digits() == 2);
  CHECK(s == SparseHistogram::From(abc));
  SparseHistogram t = SparseHistogram::From(c);
  t.Merge(SparseHistogram::From(ab));
  CHECK(t == s);
  CHECK(SparseHistogram::From(a).Downsample() == SparseHistogram::From(a.Downsample()));
}

}  // namespace
}  // namespace barrage
