// Copyright 2026 The Barrage Authors.
//
// The resource model after a capacity search (capacity_analysis.h): each
// monitor query's cost per request fitted over fixture steps, projected to
// 2x the peak or the capacity, in the text and the JSON.

#include "controller/capacity/capacity_analysis.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/match.h"
#include "controller/capacity/capacity_output.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

namespace rd = result_doc;
using Catch::Matchers::ContainsSubstring;

// A step at `rps` whose cpu is 0.05 + 0.01 per request/s (plus `noise`);
// `db` only when asked.
StepRecord Step(int index, double rps, double noise, bool db = false) {
  StepRecord s;
  s.step = index;
  s.load = static_cast<int64_t>(rps);
  s.judgement.verdict = rps <= 400 ? StepVerdict::kPass : StepVerdict::kFail;
  s.judgement.offered_rps = rps;
  s.judgement.achieved_rps = rps;
  s.judgement.p95_ms = {rps <= 400 ? 12.0 : 300.0, 0, 0};
  s.judgement.monitor_means["cpu"] = 0.05 + 0.01 * rps + noise;
  if (db) s.judgement.monitor_means["db"] = 7;
  return s;
}

CapacityResult Fixture() {
  CapacityResult r;
  r.found = true;
  r.capacity_rps = r.interval_lo_rps = 400;
  r.capacity_load = 400;
  r.interval_hi_rps = 410;
  r.steps = {Step(0, 100, 0.01, true), Step(1, 200, -0.01), Step(2, 800, 0.02, true),
             Step(3, 400, -0.02), Step(4, 600, 0.0)};
  StepRecord refused = Step(5, 1600, 5.0);
  refused.refusal = "above --max-rate";
  r.steps.push_back(refused);
  return r;
}

