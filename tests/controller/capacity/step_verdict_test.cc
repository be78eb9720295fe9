// Copyright 2026 The Barrage Authors.

#include "controller/capacity/step_verdict.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/util/json_writer.h"
#include "controller/report/time_series.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Equals;

// A step's measured intervals from a seeded synthetic run; the plan's
// offered rate is what arrived (as a generator keeping up reports it).
StepEvidence Synthetic(double median_ms, double rate, int seconds, double error_rate = 0,
                       uint64_t seed = 7) {
  testing::SyntheticRunOptions o;
  o.seed = seed;
  o.duration_s = seconds;
  o.rate_rps = rate;
  o.median_ms = median_ms;
  o.error_rate = error_rate;
  StepEvidence e;
  e.measured = testing::SyntheticSeries(o);
  for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps;
  e.agents.push_back({"a1"});
  return e;
}

Slo MustParse(const char* text) {
  absl::StatusOr<Slo> slo = ParseSlo(text);
  REQUIRE(slo.ok());
  return *slo;
}

TEST_CASE("ParseSlo reads percentile and error-rate limits") {
  const Slo slo = MustParse("p95<200ms, error_rate<1%,p99<1.5s");
  REQUIRE(slo.limits.size() == 3);
  CHECK(slo.limits[0].metric == SloMetric::kP95);
  CHECK(slo.limits[0].limit == 200'000);
  CHECK(slo.limits[1].metric == SloMetric::kErrorRate);
  CHECK(slo.limits[1].limit == 0.01);
  CHECK(slo.limits[2].limit == 1'500'000);
  CHECK(slo.text == "p95<200ms, error_rate<1%,p99<1.5s");
}

TEST_CASE("ParseSlo names the item that is wrong") {
  auto error = [](const char* text) {
    absl::StatusOr<Slo> slo = ParseSlo(text);
    REQUIRE_FALSE(slo.ok());
    CHECK(absl::IsInvalidArgument(slo.status()));
    return std::string(slo.status().message());
  };
  CHECK_THAT(error("p95<"), Equals("'p95<' has no limit"));
  CHECK_THAT(error("p95<200ms,p97<5ms"),
             Equals("'p97<5ms': unknown metric 'p97' (p50, p95, p99 or error_rate)"));
  CHECK_THAT(error("p95=5ms"), Equals("'p95=5ms' has no '<'"));
  CHECK_THAT(error("p95<5ms,p95<6ms"), Equals("p95 is given twice"));
  CHECK_THAT(error("p95<fast"), ContainsSubstring("'p95<fast': "));
  CHECK_THAT(error("p95<0ms"), Equals("'p95<0ms': the limit must be > 0"));
  CHECK_THAT(error("error_rate<150%"), ContainsSubstring("'error_rate<150%': "));
  CHECK_THAT(error(" , "), ContainsSubstring("no limits"));
}

TEST_CASE("a step well under its limits passes, one well over them fails") {
  const Slo slo = MustParse("p95<50ms,error_rate<1%");
  const StepJudgement pass = JudgeStep(Synthetic(10, 300, 20), slo, VerdictOptions());
  CHECK(pass.verdict == StepVerdict::kPass);
  CHECK(pass.reason.empty());
  CHECK(pass.p95_ms.lo <= pass.p95_ms.value);
  CHECK(pass.p95_ms.value <= pass.p95_ms.hi);
  CHECK(pass.p95_ms.hi < 50);
  CHECK(pass.measured_s == 20);
  CHECK(pass.achieved_rps > 250);

  const StepJudgement slow = JudgeStep(Synthetic(100, 300, 20), slo, VerdictOptions());
  CHECK(slow.verdict == StepVerdict::kFail);
  CHECK(slow.p95_ms.lo >= 50);
  CHECK_THAT(slow.reason, ContainsSubstring("p95 "));
  CHECK_THAT(slow.reason, ContainsSubstring(">= 50.0 ms"));

  const StepJudgement errors = JudgeStep(Synthetic(10, 300, 20, 0.05), slo, VerdictOptions());
  CHECK(errors.verdict == StepVerdict::kFail);
  CHECK(errors.error_rate.lo >= 0.01);
  CHECK_THAT(errors.reason, ContainsSubstring("error_rate"));
}

TEST_CASE("a step whose interval straddles a limit is undecided") {
  // Lognormal sigma 0.3: p95 = median * exp(1.645 * 0.3) = median * 1.638,
  // so a 30.5 ms median puts p95 on the 50 ms limit.
  const Slo slo = MustParse("p95<50ms");
  const StepJudgement j = JudgeStep(Synthetic(30.5, 200, 10), slo, VerdictOptions());
  CHECK(j.verdict == StepVerdict::kUndecided);
  CHECK(j.p95_ms.lo < 50);
  CHECK(j.p95_ms.hi >= 50);
  CHECK_THAT(j.reason, ContainsSubstring("straddles 50.0 ms"));
}

TEST_CASE("a saturated or dropping generator makes the step generator-bound") {
  const Slo slo = MustParse("p95<50ms");
  StepEvidence e = Synthetic(10, 300, 10);
  e.agents[0].saturated_intervals = 3;
  e.agents[0].achieved_rps = 812;
  StepJudgement j = JudgeStep(e, slo, VerdictOptions());
  CHECK(j.verdict == StepVerdict::kGenerator);
  CHECK_THAT(j.advice, Equals("add agents or workers: agent a1 was saturated at 812/s"));
  CHECK_THAT(j.reason, ContainsSubstring("saturated in 3 interval(s)"));

  SECTION("even when the latency is over the limit: it cannot be trusted") {
    StepEvidence slow = Synthetic(100, 300, 10);
    slow.agents[0].dropped = 40;
    j = JudgeStep(slow, slo, VerdictOptions());
    CHECK(j.verdict == StepVerdict::kGenerator);
    CHECK_THAT(j.reason, ContainsSubstring("dropped 40 arrival(s)"));
  }
  SECTION("a full in-flight budget with fine latency is the generator's") {
    e.agents[0].saturated_intervals = 0;
    e.agents[0].in_flight_capped_intervals = 2;
    j = JudgeStep(e, slo, VerdictOptions());
    CHECK(j.verdict == StepVerdict::kGenerator);
    CHECK_THAT(j.advice, ContainsSubstring("--max-in-flight"));
  }
  SECTION("a full in-flight budget behind a slow service is the service's failure") {
    StepEvidence slow = Synthetic(100, 300, 10);
    slow.agents[0].in_flight_capped_intervals = 2;
    j = JudgeStep(slow, slo, VerdictOptions());
    CHECK(j.verdict == StepVerdict::kFail);
  }
}

TEST_CASE("achieved below offered is the generator's when the latency is fine") {
  const Slo slo = MustParse("p95<50ms");
  StepEvidence e = Synthetic(10, 300, 10);
  for (SeriesInterval& in : e.measured.intervals) in.offered_rps = in.achieved_rps / 0.9;
  StepJudgement j = JudgeStep(e, slo, VerdictOptions());
  CHECK(j.verdict == StepVerdict::kGenerator);
  CHECK_THAT(j.reason, ContainsSubstring("(90.0%) while the latency met the SLO"));

  StepEvidence slow = Synthetic(100, 300, 10);
  for (SeriesInterval& in : slow.measured.intervals) in.offered_rps = in.achieved_rps / 0.9;
  j = JudgeStep(slow, slo, VerdictOptions());
  CHECK(j.verdict == StepVerdict::kFail);
  CHECK_THAT(j.reason, ContainsSubstring("achieved"));
}

TEST_CASE("a step without results fails") {
  StepEvidence e;
  const StepJudgement j = JudgeStep(e, MustParse("p95<50ms"), VerdictOptions());
  CHECK(j.verdict == StepVerdict::kFail);
  CHECK_THAT(j.reason, Equals("no results in the measured intervals"));
}

TEST_CASE("the evidence of a result JSON leaves out the warm-up") {
  testing::SyntheticRunOptions o;
  o.duration_s = 10;
  o.rate_rps = 50;
  absl::StatusOr<StepEvidence> e = EvidenceFromResultJson(testing::SyntheticRunJson(o), 3);
  REQUIRE(e.ok());
  REQUIRE(e->measured.intervals.size() == 7);
  CHECK(e->measured.intervals.front().start_s == 3);
  CHECK(e->measured.requests == o.requests);
  absl::StatusOr<StepEvidence> cut = EvidenceFromResultJson(testing::SyntheticRunJson(o), 3, 8);
  REQUIRE(cut.ok());
  CHECK(cut->measured.intervals.size() == 5);

  CHECK(absl::IsNotFound(EvidenceFromResultJson("{\"version\": 1}", 0).status()));
  CHECK(absl::IsInvalidArgument(EvidenceFromResultJson("[1]", 0).status()));
}

TEST_CASE("a result's monitor samples reach the step's monitor means") {
  testing::SyntheticRunOptions o;
  o.duration_s = 6;
  o.rate_rps = 50;
  RunSeries series = testing::SyntheticSeries(o);
  series.monitor = {"cpu", "in_service"};
  for (SeriesInterval& in : series.intervals) {
    in.monitor = {MonitorCell{in.start_s, 1}, MonitorCell{}};  // in_service never sampled
  }
  JsonWriter j;
  j.BeginObject().Key("version").Int(1).Key("duration_s").Int(6).Key("series");
  WriteSeriesJson(series, j);
  j.Key("agents").BeginArray().EndArray().EndObject();
  absl::StatusOr<StepEvidence> e = EvidenceFromResultJson(j.text(), 2);  // intervals 2..5
  REQUIRE(e.ok());
  CHECK(e->measured.monitor == series.monitor);
  const StepJudgement m = JudgeStep(*e, MustParse("p95<50ms"), VerdictOptions());
  CHECK(m.monitor_means == std::map<std::string, double>{{"cpu", 3.5}});
}

TEST_CASE("a step read from a result JSON keeps its monitor queries' means") {
  testing::SyntheticRunOptions o;
  o.duration_s = 6;
  o.rate_rps = 50;
  RunSeries series = testing::SyntheticSeries(o);
  series.monitor = {"cpu"};
  for (SeriesInterval& in : series.intervals) {
    in.monitor = {MonitorCell{in.start_s < 2 ? 100.0 : 2 * 0.5, in.start_s < 2 ? 1u : 2u}};
  }
  JsonWriter json;
  json.BeginObject().Key("version").Int(1).Key("series");
  WriteSeriesJson(series, json);
  json.EndObject();
  absl::StatusOr<StepEvidence> e = EvidenceFromResultJson(json.text(), 2);
  REQUIRE(e.ok());
  CHECK(e->measured.monitor == std::vector<std::string>{"cpu"});
  const StepJudgement j = JudgeStep(*e, MustParse("p95<1s"), VerdictOptions());
  REQUIRE(j.monitor_means.count("cpu") == 1);
  CHECK(j.monitor_means.at("cpu") == 0.5);  // the warm-up's samples left out
}

TEST_CASE("pooled runs follow one another and add their agents' counters") {
  StepEvidence pooled;
  StepEvidence a = Synthetic(10, 100, 4, 0, 1);
  a.agents[0].saturated_intervals = 1;
  StepEvidence b = Synthetic(10, 100, 3, 0, 2);
  b.measured.intervals.erase(b.measured.intervals.begin());  // starts at 1 s
  b.agents[0].saturated_intervals = 2;
  b.agents.push_back({"a2"});
  REQUIRE(PoolEvidence(a, pooled).ok());
  REQUIRE(PoolEvidence(b, pooled).ok());
  REQUIRE(pooled.measured.intervals.size() == 6);
  for (size_t i = 0; i < 6; ++i) CHECK(pooled.measured.intervals[i].start_s == i);
  REQUIRE(pooled.agents.size() == 2);
  CHECK(pooled.agents[0].saturated_intervals == 3);

  StepEvidence other = Synthetic(10, 100, 2);
  other.measured.requests = {"post"};
  CHECK(absl::IsInvalidArgument(PoolEvidence(other, pooled)));
}

}  // namespace
}  // namespace barrage
