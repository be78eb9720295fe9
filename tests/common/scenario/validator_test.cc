// Copyright 2026 The Barrage Authors.

#include "common/scenario/validator.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/scenario/fields.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

RequestSpec Request(const std::string& name) {
  RequestSpec r;
  r.name = name;
  r.method = "GET";
  r.path = "/";
  r.timeout = absl::Seconds(5);
  return r;
}

Stage RateStage(Rational rate, absl::Duration duration = absl::Seconds(10)) {
  Stage st;
  st.kind = Stage::Kind::kRate;
  st.duration = duration;
  st.rate_from = rate;
  st.rate_to = rate;
  return st;
}

Stage VuStage(int64_t vus) {
  Stage st;
  st.kind = Stage::Kind::kVus;
  st.duration = absl::Seconds(10);
  st.vus_from = vus;
  st.vus_to = vus;
  return st;
}

// A valid scenario: one request, one rate stage, no thresholds.
Scenario Base() {
  Scenario s;
  s.name = "base";
  s.target = *ParseTargetField("http://127.0.0.1:8080");
  s.requests.push_back(Request("a"));
  s.stages.push_back(RateStage(Rational::FromInt(1)));
  return s;
}

Threshold Latency(double micros) {
  Threshold t;
  t.metric = ThresholdMetric::kP95;
  t.limit = micros;
  return t;
}

// Each problem as "path: message".
std::vector<std::string> Problems(const Scenario& s,
                                  const ScenarioLimits& limits = {}) {
  std::vector<std::string> out;
  for (const ScenarioProblem& p : FindScenarioProblems(s, limits)) {
    out.push_back(absl::StrCat(p.path, ": ", p.message));
  }
  return out;
}

// The one problem of `s`.
std::string Only(const Scenario& s, const ScenarioLimits& limits = {}) {
  std::vector<std::string> p = Problems(s, limits);
  INFO(absl::StrJoin(p, "\n"));
  REQUIRE(p.size() == 1);
  return p[0];
}

TEST_CASE("the base scenario is valid") {
  CHECK(Problems(Base()).empty());
  CHECK(ValidateScenario(Base()).ok());
}

TEST_CASE(
    "exactly 1,000 requests are accepted and 1,001 refused naming the limit") {
  Scenario s = Base();
  s.requests.clear();
  for (int i = 0; i < 1000; ++i)
    s.requests.push_back(Request(absl::StrCat("r", i)));
  CHECK(Problems(s).empty());
  s.requests.push_back(Request("one-too-many"));
  CHECK(Only(s) ==
        "requests: 1,001 requests is over the limit of 1,000 per scenario");
  absl::Status status = ValidateScenario(s);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(status.message() ==
        "requests: 1,001 requests is over the limit of 1,000 per scenario");
}

TEST_CASE("limits can be tightened") {
  ScenarioLimits limits;
  limits.max_requests = 1;
  Scenario s = Base();
  s.requests.push_back(Request("b"));
  CHECK(Only(s, limits) ==
        "requests: 2 requests is over the limit of 1 per scenario");
}

TEST_CASE("scenario name and target") {
  Scenario s = Base();
  s.name = "";
  CHECK(Only(s) == "name: must be 1-128 characters on one line");
  s.name = std::string(128, 'n');
  CHECK(Problems(s).empty());
  s.name = std::string(129, 'n');
  CHECK(Only(s) == "name: must be 1-128 characters on one line");
  s.name = "two\nlines";
  CHECK(Only(s) == "name: must be 1-128 characters on one line");
  s = Base();
  s.target = Target{};
  CHECK(Only(s) == "target: must be an http:// or https:// URL with a host");
}

