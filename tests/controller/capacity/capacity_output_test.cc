// Copyright 2026 The Barrage Authors.

#include "controller/capacity/capacity_output.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/util/exit_codes.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

namespace rd = result_doc;
using Catch::Matchers::ContainsSubstring;

StepRecord Step(int index, int64_t load, StepVerdict verdict, double p95) {
  StepRecord s;
  s.step = index;
  s.load = load;
  s.run_ids = {"r-" + std::to_string(index)};
  s.judgement.verdict = verdict;
  s.judgement.offered_rps = static_cast<double>(load);
  s.judgement.achieved_rps = static_cast<double>(load) - 0.5;
  s.judgement.p50_ms = {10, 9.5, 10.5};
  s.judgement.p95_ms = {p95, p95 - 1, p95 + 1};
  s.judgement.p99_ms = {p95 + 5, p95 + 4, p95 + 6};
  s.judgement.error_rate = {0.001, 0.0005, 0.002};
  s.judgement.measured_s = 4;
  if (verdict != StepVerdict::kPass) s.judgement.reason = "p95 too high";
  return s;
}

CapacityResult Found() {
  CapacityResult r;
  r.found = true;
  r.capacity_load = 400;
  r.capacity_rps = 400;
  r.interval_lo_rps = 400;
  r.interval_hi_rps = 406;
  r.stopped_by = "resolution";
  r.steps = {Step(0, 200, StepVerdict::kPass, 12), Step(1, 400, StepVerdict::kPass, 14),
             Step(2, 800, StepVerdict::kFail, 900), Step(3, 406, StepVerdict::kFail, 60)};
  r.confirmation = Step(4, 400, StepVerdict::kPass, 14);
  r.confirmation->confirmation = true;
  r.knee_rps = 406;
  r.knee_before_rps = 400;
  return r;
}

Slo P95() {
  Slo slo;
  slo.limits = {{SloMetric::kP95, 50'000}, {SloMetric::kErrorRate, 0.01}};
  slo.text = "p95<50ms,error_rate<1%";
  return slo;
}

TEST_CASE("the capacity JSON is versioned and carries every step") {
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(Found(), P95()));
  REQUIRE(j.ok());
  CHECK(rd::Num(*j, "version") == 1);
  CHECK(rd::Num(*j, "capacity_rps") == 400);
  CHECK(rd::Str(*j, "limited_by") == "service");
  CHECK(rd::Str(*j, "model") == "rate");
  const auto& interval = rd::Field(*j, "interval_rps").list_value();
  REQUIRE(interval.values_size() == 2);
  CHECK(interval.values(0).number_value() == 400);
  CHECK(interval.values(1).number_value() == 406);
  CHECK(rd::Field(*j, "usl").kind_case() == rd::Value::kNullValue);
  CHECK_FALSE(rd::Has(*j, "projection"));
  CHECK_FALSE(rd::Has(*j, "bottleneck"));
  CHECK_FALSE(rd::Has(*j, "advice"));
  const std::vector<const rd::Struct*> steps = rd::List(*j, "steps");
  REQUIRE(steps.size() == 4);
  for (const char* key : {"offered_rps", "achieved_rps", "vus", "p50_ms", "p95_ms", "p99_ms",
                          "p95_upper_ms", "error_rate", "error_rate_upper", "verdict",
                          "run_ids"}) {
    CHECK(rd::Has(*steps[0], key));
  }
  CHECK(rd::Num(*steps[1], "p95_upper_ms") == 15);
  CHECK(rd::Str(*steps[2], "verdict") == "FAIL");
  CHECK(rd::Str(rd::Obj(*j, "confirmation"), "verdict") == "PASS");
  CHECK(rd::Num(rd::Obj(*j, "knee"), "rps") == 406);
  const std::vector<const rd::Struct*> limits = rd::List(rd::Obj(*j, "slo"), "limits");
  REQUIRE(limits.size() == 2);
  CHECK(rd::Num(*limits[0], "limit_ms") == 50);
  CHECK(rd::Num(*limits[1], "limit") == 0.01);
}

TEST_CASE("the hooks fill usl, projection and bottleneck") {
  CapacityHooks hooks;
  hooks.usl_json = [](JsonWriter& j) { j.BeginObject().Key("sigma").Double(0.05).EndObject(); };
  hooks.bottleneck_json = [](JsonWriter& j) { j.String("cpu"); };
  hooks.text = "usl: sigma 0.05\n";
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(Found(), P95(), hooks));
  REQUIRE(j.ok());
  CHECK(rd::Num(rd::Obj(*j, "usl"), "sigma") == 0.05);
  CHECK(rd::Str(*j, "bottleneck") == "cpu");
  CHECK_FALSE(rd::Has(*j, "projection"));
  CHECK_THAT(CapacityText(Found(), P95(), hooks), ContainsSubstring("usl: sigma 0.05\n"));
}

