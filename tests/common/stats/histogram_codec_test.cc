// Copyright 2026 The Barrage Authors.

#include "common/stats/histogram_codec.h"

#include <random>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "tests/support/sample_distributions.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

v1::HistogramSnapshot Encode(const Histogram& h) {
  v1::HistogramSnapshot s;
  EncodeHistogram(h, &s);
  return s;
}

Histogram Filled() {
  Histogram h;
  for (uint64_t v : {120u, 120u, 121u, 5000u, 5001u, 250000u}) h.Record(v);
  return h;
}

TEST_CASE("codec round trip restores the histogram exactly") {
  const auto shape = GENERATE(testing::Shape::kUniform,
                              testing::Shape::kLognormal,
                              testing::Shape::kHeavyTail);
  const int digits = GENERATE(2, 3);
  Histogram h(digits);
  for (uint64_t v : testing::Samples(shape, 20'000, 5)) h.Record(v);
  h.Record(Histogram::kHighestTrackableUs + 10);  // overflow survives too
  const v1::HistogramSnapshot s = Encode(h);
  absl::StatusOr<Histogram> back = DecodeHistogram(s);
  REQUIRE(back.ok());
  CHECK(*back == h);
  // The wire form survives protobuf serialization.
  v1::HistogramSnapshot parsed;
  REQUIRE(parsed.ParseFromString(s.SerializeAsString()));
  back = DecodeHistogram(parsed);
  REQUIRE(back.ok());
  CHECK(*back == h);
}

TEST_CASE("codec packs runs of empty buckets as negative entries") {
  Histogram h;
  h.Record(10);
  h.Record(10);
  h.Record(14);
  const v1::HistogramSnapshot s = Encode(h);
  CHECK(s.first_index() == 10);
  REQUIRE(s.counts_size() == 3);
  CHECK(s.counts(0) == 2);
  CHECK(s.counts(1) == -3);
  CHECK(s.counts(2) == 1);
}

TEST_CASE("codec round trips empty and all-overflow histograms") {
  Histogram empty;
  CHECK(*DecodeHistogram(Encode(empty)) == empty);
  CHECK(Encode(empty).counts_size() == 0);
  Histogram over;
  over.Record(Histogram::kHighestTrackableUs + 1);
  CHECK(*DecodeHistogram(Encode(over)) == over);
}

TEST_CASE("merging a snapshot adds into an accumulator") {
  Histogram total;
  Histogram expected;
  std::mt19937_64 rng(3);
  for (int part = 0; part < 10; ++part) {
    Histogram h;
    for (int i = 0; i < 1000; ++i) h.Record(rng() % 2'000'000);
    REQUIRE(MergeSnapshot(Encode(h), total).ok());
    REQUIRE(expected.Merge(h).ok());
  }
  CHECK(total == expected);
}

// Each corruption of a valid snapshot, with the words its error must name.
struct Corruption {
  const char* name;
  void (*apply)(v1::HistogramSnapshot&);
  const char* message;
};

const Corruption kCorruptions[] = {
    {"unknown layout", [](v1::HistogramSnapshot& s) { s.set_significant_digits(5); }, "significant_digits"},
    {"zero layout", [](v1::HistogramSnapshot& s) { s.set_significant_digits(0); }, "significant_digits"},
    {"first index past the layout", [](v1::HistogramSnapshot& s) { s.set_first_index(4'000'000'000u); }, "first_index"},
    {"run past the layout", [](v1::HistogramSnapshot& s) { s.set_counts(1, -100'000); }, "skips past"},
    {"most negative run", [](v1::HistogramSnapshot& s) { s.set_counts(1, INT64_MIN); }, "skips past"},
    {"zero entry", [](v1::HistogramSnapshot& s) { s.set_counts(0, 0); }, "zero"},
    {"leading run", [](v1::HistogramSnapshot& s) { s.set_counts(0, -2); }, "counts[0]"},
    {"trailing run", [](v1::HistogramSnapshot& s) { s.add_counts(-4); }, "ends the list"},
    {"count too high", [](v1::HistogramSnapshot& s) { s.set_count(s.count() + 1); }, "do not equal count"},
    {"count too low", [](v1::HistogramSnapshot& s) { s.set_count(s.count() - 1); }, "count"},
    {"overflow above count", [](v1::HistogramSnapshot& s) { s.set_overflow(s.count() + 1); }, "overflow"},
    {"overflow without max", [](v1::HistogramSnapshot& s) { s.set_overflow(1); }, "overflow"},
    {"min above max", [](v1::HistogramSnapshot& s) { s.set_min_us(s.max_us() + 1); }, "min_us"},
    {"min in the wrong bucket", [](v1::HistogramSnapshot& s) { s.set_min_us(s.min_us() + 3000); }, "min_us"},
    {"max in the wrong bucket", [](v1::HistogramSnapshot& s) { s.set_max_us(s.max_us() + 50'000); }, "max_us"},
    {"sum below count times min", [](v1::HistogramSnapshot& s) { s.set_sum_us(1); }, "sum_us"},
    {"sum above count times max", [](v1::HistogramSnapshot& s) { s.set_sum_us(UINT64_MAX); }, "sum_us"},
    {"counts summing past 64 bits", [](v1::HistogramSnapshot& s) {
       s.set_counts(0, INT64_MAX); s.add_counts(INT64_MAX); s.add_counts(INT64_MAX); }, "64 bits"},
    {"empty with buckets", [](v1::HistogramSnapshot& s) { s.set_count(0); }, "empty histogram"},
    {"count without buckets", [](v1::HistogramSnapshot& s) { s.clear_counts(); }, "without buckets"},
    {"absurd length", [](v1::HistogramSnapshot& s) {
       for (int i = 0; i < 30'000; ++i) s.add_counts(1); }, "more entries"},
};

TEST_CASE("codec rejects a corpus of corrupt payloads without merging") {
  for (const Corruption& c : kCorruptions) {
    INFO(c.name);
    v1::HistogramSnapshot s = Encode(Filled());
    c.apply(s);
    Histogram into = Filled();
    const Histogram before = into;
    const absl::Status status = MergeSnapshot(s, into);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(status.message()), ContainsSubstring(c.message));
    CHECK(into == before);  // never a partial merge
    CHECK_FALSE(DecodeHistogram(s).ok());
  }
}

TEST_CASE("codec survives random garbage without crashing") {
  const uint64_t seed = 99;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  int accepted = 0;
  for (int round = 0; round < 2000; ++round) {
    v1::HistogramSnapshot s = Encode(Filled());
    // Flip a few fields and entries at random.
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 6) {
        case 0: s.set_count(rng() % 10); break;
        case 1: s.set_first_index(static_cast<uint32_t>(rng() % 30'000)); break;
        case 2: s.set_min_us(rng() % 300'000); break;
        case 3: s.set_max_us(rng() % 300'000); break;
        case 4:
          if (s.counts_size() > 0) {
            s.set_counts(static_cast<int>(rng() % s.counts_size()),
                         static_cast<int64_t>(rng() % 20'000) - 10'000);
          }
          break;
        case 5: s.add_counts(static_cast<int64_t>(rng() % 5) - 2); break;
      }
    }
    // Random bytes through the protobuf parser as well.
    std::string bytes = s.SerializeAsString();
    if (!bytes.empty()) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    v1::HistogramSnapshot parsed;
    if (parsed.ParseFromString(bytes)) {
      absl::StatusOr<Histogram> h = DecodeHistogram(parsed);
      if (h.ok()) {
        ++accepted;
        // Whatever is accepted is self-consistent.
        CHECK(*DecodeHistogram(Encode(*h)) == *h);
      }
    }
  }
  SUCCEED("accepted " << accepted << " of 2000 mutated payloads");
}

}  // namespace
}  // namespace barrage
