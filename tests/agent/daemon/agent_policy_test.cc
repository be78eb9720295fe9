// Copyright 2026 The Barrage Authors.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "agent/daemon/agent_daemon.h"
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
  AgentDaemonOptions options;
  options.id = "a";
  options.allow_targets = {"*.example.com"};
  AgentDaemon strict(options, SystemClock());
  CHECK_THAT(strict.CheckAssignment(*s, 1.0), ContainsSubstring("--allow-target"));
  options.allow_targets = {"127.0.0.0/8"};
  options.max_rate_per_s = 100;
  AgentDaemon capped(options, SystemClock());
  // The share's peak (300/s x 1/2) is above 100/s; a quarter is not.
  CHECK_THAT(capped.CheckAssignment(*s, 0.5), ContainsSubstring("--max-rate"));
  CHECK(capped.CheckAssignment(*s, 0.25).empty());
}

}  // namespace
}  // namespace barrage
