// Copyright 2026 The Barrage Authors.

#include "controller/capacity/search.h"

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "tests/support/fake_clock.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

// A service with a known capacity, seen through synthetic steps: at or
// below `capacity` the median is 10 ms, above it 300 ms (SLO p95<50ms).
// Each run takes `run_s` of fake time.
class FakeRunner final : public StepRunner {
 public:
  FakeRunner(testing::FakeClock& clock, int64_t capacity) : clock_(clock), capacity_(capacity) {}

  // Overrides the evidence of a run (called before the run is made).
  std::function<void(const StepLoad&, StepEvidence&)> tweak;
  // When set and returning an error, the run fails with it.
  std::function<absl::Status(const StepLoad&)> refuse;
  double run_s = 10;
  std::vector<StepLoad> asked;

  absl::StatusOr<StepRun> Run(const StepLoad& load) override {
    asked.push_back(load);
    clock_.Advance(static_cast<int64_t>(run_s * 1e9));
    if (refuse) {
      if (absl::Status s = refuse(load); !s.ok()) return s;
    }
    testing::SyntheticRunOptions o;
    o.seed = asked.size();
    o.duration_s = 10;
    o.rate_rps = 200;  // enough results for tight bounds, whatever the load
    o.median_ms = load.load <= capacity_ ? 10 : 300;
    StepEvidence e;
    e.measured = testing::SyntheticSeries(o);
    for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
    e.agents.push_back({"a1"});
    e.agents[0].achieved_rps = static_cast<double>(load.load);
    if (tweak) tweak(load, e);
    return StepRun{absl::StrCat("r-", asked.size()), std::move(e)};
  }

 private:
  testing::FakeClock& clock_;
  const int64_t capacity_;
};

Slo P95Under50() {
  Slo slo;
  slo.limits.push_back({SloMetric::kP95, 50'000});
  slo.text = "p95<50ms";
  return slo;
}

SearchOptions Options(int64_t start) {
  SearchOptions o;
  o.start = start;
  o.run_estimate = absl::Seconds(10);
  o.deadline = absl::Hours(1);
  return o;
}

std::vector<int64_t> Loads(const std::vector<StepLoad>& asked) {
  std::vector<int64_t> loads;
  for (const StepLoad& l : asked) loads.push_back(l.load);
  return loads;
}

TEST_CASE("the search doubles until a step fails, then bisects to 2%") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  std::vector<std::string> lines;
  absl::StatusOr<CapacityResult> r =
      SearchCapacity(Options(100), P95Under50(), runner, clock,
                     [&lines](const StepRecord& s) { lines.push_back(absl::StrCat(s.load)); });
  REQUIRE(r.ok());
  // 100..800 pass, 1600 fails; then 1200 f, 1000 p, 1100 f, 1050 f, 1025 f, 1012 f.
  const std::vector<int64_t> want = {100, 200, 400, 800, 1600, 1200, 1000, 1100, 1050, 1025, 1012, 1000};
  CHECK(Loads(runner.asked) == want);
  CHECK(runner.asked.back().confirmation);
  CHECK(lines.size() == want.size());  // every step, and the confirmation, reported once
  CHECK(r->found);
  CHECK(r->capacity_load == 1000);
  CHECK(r->capacity_rps == 1000);
  CHECK(r->interval_lo_rps == 1000);
  CHECK(r->interval_hi_rps == 1012);
  CHECK(r->interval_hi_rps - r->interval_lo_rps <= 0.02 * r->interval_lo_rps);
  CHECK(r->limited_by == LimitedBy::kService);
  CHECK(r->stopped_by == "resolution");
  REQUIRE(r->confirmation);
  CHECK(r->confirmation->passed());
  CHECK(r->steps.size() == want.size() - 1);
  REQUIRE(r->knee_rps);
  CHECK(*r->knee_rps == 1012);
  CHECK(*r->knee_before_rps == 1000);
  for (const StepRecord& s : r->steps) CHECK(s.run_ids.size() == 1);
}

TEST_CASE("the maximum caps the steps") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1'000'000);
  SearchOptions o = Options(100);
  o.max = 500;
  absl::StatusOr<CapacityResult> r = SearchCapacity(o, P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK(Loads(runner.asked) == std::vector<int64_t>{100, 200, 400, 500, 500});
  CHECK(r->stopped_by == "max");
  CHECK(r->capacity_load == 500);
  CHECK(r->interval_hi_rps == 500);
}