Slo P95Under50() {
  Slo slo;
  slo.limits.push_back({SloMetric::kP95, 50'000});
  slo.text = "p95<50ms";
  return slo;
}

CapacityAnalysisOptions Monitors() {
  CapacityAnalysisOptions o;
  o.usl.resamples = 0;
  o.monitors = {{"cpu", 3.5}, {"db", std::nullopt}};
  return o;
}

TEST_CASE("a query's resource points are the steps that ran and sampled it") {
  const std::vector<ResourcePoint> cpu = ResourcePointsOf(Fixture(), "cpu");
  REQUIRE(cpu.size() == 5);  // the refused step left out
  CHECK(cpu[2].rate_rps == 800);
  CHECK(std::abs(cpu[2].value - 8.07) < 1e-9);
  CHECK(ResourcePointsOf(Fixture(), "db").size() == 2);
  CHECK(ResourcePointsOf(Fixture(), "memory").empty());
}

TEST_CASE("each monitor query's cost per request is projected to 2x the peak") {
  CapacityAnalysisOptions o = Monitors();
  o.peak_rps = 100;
  o.monthly_growth = 0.08;
  const CapacityHooks hooks = AnalyseCapacity(Fixture(), P95Under50(), o);
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(Fixture(), P95Under50(), hooks));
  REQUIRE(j.ok());
  const std::vector<const rd::Struct*> res = rd::List(*j, "resources");
  REQUIRE(res.size() == 2);
  const rd::Struct& cpu = *res[0];
  CHECK(rd::Str(cpu, "name") == "cpu");
  CHECK(std::abs(rd::Num(cpu, "per_request") - 0.01) < 1e-4);
  const auto& in = rd::Field(cpu, "per_request_interval").list_value();
  REQUIRE(in.values_size() == 2);
  CHECK(in.values(0).number_value() < 0.01);
  CHECK(in.values(1).number_value() > 0.01);
  CHECK(std::abs(rd::Num(cpu, "base") - 0.05) < 0.05);
  CHECK(rd::Num(cpu, "r2") > 0.999);
  CHECK(rd::Num(cpu, "points") == 5);
  const rd::Struct& at = rd::Obj(cpu, "at");
  CHECK(rd::Str(at, "basis") == "peak");
  CHECK(rd::Num(at, "rps") == 200);
  CHECK(std::abs(rd::Num(at, "value") - 2.05) < 0.03);
  CHECK(rd::Field(at, "extrapolated").bool_value() == false);
  const auto& at_in = rd::Field(at, "interval").list_value();
  REQUIRE(at_in.values_size() == 2);
  CHECK(at_in.values(0).number_value() < rd::Num(at, "value"));
  CHECK(at_in.values(1).number_value() > rd::Num(at, "value"));
  CHECK_THAT(rd::Str(cpu, "sentence"),
             ContainsSubstring("cpu grows 0.01 per request/s ("));
  CHECK_THAT(rd::Str(cpu, "sentence"),
             ContainsSubstring("; from the peak of 100/s, at 2x traffic (200/s) you need "
                               "2.05 cpu ("));

  // Two steps sampled db: not fitted, and said why.
  const rd::Struct& db = *res[1];
  CHECK(rd::Str(db, "name") == "db");
  CHECK(rd::Str(db, "error") == "the resource model needs at least 3 steps; have 2");
  CHECK_FALSE(rd::Has(db, "per_request"));

  const std::string text = CapacityText(Fixture(), P95Under50(), hooks);
  CHECK_THAT(text, ContainsSubstring("\nresource: cpu grows 0.01 per request/s"));
  CHECK_THAT(text, ContainsSubstring(
                       "\nresource: db not fitted: the resource model needs at least 3 steps; "
                       "have 2\n"));
}

TEST_CASE("without --peak the resource model projects to 2x the capacity") {
  const CapacityHooks hooks = AnalyseCapacity(Fixture(), P95Under50(), Monitors());
  absl::StatusOr<rd::Struct> j = rd::ParseResultJson(CapacityJson(Fixture(), P95Under50(), hooks));
  REQUIRE(j.ok());
  const rd::Struct& at = rd::Obj(*rd::List(*j, "resources")[0], "at");
  CHECK(rd::Str(at, "basis") == "capacity");
  CHECK(rd::Num(at, "rps") == 800);
  CHECK(std::abs(rd::Num(at, "value") - 8.05) < 0.05);
  CHECK_THAT(CapacityText(Fixture(), P95Under50(), hooks),
             ContainsSubstring("; from the capacity of 400/s, at 2x traffic (800/s) you need "));

  SECTION("beyond the measured rates it says it extrapolates") {
    CapacityResult r = Fixture();
    r.steps.resize(3);  // 100, 200, 800/s measured; the capacity stays 400/s
    r.capacity_rps = 500;
    const std::string text =
        CapacityText(r, P95Under50(), AnalyseCapacity(r, P95Under50(), Monitors()));
    CHECK_THAT(text, ContainsSubstring("(1000/s) you need "));
    CHECK_THAT(text, ContainsSubstring("; extrapolated beyond the measured 100-800/s)"));
  }

  SECTION("no capacity and no --peak: the fit without a projection") {
    CapacityResult r = Fixture();
    r.found = false;
    const CapacityHooks none = AnalyseCapacity(r, P95Under50(), Monitors());
    absl::StatusOr<rd::Struct> n = rd::ParseResultJson(CapacityJson(r, P95Under50(), none));
    REQUIRE(n.ok());
    const rd::Struct& cpu = *rd::List(*n, "resources")[0];
    CHECK(rd::Field(cpu, "at").kind_case() == rd::Value::kNullValue);
    CHECK_THAT(rd::Str(cpu, "sentence"),
               ContainsSubstring("; no --peak and no capacity to project from"));
  }
}

TEST_CASE("without monitor queries there are no resources") {
  CapacityAnalysisOptions o;
  o.usl.resamples = 0;
  const CapacityHooks hooks = AnalyseCapacity(Fixture(), P95Under50(), o);
  CHECK_FALSE(absl::StrContains(CapacityJson(Fixture(), P95Under50(), hooks), "\"resources\""));
  CHECK_FALSE(absl::StrContains(CapacityText(Fixture(), P95Under50(), hooks), "resource:"));
}

}  // namespace
}  // namespace barrage
