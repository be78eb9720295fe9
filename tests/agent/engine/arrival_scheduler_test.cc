// Copyright 2026 The Barrage Authors.

#include "agent/engine/arrival_scheduler.h"

#include <algorithm>
#include <cmath>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

Scenario Plan(std::vector<Stage> stages) {
  Scenario s;
  s.name = "t";
  s.stages = std::move(stages);
  return s;
}

Stage Rate(Rational from, Rational to, absl::Duration d) {
  Stage st;
  st.kind = from == to ? Stage::Kind::kRate : Stage::Kind::kRateRamp;
  st.rate_from = from;
  st.rate_to = to;
  st.duration = d;
  return st;
}

std::vector<int64_t> All(ArrivalScheduler& s) {
  std::vector<int64_t> out;
  while (s.PeekNs() != ArrivalScheduler::kDone) {
    out.push_back(s.PeekNs());
    s.Pop();
  }
  return out;
}

std::vector<int64_t> PerSecond(const std::vector<int64_t>& times, int seconds) {
  std::vector<int64_t> counts(static_cast<size_t>(seconds), 0);
  for (int64_t t : times) ++counts[static_cast<size_t>(t / 1'000'000'000)];
  return counts;
}

TEST_CASE("a constant rate is evenly spaced and exact per second") {
  const Scenario s = Plan({Rate(Rational::FromInt(10), Rational::FromInt(10), absl::Seconds(10))});
  ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  const std::vector<int64_t> times = All(sched);
  REQUIRE(times.size() == 100);
  for (size_t i = 0; i < times.size(); ++i) {
    REQUIRE(times[i] == static_cast<int64_t>(i) * 100'000'000);
  }
  for (int64_t c : PerSecond(times, 10)) CHECK(c == 10);
}

TEST_CASE("a rate ramp follows its integral second by second") {
  // 0 -> 100/s over 10 s: second k holds 10k + 5 arrivals.
  const Scenario s = Plan({Rate(Rational(), Rational::FromInt(100), absl::Seconds(10))});
  ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  const std::vector<int64_t> times = All(sched);
  CHECK(times.size() == 500);
  const std::vector<int64_t> counts = PerSecond(times, 10);
  for (int k = 0; k < 10; ++k) {
    INFO("second " << k);
    CHECK(std::llabs(counts[static_cast<size_t>(k)] - (10 * k + 5)) <= 1);
  }
  CHECK(std::is_sorted(times.begin(), times.end()));
}

TEST_CASE("stages chain and a 200/min stage holds exactly its count") {
  const Scenario s = Plan({Rate(Rational(10, 3), Rational(10, 3), absl::Minutes(1)),
                           Rate(Rational(10, 3), Rational(50, 3), absl::Seconds(30)),
                           Rate(Rational(50, 3), Rational(50, 3), absl::Seconds(30))});
  ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  const std::vector<int64_t> times = All(sched);
  const auto in = [&](int64_t from_s, int64_t to_s) {
    return std::count_if(times.begin(), times.end(), [&](int64_t t) {
      return t >= from_s * 1'000'000'000 && t < to_s * 1'000'000'000;
    });
  };
  CHECK(in(0, 60) == 200);
  CHECK(in(60, 90) == 300);
  CHECK(in(90, 120) == 500);
}

TEST_CASE("agents and workers together fire exactly one generator's arrivals") {
  const Scenario s = Plan({Rate(Rational(1000, 60), Rational(3000, 60), absl::Seconds(20)),
                           Rate(Rational(7, 1), Rational(7, 1), absl::Seconds(5))});
  ArrivalScheduler single(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  std::vector<int64_t> expected = All(single);
  // 3 agents of weights 2:1:1 (period 4) with 2, 3 and 1 workers.
  const std::vector<std::vector<int64_t>> slots = {{0, 2}, {1}, {3}};
  const int workers[] = {2, 3, 1};
  std::vector<int64_t> merged;
  for (size_t a = 0; a < slots.size(); ++a) {
    for (int w = 0; w < workers[a]; ++w) {
      ArrivalScheduler part(s, 4, slots[a], w, workers[a], ArrivalMode::kUniform, 1);
      const std::vector<int64_t> times = All(part);
      merged.insert(merged.end(), times.begin(), times.end());
    }
  }
  std::sort(merged.begin(), merged.end());
  CHECK(merged == expected);
}

TEST_CASE("poisson arrivals have the plan's mean and repeat by seed") {
  const Scenario s = Plan({Rate(Rational::FromInt(200), Rational::FromInt(200), absl::Seconds(50))});
  double total = 0;
  const int runs = 20;
  for (int seed = 1; seed <= runs; ++seed) {
    ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kPoisson,
                           static_cast<uint64_t>(seed));
    total += static_cast<double>(All(sched).size());
  }
  // Mean 10,000 per run; the mean of 20 runs has sd 100 / sqrt(20) ~ 22.
  CHECK(std::abs(total / runs - 10'000) < 5 * 22.4);
  ArrivalScheduler a(s, 1, {0}, 0, 1, ArrivalMode::kPoisson, 7);
  ArrivalScheduler b(s, 1, {0}, 0, 1, ArrivalMode::kPoisson, 7);
  ArrivalScheduler c(s, 1, {0}, 0, 1, ArrivalMode::kPoisson, 8);
  const std::vector<int64_t> ta = All(a);
  CHECK(ta == All(b));
  CHECK(ta != All(c));
  CHECK(std::is_sorted(ta.begin(), ta.end()));
}

TEST_CASE("poisson shares across workers add up to the plan's mean") {
  const Scenario s = Plan({Rate(Rational::FromInt(400), Rational::FromInt(400), absl::Seconds(25))});
  double total = 0;
  for (int w = 0; w < 4; ++w) {
    ArrivalScheduler sched(s, 1, {0}, w, 4, ArrivalMode::kPoisson, 3);
    total += static_cast<double>(All(sched).size());
  }
  CHECK(std::abs(total - 10'000) < 5 * 100);
}

TEST_CASE("closed-model stages schedule no arrivals") {
  Stage vus;
  vus.kind = Stage::Kind::kVus;
  vus.vus_from = vus.vus_to = 5;
  vus.duration = absl::Seconds(10);
  const Scenario s = Plan({vus, Rate(Rational::FromInt(1), Rational::FromInt(1), absl::Seconds(3))});
  ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  const std::vector<int64_t> times = All(sched);
  REQUIRE(times.size() == 3);
  CHECK(times[0] == 10'000'000'000);
}

TEST_CASE("skipping to a time drops exactly the earlier arrivals") {
  const Scenario s = Plan({Rate(Rational::FromInt(10), Rational::FromInt(10), absl::Seconds(10))});
  ArrivalScheduler sched(s, 1, {0}, 0, 1, ArrivalMode::kUniform, 1);
  CHECK(sched.SkipBefore(2'050'000'000) == 21);
  CHECK(sched.PeekNs() == 2'100'000'000);
}

}  // namespace
}  // namespace barrage