TEST_CASE("agents policy") {
  Scenario s = Base();
  s.agents.min = 0;
  CHECK(Only(s) == "agents.min: 0 is outside 1..10000");
  s.agents.min = 10'000;
  CHECK(Problems(s).empty());
  s.agents.min = 10'001;
  CHECK(Only(s) == "agents.min: 10001 is outside 1..10000");
  s = Base();
  s.agents.wait = absl::ZeroDuration();
  CHECK(Problems(s).empty());
  s.agents.wait = absl::Seconds(-1);
  CHECK(Only(s) == "agents.wait: must not be negative");
  s.agents.wait = absl::Microseconds(1500);
  CHECK(Only(s) == "agents.wait: must be a whole number of milliseconds");
}

TEST_CASE("requests: count, names and uniqueness") {
  Scenario s = Base();
  s.requests.clear();
  CHECK(Only(s) == "requests: must hold at least one request");
  s = Base();
  s.requests[0].name = "critical runbook";
  CHECK(Only(s) ==
        "requests[0].name: 'critical runbook' must be 1-64 characters of A-Z "
        "a-z 0-9 _ . - (it becomes a metric label)");
  s.requests[0].name = std::string(64, 'x');
  CHECK(Problems(s).empty());
  s.requests[0].name = std::string(65, 'x');
  CHECK_THAT(Only(s), ContainsSubstring("requests[0].name: "));
  s = Base();
  s.requests.push_back(Request("b"));
  s.requests.push_back(Request("a"));
  CHECK(Only(s) ==
        "requests[2].name: duplicate request name 'a' (first used by "
        "requests[0])");
}

