// Copyright 2026 The Barrage Authors.

#include "tests/support/sample_distributions.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace barrage::testing {

std::string ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kUniform: return "uniform";
    case Shape::kLognormal: return "lognormal";
    case Shape::kBimodal: return "bimodal";
    case Shape::kHeavyTail: return "heavy-tail";
  }
  return "?";
}

std::vector<uint64_t> Samples(Shape shape, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> out;
  out.reserve(n);
  std::uniform_real_distribution<double> uniform(50.0, 500'000.0);
  std::lognormal_distribution<double> lognormal(std::log(20'000.0), 0.6);
  std::lognormal_distribution<double> fast(std::log(2'000.0), 0.3);
  std::lognormal_distribution<double> slow(std::log(300'000.0), 0.4);
  std::bernoulli_distribution pick_slow(0.1);
  // Pareto with alpha 1.2: most values near 1 ms, a long tail to minutes.
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (size_t i = 0; i < n; ++i) {
    double v = 0;
    switch (shape) {
      case Shape::kUniform: v = uniform(rng); break;
      case Shape::kLognormal: v = lognormal(rng); break;
      case Shape::kBimodal: v = pick_slow(rng) ? slow(rng) : fast(rng); break;
      case Shape::kHeavyTail:
        v = 1'000.0 / std::pow(1.0 - unit(rng), 1.0 / 1.2);
        break;
    }
    out.push_back(static_cast<uint64_t>(std::min(v, 3.5e9)));
  }
  return out;
}

uint64_t ExactQuantile(const std::vector<uint64_t>& sorted, double q) {
  const double n = static_cast<double>(sorted.size());
  size_t rank = static_cast<size_t>(std::ceil(q * n - 1e-9));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace barrage::testing