TEST_CASE("the deadline ends the search, keeping time for the confirmation") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  runner.run_s = 60;
  SearchOptions o = Options(100);
  o.run_estimate = absl::Seconds(30);  // the first run teaches it 60 s
  o.deadline = absl::Seconds(450);
  absl::StatusOr<CapacityResult> r = SearchCapacity(o, P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK(r->stopped_by == "deadline");
  CHECK(clock.NowNs() <= absl::ToInt64Nanoseconds(o.deadline));
  CHECK(runner.asked.back().confirmation);
  // 100..1600, 1200, then no room for another step and the confirmation.
  CHECK(Loads(runner.asked) == std::vector<int64_t>{100, 200, 400, 800, 1600, 1200, 800});
  CHECK(r->capacity_load == 800);
  CHECK(r->interval_hi_rps == 1200);
}

TEST_CASE("an undecided step is extended and its runs pooled") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  SECTION("until it is decided") {
    // The first run of the 400/s step has one slow interval in three: its
    // p95's interval straddles the limit; clean runs pooled with it decide.
    runner.tweak = [](const StepLoad& l, StepEvidence& e) {
      if (l.load != 400) return;
      if (l.attempt == 0) {
        testing::SyntheticRunOptions o;
        o.duration_s = 3;
        o.rate_rps = 200;
        o.median_ms = 10;
        e.measured = testing::SyntheticSeries(o);
        o.median_ms = 70;
        o.duration_s = 1;
        e.measured.intervals[2] = testing::SyntheticSeries(o).intervals[0];
        e.measured.intervals[2].start_s = 2;
        for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
      } else {
        testing::SyntheticRunOptions o;
        o.seed = 100 + static_cast<uint64_t>(l.attempt);
        o.duration_s = 30;
        o.rate_rps = 200;
        o.median_ms = 10;
        e.measured = testing::SyntheticSeries(o);
        for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
      }
    };
    absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
    REQUIRE(r.ok());
    REQUIRE(r->steps.size() >= 3);
    const StepRecord& s = r->steps[2];
    CHECK(s.load == 400);
    CHECK(s.run_ids.size() >= 2);
    CHECK(s.run_ids.size() <= 4);
    CHECK(s.judgement.verdict == StepVerdict::kPass);
    CHECK(s.judgement.measured_s == 3 + 30.0 * static_cast<double>(s.run_ids.size() - 1));
    CHECK(r->capacity_load == 1000);
  }
  SECTION("at most three times, then it counts as not passing") {
    // At 800/s each run has one slow interval holding 5% of its results:
    // p95 sits on the edge between the fast and the slow ones, and the
    // resamples' p95 straddles the limit however many runs are pooled.
    runner.tweak = [](const StepLoad& l, StepEvidence& e) {
      if (l.load != 800) return;
      testing::SyntheticRunOptions o;
      o.seed = 50 + static_cast<uint64_t>(l.attempt);
      o.duration_s = 9;
      o.rate_rps = 200;
      o.median_ms = 10;
      e.measured = testing::SyntheticSeries(o);
      o.duration_s = 1;
      o.rate_rps = 95;
      o.median_ms = 100;
      e.measured.intervals.push_back(testing::SyntheticSeries(o).intervals[0]);
      e.measured.intervals.back().start_s = 9;
      for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
    };
    absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
    REQUIRE(r.ok());
    REQUIRE(r->steps.size() >= 4);
    const StepRecord& s = r->steps[3];
    CHECK(s.load == 800);
    CHECK(s.run_ids.size() == 4);
    CHECK(s.judgement.verdict == StepVerdict::kUndecided);
    // Bisection between 400 and 800: never above the undecided load.
    CHECK(r->capacity_load < 800);
    CHECK(r->capacity_load >= 400);
    CHECK(r->interval_hi_rps <= 800);
  }
}

