// Copyright 2026 The Barrage Authors.

#include "controller/monitor/monitor_sampler.h"

#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "controller/monitor/monitor_record.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using testing::FakeClock;

// A scripted answer: a value, or the error a query fails with.
struct Answer {
  Answer(double v) : value(v) {}  // NOLINT: implicit, for the scripts
  Answer(absl::Status s) : status(std::move(s)) {}  // NOLINT
  double value = 0;
  absl::Status status;
};

// Answers each query from a script, one answer per call, and advances the
// clock by `cost_ns` per call (the query's time).
class ScriptedSource final : public MonitorSource {
 public:
  ScriptedSource(FakeClock& clock, std::deque<Answer> answers,
                 std::vector<absl::Time>* asked_at)
      : clock_(clock), answers_(std::move(answers)), asked_at_(asked_at) {}
  absl::StatusOr<double> Query(const std::string&, absl::Time at) override {
    asked_at_->push_back(at);
    clock_.Advance(1'000'000);  // 1 ms per query
    if (answers_.empty()) return absl::UnavailableError("script ended");
    const Answer a = answers_.front();
    answers_.pop_front();
    if (!a.status.ok()) return a.status;
    return a.value;
  }

 private:
  FakeClock& clock_;
  std::deque<Answer> answers_;
  std::vector<absl::Time>* asked_at_;
};

MonitorSpec Spec() {
  MonitorSpec spec;
  spec.url = "http://127.0.0.1:9090";
  spec.interval = absl::Seconds(5);
  spec.queries = {{"cpu", "sum(cpu)", 0.8, {}}, {"hits", "avg(hits)", std::nullopt, {}}};
  return spec;
}

TEST_CASE("the sampler asks every query each round and stamps samples with run time") {
  FakeClock clock(10'000'000'000);
  std::vector<absl::Time> asked;
  auto source = std::make_unique<ScriptedSource>(
      clock, std::deque<Answer>{0.5, 0.9, 0.6, 0.8}, &asked);
  MonitorSampler sampler(Spec(), std::move(source), clock, /*zero_ns=*/10'000'000'000);
  sampler.SampleRound();
  clock.Advance(5'000'000'000);
  sampler.SampleRound();
  MonitorTaken taken = sampler.Take();
  REQUIRE(taken.samples.size() == 4);
  CHECK(taken.gaps.empty());
  CHECK(taken.events.empty());
  CHECK(taken.samples[0].query == 0);
  CHECK(taken.samples[0].run_s == 0);
  CHECK(taken.samples[1].query == 1);
  CHECK(taken.samples[1].run_s == 0.001);
  CHECK(taken.samples[2].run_s == 5.002);
  CHECK(taken.samples[3].value == 0.8);
  CHECK(asked[0] == clock.WallTime() - absl::Milliseconds(5'004));
  CHECK(sampler.Take().samples.empty());  // taken once
}

TEST_CASE("a failing query is a gap each round and an event once per kind") {
  FakeClock clock;
  std::vector<absl::Time> asked;
  auto source = std::make_unique<ScriptedSource>(
      clock,
      std::deque<Answer>{
          absl::UnavailableError("connection refused or unreachable"), 1.0,
          absl::UnavailableError("connection refused or unreachable"), 2.0,
          absl::FailedPreconditionError("returned 3 series; aggregate it (sum/avg)"), 3.0},
      &asked);
  MonitorSampler sampler(Spec(), std::move(source), clock, 0);
  for (int i = 0; i < 3; ++i) sampler.SampleRound();
  MonitorTaken taken = sampler.Take();
  CHECK(taken.samples.size() == 3);
  CHECK(taken.gaps == std::vector<size_t>{0, 0, 0});
  CHECK(taken.events ==
        std::vector<std::string>{"monitor cpu: connection refused or unreachable",
                                 "monitor cpu: returned 3 series; aggregate it (sum/avg)"});
}

TEST_CASE("a stopped sampler asks nothing more") {
  FakeClock clock;
  std::vector<absl::Time> asked;
  MonitorSampler sampler(Spec(),
                         std::make_unique<ScriptedSource>(
                             clock, std::deque<Answer>{1.0, 2.0}, &asked),
                         clock, 0);
  sampler.Stop();
  sampler.SampleRound();
  CHECK(asked.empty());
}

TEST_CASE("the monitor record gives window means, the latest value and the summary") {
  MonitorRecord record(Spec());
  REQUIRE(record.Index("hits") == 1u);
  CHECK_FALSE(record.Index("mem").has_value());
  CHECK_FALSE(record.Mean(0, 0, 100).has_value());  // no samples: not judged
  record.AddSample(0, 0, 0.2);
  record.AddSample(0, 10, 0.6);
  record.AddSample(0, 5, 0.4);  // out of order
  record.AddGap(0);
  CHECK(std::abs(*record.Mean(0, 0, 100) - 0.4) < 1e-12);
  CHECK(*record.Mean(0, 5, 10) == 0.5);
  CHECK_FALSE(record.Mean(0, 11, 20).has_value());
  CHECK(record.Latest(0) == 0.6);
  CHECK_FALSE(record.Latest(1).has_value());
  MonitorSummary s = record.Summary();
  CHECK(s.url == "http://127.0.0.1:9090");
  CHECK(s.interval_s == 5);
  REQUIRE(s.queries.size() == 2);
  CHECK(s.queries[0].samples == 3);
  CHECK(s.queries[0].gaps == 1);
  CHECK(s.queries[0].last == 0.6);
  CHECK(s.queries[0].max == 0.6);
  CHECK(s.queries[0].saturation == 0.8);
  CHECK(s.queries[1].samples == 0);
}

}  // namespace
}  // namespace barrage