TEST_CASE("the text gives the answer, the confirmation, the knee and the table") {
  const std::string text = CapacityText(Found(), P95());
  CHECK_THAT(text, ContainsSubstring("capacity: 400.0/s (interval 400.0/s .. 406.0/s) within "
                                     "SLO p95<50ms,error_rate<1%, limited by the service\n"));
  CHECK_THAT(text, ContainsSubstring("confirmation at 400/s: PASS\n"));
  CHECK_THAT(text, ContainsSubstring("knee: p95 at least doubles between 400.0/s and 406.0/s\n"));
  CHECK_THAT(text, ContainsSubstring("STEP    OFFERED   ACHIEVED"));
  CHECK_THAT(text, ContainsSubstring("800/s"));
  CHECK_THAT(text, ContainsSubstring("PASS (confirmation)"));
  CHECK(CapacityExitCode(Found()) == kExitPassed);
}

TEST_CASE("a generator-bound answer says so with its advice") {
  CapacityResult r = Found();
  r.limited_by = LimitedBy::kGenerator;
  r.advice = "add agents or workers: agent a1 was saturated at 812/s";
  r.confirmation.reset();
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(r, P95()));
  REQUIRE(j.ok());
  CHECK(rd::Str(*j, "limited_by") == "generator");
  CHECK(rd::Str(*j, "advice") == r.advice);
  CHECK(rd::Field(*j, "confirmation").kind_case() == rd::Value::kNullValue);
  CHECK_THAT(CapacityText(r, P95()),
             ContainsSubstring("limited by the generator, not the service"));
}

TEST_CASE("no capacity: null capacity_rps and exit 99") {
  CapacityResult r;
  r.steps = {Step(0, 200, StepVerdict::kFail, 90)};
  r.stopped_by = "first step failed";
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(r, P95()));
  REQUIRE(j.ok());
  CHECK(rd::Field(*j, "capacity_rps").kind_case() == rd::Value::kNullValue);
  CHECK_THAT(CapacityText(r, P95()),
             ContainsSubstring("capacity: none found: the first step (200/s) did not pass"));
  CHECK(CapacityExitCode(r) == kExitThresholdFailed);
}

TEST_CASE("a step's progress line has its bounds and verdict") {
  const std::string line = StepProgressLine(Step(2, 800, StepVerdict::kFail, 900));
  CHECK(line ==
        "step 2  rate 800/s  achieved 799.5/s  p50 10.0 ms [9.5, 10.5]  p95 900.0 ms "
        "[899.0, 901.0]  p99 905.0 ms [904.0, 906.0]  errors 0.10% (<= 0.20%)  FAIL (1 run): "
        "p95 too high");
  StepRecord refused = Step(3, 900, StepVerdict::kGenerator, 0);
  refused.refusal = "above --max-rate";
  CHECK(StepProgressLine(refused) == "step 3  rate 900/s  refused: above --max-rate  GENERATOR-BOUND");
}

TEST_CASE("the step line and the table show each monitor query's step mean") {
  CapacityResult r = Found();
  r.steps[0].judgement.monitor_means = {{"cpu", 2.0}, {"in_service", 1.98765}};
  r.steps[1].judgement.monitor_means = {{"cpu", 3.99}, {"in_service", 3.9}};
  r.steps[2].judgement.monitor_means = {{"cpu", 4.0}, {"in_service", 12345.6}};
  r.steps[3].judgement.monitor_means = {{"cpu", 0.0101}};  // in_service not sampled
  CHECK(StepProgressLine(r.steps[0]) ==
        "step 0  rate 200/s  achieved 199.5/s  p50 10.0 ms [9.5, 10.5]  p95 12.0 ms "
        "[11.0, 13.0]  p99 17.0 ms [16.0, 18.0]  errors 0.10% (<= 0.20%)  cpu 2  "
        "in_service 1.99  PASS (1 run)");
  const std::string text = CapacityText(r, P95());
  CHECK_THAT(text, ContainsSubstring("    P99 MS   ERRORS     cpu  in_service  VERDICT\n"));
  CHECK_THAT(text, ContainsSubstring("    0.10%       2        1.99  PASS\n"));
  CHECK_THAT(text, ContainsSubstring("    0.10%       4       12346  FAIL\n"));
  CHECK_THAT(text, ContainsSubstring("    0.10%  0.0101           -  FAIL\n"));
  CHECK_THAT(text, ContainsSubstring("    0.10%       -           -  PASS (confirmation)\n"));
}

TEST_CASE("without monitor samples the table has no monitor columns") {
  const std::string text = CapacityText(Found(), P95());
  CHECK_THAT(text, ContainsSubstring("    P99 MS   ERRORS  VERDICT\n"));
  CHECK_THAT(text, ContainsSubstring("    0.10%  PASS\n"));
}

}  // namespace
}  // namespace barrage
