// Copyright 2026 The Barrage Authors.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "agent/daemon/assignment_policy.h"
#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TEST_CASE("allow-target patterns are globs or CIDRs") {
  CHECK(TargetAllowed("127.0.0.1", "127.0.0.1"));
  CHECK(TargetAllowed("*.staging.example.com", "api.staging.example.com"));
  CHECK(TargetAllowed("*.STAGING.example.com", "api.staging.example.com"));
  CHECK_FALSE(TargetAllowed("*.staging.example.com", "api.prod.example.com"));
  CHECK(TargetAllowed("127.0.0.0/8", "127.45.6.7"));
  CHECK_FALSE(TargetAllowed("127.0.0.0/8", "128.0.0.1"));
  CHECK(TargetAllowed("10.1.0.0/17", "10.1.127.255"));
  CHECK_FALSE(TargetAllowed("10.1.0.0/17", "10.1.128.0"));
  CHECK(TargetAllowed("::1/128", "::1"));
  CHECK_FALSE(TargetAllowed("::1/128", "::2"));
  CHECK_FALSE(TargetAllowed("10.0.0.0/8", "ten.example"));   // names never match a CIDR
  CHECK_FALSE(TargetAllowed("10.0.0.0/33", "10.0.0.1"));
  CHECK_FALSE(TargetAllowed("10.0.0.0/x", "10.0.0.1"));
  CHECK_FALSE(TargetAllowed("10.0.0.0/8", "::1"));
}

TEST_CASE("an agent refuses assignments beyond its limits, saying why") {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: p\ntarget: http://127.0.0.1:9\nrequests: [{name: a, path: /}]\n"
      "stages: [{duration: 10s, rate: 100/s, to: 300/s}]\n",
      "p.yaml");
  REQUIRE(s.ok());
  AssignmentPolicy strict({"*.example.com"}, 0);
  absl::Status refused = strict.CheckLimits(*s, 1.0);
  CHECK(refused.code() == absl::StatusCode::kPermissionDenied);
  CHECK_THAT(std::string(refused.message()), ContainsSubstring("--allow-target"));
  AssignmentPolicy capped({"127.0.0.0/8"}, 100);
  // The share's peak (300/s x 1/2) is above 100/s; a quarter is not.
  refused = capped.CheckLimits(*s, 0.5);
  CHECK(refused.code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(std::string(refused.message()), ContainsSubstring("--max-rate"));
  CHECK(capped.CheckLimits(*s, 0.25).ok());
}

TEST_CASE("a share must have a runnable shape") {
  CHECK(CheckShare(4, {0, 2, 3}).ok());
  CHECK(CheckShare(1, {0}).ok());
  CHECK(CheckShare(int64_t{1} << 20, {0}).ok());
  for (const auto& [period, slots] : std::vector<std::pair<int64_t, std::vector<int64_t>>>{
           {0, {0}}, {(int64_t{1} << 20) + 1, {0}}, {4, {}}, {4, {2, 1}}, {4, {-1, 2}}, {4, {4}}}) {
    const absl::Status s = CheckShare(period, slots);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(s.message()), ContainsSubstring("malformed assignment"));
  }
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

Scenario Https(const std::string& tls) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: p\ntarget: https://127.0.0.1:9\nrequests: [{name: a, path: /}]\n"
      "stages: [{duration: 10s, rate: 10/s}]\n" + tls,
      "p.yaml");
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("an agent's TLS rule refuses scenarios that disagree, saying why") {
  const Scenario verify = Https("");
  const Scenario unverified = Https("defaults: {tls: {verify: false}}\n");
  const AssignmentPolicy any({}, 0);
  CHECK(any.CheckLimits(verify, 1.0).ok());
  CHECK(any.CheckLimits(unverified, 1.0).ok());
  const AssignmentPolicy strict({}, 0, TlsRule{/*require_verify=*/true, false});
  CHECK(strict.CheckLimits(verify, 1.0).ok());
  const absl::Status refused = strict.CheckLimits(unverified, 1.0);
  CHECK(absl::IsFailedPrecondition(refused));
  CHECK_THAT(std::string(refused.message()), ContainsSubstring("--require-tls-verify"));
  const AssignmentPolicy legacy({}, 0, TlsRule{false, /*legacy_insecure=*/true});
  CHECK(legacy.CheckLimits(unverified, 1.0).ok());
  CHECK_THAT(std::string(legacy.CheckLimits(verify, 1.0).message()),
             ContainsSubstring("--insecure-targets (deprecated) disagrees"));
  // Plain http has nothing to verify.
  absl::StatusOr<Scenario> plain = LoadScenarioYaml(
      "name: p\ntarget: http://127.0.0.1:9\nrequests: [{name: a, path: /}]\n"
      "stages: [{duration: 10s, rate: 10/s}]\ndefaults: {tls: {verify: false}}\n",
      "p.yaml");
  REQUIRE(plain.ok());
  CHECK(strict.CheckLimits(*plain, 1.0).ok());
}

}  // namespace
}  // namespace barrage
