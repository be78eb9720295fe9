// Copyright 2026 The Barrage Authors.
//
// Prebuilt request templates for a run and the weighted choice among them.
//
// RequestPicker draws a template index with probability weight / total from
// a seeded SplitMix64 stream: deterministic per seed, no allocation, a few
// nanoseconds per pick. One picker per worker (not thread-safe).
#ifndef BARRAGE_AGENT_ENGINE_REQUEST_PICKER_H_
#define BARRAGE_AGENT_ENGINE_REQUEST_PICKER_H_

#include <cstdint>
#include <vector>

#include "agent/http/http_client.h"
#include "common/scenario/scenario.h"

namespace barrage {

// Absolute URLs, merged headers and bodies for every request of `scenario`,
// in scenario order, then one per flow step (flow, then step order) named
// "FLOW.STEP". A step keeps its response (keep_response) when it has
// captures, checks beyond status, or its flow keeps cookies. `network` is
// the flow's profile, else the scenario's (plain requests: the scenario's).
// Paths, headers and bodies are as written: a template's ${...} references
// are rendered per send (flow_program.h) and sent with StartWith().
std::vector<HttpRequestTemplate> BuildTemplates(const Scenario& scenario);

// SplitMix64: tiny, fast, statistically fine for load mixes and jitter.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A well-mixed 64-bit hash (SplitMix64's finalizer): use it to derive
  // independent seeds, since nearby seeds give shifted copies of a stream.
  static uint64_t Mix(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

// Picks among a run's items (requests, then flows: FlowProgram::weights).
class RequestPicker {
 public:
  RequestPicker(const std::vector<int64_t>& weights, uint64_t seed);
  size_t Pick();

 private:
  std::vector<uint64_t> cumulative_;  // running sums of the weights
  SplitMix64 rng_;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_REQUEST_PICKER_H_