TEST_CASE("a generator-bound step stops the search with advice") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  runner.tweak = [](const StepLoad& l, StepEvidence& e) {
    if (l.load >= 600) e.agents[0].saturated_intervals = 4;
  };
  absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK(Loads(runner.asked) == std::vector<int64_t>{100, 200, 400, 800});
  CHECK(r->limited_by == LimitedBy::kGenerator);
  CHECK(r->stopped_by == "generator");
  CHECK(r->found);
  CHECK(r->capacity_load == 400);
  CHECK(r->interval_hi_rps == 800);
  CHECK(r->steps.back().judgement.verdict == StepVerdict::kGenerator);
  CHECK_THAT(r->advice, ContainsSubstring("add agents or workers: agent a1 was saturated at 800/s"));
  CHECK_FALSE(r->confirmation);
}

TEST_CASE("a load the fleet refuses is the generator's limit") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  runner.refuse = [](const StepLoad& l) {
    return l.load > 300 ? absl::ResourceExhaustedError(
                              "agent capped: its share peaks at 400 requests/s, above this "
                              "agent's --max-rate 300/s")
                        : absl::OkStatus();
  };
  absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK(r->limited_by == LimitedBy::kGenerator);
  CHECK(r->capacity_load == 200);
  CHECK(r->steps.back().run_ids.empty());
  CHECK_THAT(r->steps.back().refusal, ContainsSubstring("--max-rate 300/s"));
  CHECK_THAT(r->advice, ContainsSubstring("add agents: agent capped"));
}

TEST_CASE("a failed confirmation lowers the answer to the last passing step below it") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  runner.tweak = [](const StepLoad& l, StepEvidence& e) {
    if (!l.confirmation) return;
    testing::SyntheticRunOptions o;
    o.duration_s = 10;
    o.rate_rps = 200;
    o.median_ms = 300;
    e.measured = testing::SyntheticSeries(o);
    for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
  };
  absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  REQUIRE(r->confirmation);
  CHECK(r->confirmation->load == 1000);
  CHECK(r->confirmation->judgement.verdict == StepVerdict::kFail);
  CHECK(r->found);
  CHECK(r->capacity_load == 800);
  CHECK(r->interval_hi_rps == 1000);
  CHECK(r->limited_by == LimitedBy::kService);
}

TEST_CASE("no capacity when the first step fails") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 50);
  absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK_FALSE(r->found);
  CHECK(r->stopped_by == "first step failed");
  CHECK(runner.asked.size() == 1);
  CHECK_FALSE(r->confirmation);
}

TEST_CASE("a runner error stops the search with it") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 1000);
  runner.refuse = [](const StepLoad& l) {
    return l.load == 400 ? absl::UnavailableError("cannot reach the controller")
                         : absl::OkStatus();
  };
  absl::StatusOr<CapacityResult> r = SearchCapacity(Options(100), P95Under50(), runner, clock, nullptr);
  CHECK(absl::IsUnavailable(r.status()));
  CHECK(absl::IsInvalidArgument(
      SearchCapacity(Options(0), P95Under50(), runner, clock, nullptr).status()));
}

TEST_CASE("VU steps report the achieved rate") {
  testing::FakeClock clock;
  FakeRunner runner(clock, 40);
  SearchOptions o = Options(5);
  o.model = LoadModel::kVus;
  absl::StatusOr<CapacityResult> r = SearchCapacity(o, P95Under50(), runner, clock, nullptr);
  REQUIRE(r.ok());
  CHECK(runner.asked.front().model == LoadModel::kVus);
  CHECK(r->capacity_load == 40);
  CHECK(r->capacity_rps == r->confirmation->judgement.achieved_rps);
}

}  // namespace
}  // namespace barrage