TEST_CASE("requests: method and path are sendable") {
  Scenario s = Base();
  for (const char* m :
       {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    s.requests[0].method = m;
    CHECK(Problems(s).empty());
  }
  s.requests[0].method = "get";
  CHECK(Only(s) ==
        "requests[0].method: 'get' is not one of GET HEAD POST PUT PATCH "
        "DELETE OPTIONS");
  s.requests[0].method = "BREW";
  CHECK_THAT(Only(s), ContainsSubstring("'BREW' is not one of"));
  s = Base();
  s.requests[0].path = "x";
  CHECK(Only(s) == "requests[0].path: must start with '/'");
  s.requests[0].path = "";
  CHECK(Only(s) == "requests[0].path: must start with '/'");
  s.requests[0].path = "/a b";
  CHECK(Only(s) ==
        "requests[0].path: may not contain whitespace (percent-encode it)");
  s.requests[0].path = std::string("/a\0b", 4);
  CHECK(Only(s) ==
        "requests[0].path: may not contain control characters (percent-encode "
        "them)");
  s.requests[0].path = "/search?q=disk%20full&limit=10";
  CHECK(Problems(s).empty());
}

TEST_CASE("requests: weights, timeouts and expected statuses") {
  Scenario s = Base();
  s.requests[0].weight = 0;
  CHECK(Only(s) == "requests[0].weight: 0 is outside 1..1000000");
  s.requests[0].weight = 1'000'000;
  CHECK(Problems(s).empty());
  s.requests[0].weight = 1'000'001;
  CHECK(Only(s) == "requests[0].weight: 1000001 is outside 1..1000000");
  s = Base();
  s.requests[0].timeout = absl::ZeroDuration();
  CHECK(Only(s) == "requests[0].timeout: must be longer than zero");
  s.requests[0].timeout = absl::Milliseconds(-5);
  CHECK(Only(s) == "requests[0].timeout: must not be negative");
  // The wire carries milliseconds: 1.5 ms would arrive as 1 ms.
  s.requests[0].timeout = absl::Microseconds(1500);
  CHECK(Only(s) ==
        "requests[0].timeout: must be a whole number of milliseconds");
  s = Base();
  s.requests[0].expect_status = {100, 599};
  CHECK(Problems(s).empty());
  s.requests[0].expect_status = {200, 99, 600};
  CHECK(Problems(s) ==
        std::vector<std::string>{
            "requests[0].expect.status[1]: 99 is outside 100..599",
            "requests[0].expect.status[2]: 600 is outside 100..599"});
  s = Base();
  s.default_timeout = absl::ZeroDuration();
  CHECK(Only(s) == "defaults.timeout: must be longer than zero");
}

TEST_CASE("requests: headers are tokens, single-line, unique and few") {
  Scenario s = Base();
  s.requests[0].headers = {{"Bad Name", "x"}};
  CHECK(Only(s) ==
        "requests[0].headers.Bad Name: is not a valid HTTP header name");
  s.requests[0].headers = {{"X-A", "a\r\nInjected: 1"}};
  CHECK(Only(s) ==
        "requests[0].headers.X-A: header values may not contain newlines");
  s.requests[0].headers = {{"Accept", "a"}, {"accept", "b"}};
  CHECK(Only(s) == "requests[0].headers.accept: duplicate header");
  s.requests[0].headers.clear();
  for (int i = 0; i < 100; ++i) {
    s.requests[0].headers.emplace_back(absl::StrCat("X-", i), "v");
  }
  CHECK(Problems(s).empty());
  s.requests[0].headers.emplace_back("X-100", "v");
  CHECK(
      Only(s) ==
      "requests[0].headers: 101 headers is over the limit of 100 per request");
  s = Base();
  s.default_headers = {{"Bad:Name", "x"}};
  CHECK(Only(s) ==
        "defaults.headers.Bad:Name: is not a valid HTTP header name");
}

TEST_CASE("requests: a body is at most 1 MiB") {
  Scenario s = Base();
  s.requests[0].body = std::string(size_t{1} << 20, 'b');
  CHECK(Problems(s).empty());
  s.requests[0].body.push_back('!');
  CHECK(Only(s) ==
        "requests[0].body: 1,048,577 bytes is over the limit of 1,048,576 per "
        "request body");
}

TEST_CASE("stages: count and durations") {
  Scenario s = Base();
  s.stages.clear();
  CHECK(Only(s) == "stages: must hold at least one stage");
  s.stages.assign(10'000, RateStage(Rational::FromInt(1)));
  CHECK(Problems(s).empty());
  s.stages.push_back(RateStage(Rational::FromInt(1)));
  CHECK(Only(s) ==
        "stages: 10,001 stages is over the limit of 10,000 per scenario");
  s = Base();
  s.stages[0].duration = absl::ZeroDuration();
  CHECK(Only(s) == "stages[0].duration: must be longer than zero");
  s.stages[0].duration = absl::Seconds(-1);
  CHECK(Only(s) == "stages[0].duration: must be longer than zero");
  s.stages[0].duration = absl::Microseconds(10'000'500);
  CHECK(Only(s) ==
        "stages[0].duration: must be a whole number of milliseconds");
  s.stages[0].duration = absl::Hours(24 * 31);
  CHECK(Problems(s).empty());
  s.stages[0].duration = absl::Hours(24 * 31) + absl::Milliseconds(1);
  CHECK(Only(s) == "stages[0].duration: is longer than 31 days");
}

TEST_CASE("stages: rates are exact, bounded and schedule something") {
  Scenario s = Base();
  s.stages[0] = RateStage(Rational::FromInt(0));
  CHECK(Only(s) == "stages[0].rate: must be above 0/s");
  s.stages[0] = RateStage(Rational(-5, 1));
  CHECK(Only(s) == "stages[0].rate: must not be negative");
  s.stages[0] = RateStage(Rational(1, 0));
  CHECK(Only(s) ==
        "stages[0].rate: is not a rate with a denominator of 1..3600000");
  s.stages[0] = RateStage(Rational(3'600'000, 3'600'001));
  CHECK(Only(s) ==
        "stages[0].rate: is not a rate with a denominator of 1..3600000");
  s.stages[0] = RateStage(Rational::FromInt(10'000'000));
  CHECK(Problems(s).empty());
  s.stages[0] = RateStage(Rational::FromInt(10'000'001));
  CHECK(Only(s) == "stages[0].rate: is above the limit of 10000000/s");
  s.stages[0] = RateStage(Rational(1, 3600));
  CHECK(Only(s) ==
        "stages[0].rate: schedules 0.00277778 requests in 10s: it rounds to "
        "nothing (a stage needs >= 1)");
  s.stages[0] = RateStage(Rational(1, 10));
  CHECK(Problems(s).empty());  // exactly one request in 10 s
}

TEST_CASE("stages: ramps and the open/closed split") {
  Scenario s = Base();
  Stage ramp = RateStage(Rational::FromInt(0));
  ramp.kind = Stage::Kind::kRateRamp;
  ramp.rate_to = Rational::FromInt(10);
  s.stages[0] = ramp;
  CHECK(Problems(s).empty());
  s.stages[0].rate_to = Rational::FromInt(0);
  CHECK(Only(s) == "stages[0].rate: must be above 0/s");
  s.stages[0].rate_to = Rational::FromInt(20'000'000);
  CHECK(Only(s) == "stages[0].to: is above the limit of 10000000/s");
  s.stages[0] = RateStage(Rational::FromInt(1));
  s.stages[0].rate_to = Rational::FromInt(2);
  CHECK(Only(s) ==
        "stages[0].to: a constant stage has one rate (make it a ramp)");
  s.stages[0] = RateStage(Rational::FromInt(1));
  s.stages[0].think = absl::Seconds(1);
  CHECK(Only(s) ==
        "stages[0].think: applies only to closed-model (vus) stages");
  s.stages[0] = RateStage(Rational::FromInt(1));
  s.stages[0].vus_from = 5;
  CHECK(
      Only(s) ==
      "stages[0].vus: a stage is either open (rate) or closed (vus), not both");
}

TEST_CASE("stages: virtual users") {
  Scenario s = Base();
  s.stages[0] = VuStage(1);
  s.stages[0].think = absl::Milliseconds(100);
  CHECK(Problems(s).empty());
  s.stages[0] = VuStage(0);
  CHECK(Only(s) == "stages[0].vus: must be at least 1");
  s.stages[0] = VuStage(-5);
  CHECK(Only(s) == "stages[0].vus: -5 is outside 0..1000000");
  s.stages[0] = VuStage(1'000'000);
  CHECK(Problems(s).empty());
  s.stages[0] = VuStage(1'000'001);
  CHECK(Only(s) == "stages[0].vus: 1000001 is outside 0..1000000");
  s.stages[0] = VuStage(0);
  s.stages[0].kind = Stage::Kind::kVusRamp;
  CHECK(Only(s) == "stages[0].vus: a ramp needs at least one end above 0");
  s.stages[0].vus_to = 5;
  CHECK(Problems(s).empty());
  s.stages[0].vus_to = 2'000'000;
  CHECK(Only(s) == "stages[0].to: 2000000 is outside 0..1000000");
  s.stages[0] = VuStage(3);
  s.stages[0].vus_to = 4;
  CHECK(
      Only(s) ==
      "stages[0].to: a constant stage has one number of VUs (make it a ramp)");
  s.stages[0] = VuStage(3);
  s.stages[0].rate_from = Rational::FromInt(1);
  CHECK(Only(s) ==
        "stages[0].rate: a stage is either open (rate) or closed (vus), not "
        "both");
  s.stages[0] = VuStage(3);
  s.stages[0].think = absl::Milliseconds(-1);
  CHECK(Only(s) == "stages[0].think: must not be negative");
  s.stages[0].think = absl::Microseconds(100);
  CHECK(Only(s) == "stages[0].think: must be a whole number of milliseconds");
}

TEST_CASE("thresholds: the limit agrees with the metric") {
  Scenario s = Base();
  s.thresholds = {Latency(200'000)};
  CHECK(Problems(s).empty());
  s.thresholds = {Latency(0)};
  CHECK(Only(s) == "thresholds[0].below: must be longer than zero");
  s.thresholds[0].above = true;
  CHECK(Only(s) == "thresholds[0].above: must be longer than zero");
  s.thresholds = {Latency(std::nan(""))};
  CHECK(Only(s) == "thresholds[0].below: must be longer than zero");
  s.thresholds = {Latency(2e15)};
  CHECK(Only(s) == "thresholds[0].below: is above the limit of 1e+15");

  Threshold errors;
  errors.metric = ThresholdMetric::kErrorRate;
  errors.limit = 1.0;
  s.thresholds = {errors};
  CHECK(Problems(s).empty());
  s.thresholds[0].limit = 1.5;
  CHECK(Only(s) == "thresholds[0].below: is outside 0%..100%");
  s.thresholds[0].limit = -0.1;
  CHECK(Only(s) == "thresholds[0].below: is outside 0%..100%");

  Threshold rps;
  rps.metric = ThresholdMetric::kRps;
  rps.above = true;
  rps.limit = 0;
  s.thresholds = {rps};
  CHECK(Problems(s).empty());
  s.thresholds[0].limit = -1;
  CHECK(Only(s) == "thresholds[0].above: must not be negative");
}

TEST_CASE(
    "thresholds: requests named exist, windows are positive, few of them") {
  Scenario s = Base();
  s.thresholds = {Latency(1000), Latency(1000)};
  s.thresholds[0].request = "a";
  s.thresholds[1].request = "b";
  CHECK(Only(s) == "thresholds[1].request: 'b' is not the name of a request");
  s = Base();
  s.thresholds = {Latency(1000)};
  s.thresholds[0].whole_run = false;
  s.thresholds[0].window = absl::Minutes(1);
  CHECK(Problems(s).empty());
  s.thresholds[0].window = absl::ZeroDuration();
  CHECK(Only(s) == "thresholds[0].window: must be longer than zero");
  s.thresholds[0].window = absl::Microseconds(1);
  CHECK(Only(s) ==
        "thresholds[0].window: must be a whole number of milliseconds");
  s = Base();
  s.thresholds.assign(1'000, Latency(1000));
  CHECK(Problems(s).empty());
  s.thresholds.push_back(Latency(1000));
  CHECK(Only(s) ==
        "thresholds: 1,001 thresholds is over the limit of 1,000 per scenario");
}

TEST_CASE("every problem is found, in field order, and the status lists 25") {
  Scenario s = Base();
  s.name = "";
  s.stages[0].duration = absl::ZeroDuration();
  s.requests[0].weight = 0;
  CHECK(Problems(s) == std::vector<std::string>{
                           "name: must be 1-128 characters on one line",
                           "requests[0].weight: 0 is outside 1..1000000",
                           "stages[0].duration: must be longer than zero"});
  s = Base();
  for (int i = 0; i < 29; ++i) s.requests.push_back(Request("a"));
  absl::Status status = ValidateScenario(s);
  const std::vector<std::string> lines = absl::StrSplit(status.message(), '\n');
  REQUIRE(lines.size() == 26);
  CHECK(lines[0] ==
        "requests[1].name: duplicate request name 'a' (first used by "
        "requests[0])");
  CHECK(lines[25] == "... and 4 more");
}

TEST_CASE("a path lies within a field and its parents only") {
  CHECK(PathIsWithin("stages[2].rate", "stages[2].rate"));
  CHECK(PathIsWithin("stages[2].rate", "stages[2]"));
  CHECK(PathIsWithin("stages[2].rate", "stages"));
  CHECK_FALSE(PathIsWithin("stages[20].rate", "stages[2]"));
  CHECK_FALSE(PathIsWithin("stages[2].rate", "stages[2].r"));
  CHECK_FALSE(PathIsWithin("stages", "stages[2]"));
}

}  // namespace
}  // namespace barrage
