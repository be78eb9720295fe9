// Copyright 2026 The Barrage Authors.
//
// Seeded latency samples (microseconds) with the shapes load tests see, for
// accuracy tests and benchmarks. Deterministic for a given seed.
#ifndef BARRAGE_TESTS_SUPPORT_SAMPLE_DISTRIBUTIONS_H_
#define BARRAGE_TESTS_SUPPORT_SAMPLE_DISTRIBUTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace barrage::testing {

enum class Shape { kUniform, kLognormal, kBimodal, kHeavyTail };

std::string ShapeName(Shape shape);

// `n` samples in [0, ~1 h] microseconds.
std::vector<uint64_t> Samples(Shape shape, size_t n, uint64_t seed);

// Exact nearest-rank quantile of `sorted` (ascending).
uint64_t ExactQuantile(const std::vector<uint64_t>& sorted, double q);

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_SAMPLE_DISTRIBUTIONS_H_
