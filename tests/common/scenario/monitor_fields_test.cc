// Copyright 2026 The Barrage Authors.

#include "common/scenario/monitor_fields.h"

#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

std::string Scenario(const std::string& monitor, const std::string& thresholds = "") {
  return absl::StrCat(
      "name: m\n"
      "target: http://127.0.0.1:8080\n"
      "requests: [{name: get, path: /}]\n"
      "stages: [{duration: 10s, rate: 10/s}]\n",
      monitor, thresholds);
}

constexpr char kMonitor[] =
    "monitor:\n"
    "  prometheus: http://127.0.0.1:9090/\n"
    "  token_file: prom.token\n"
    "  interval: 2s\n"
    "  queries:\n"
    "    cpu: {query: 'sum(rate(process_cpu_seconds_total[30s]))', saturation: 0.8}\n"
    "    cache_hit_ratio: 'avg(cache_hit_ratio)'\n";

TEST_CASE("a monitor section loads in both its forms, with a threshold on a query") {
  absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
      Scenario(kMonitor, "thresholds:\n  - {metric: monitor.cache_hit_ratio, above: 0.7, "
                         "window: 10m}\n"),
      "m.yaml");
  REQUIRE(s.ok());
  REQUIRE(s->monitor.has_value());
  const MonitorSpec& m = *s->monitor;
  CHECK(m.url == "http://127.0.0.1:9090");
  CHECK(m.token_file == "prom.token");
  CHECK(m.interval == absl::Seconds(2));
  REQUIRE(m.queries.size() == 2);
  CHECK(m.queries[0].name == "cpu");
  CHECK(m.queries[0].saturation == 0.8);
  CHECK(m.queries[1].promql == "avg(cache_hit_ratio)");
  CHECK_FALSE(m.queries[1].saturation.has_value());
  const Threshold& t = s->thresholds[0];
  CHECK(t.metric == ThresholdMetric::kMonitor);
  CHECK(t.monitor == "cache_hit_ratio");
  CHECK(t.limit == 0.7);
  CHECK(t.Expression() == "monitor.cache_hit_ratio > 0.7 over 10m");
}

TEST_CASE("monitor problems are reported at their line") {
  SECTION("an interval under 1s") {
    absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
        Scenario("monitor:\n  prometheus: http://127.0.0.1:9090\n  interval: 500ms\n"
                 "  queries: {cpu: 'x'}\n"),
        "m.yaml");
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(std::string(s.status().message()),
               ContainsSubstring("m.yaml:7:13: monitor.interval: must be at least 1s"));
  }
  SECTION("an unknown key, a missing URL and an empty query") {
    absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
        Scenario("monitor:\n  intervall: 5s\n  queries:\n    cpu: ''\n"), "m.yaml");
    REQUIRE_FALSE(s.ok());
    const std::string text(s.status().message());
    CHECK_THAT(text, ContainsSubstring("m.yaml:6:3: monitor.intervall: unknown key; did "
                                       "you mean 'interval'?"));
    CHECK_THAT(text, ContainsSubstring("monitor.prometheus: is required"));
    CHECK_THAT(text, ContainsSubstring("m.yaml:8:10: monitor.queries.cpu.query: must not "
                                       "be empty"));
  }
  SECTION("a threshold on a query that does not exist") {
    absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
        Scenario(kMonitor, "thresholds:\n  - {metric: monitor.mem, below: 100}\n"),
        "m.yaml");
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(std::string(s.status().message()),
               ContainsSubstring("m.yaml:13:14: thresholds[0].metric: 'mem' is not the "
                                 "name of a monitor query"));
  }
  SECTION("a monitor threshold without a monitor section, and a limit that is no number") {
    absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
        Scenario("", "thresholds:\n  - {metric: monitor.cpu, below: 80%}\n"), "m.yaml");
    REQUIRE_FALSE(s.ok());
    const std::string text(s.status().message());
    CHECK_THAT(text, ContainsSubstring("thresholds[0].metric: monitor.cpu needs a monitor: "
                                       "section with that query"));
    CHECK_THAT(text, ContainsSubstring("thresholds[0].below: '80%' is not a number"));
  }
  SECTION("a URL that is not http") {
    absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
        Scenario("monitor:\n  prometheus: ftp://x\n  queries: {cpu: 'x'}\n"), "m.yaml");
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(std::string(s.status().message()),
               ContainsSubstring("m.yaml:6:15: monitor.prometheus: must be the http:// or "
                                 "https:// URL of a Prometheus server"));
  }
}

TEST_CASE("the monitor section and monitor thresholds survive the wire") {
  absl::StatusOr<barrage::Scenario> s = LoadScenarioYaml(
      Scenario(kMonitor, "thresholds:\n  - {metric: monitor.cpu, below: 0.9}\n"), "m.yaml");
  REQUIRE(s.ok());
  s->monitor->token = "t0k";
  absl::StatusOr<barrage::Scenario> back = ScenarioFromProto(ScenarioToProto(*s));
  REQUIRE(back.ok());
  REQUIRE(back->monitor.has_value());
  CHECK(back->monitor->token == "t0k");
  CHECK(back->monitor->interval == absl::Seconds(2));
  CHECK(back->monitor->queries[0].saturation == 0.8);
  CHECK(back->thresholds[0].metric == ThresholdMetric::kMonitor);
  CHECK(back->thresholds[0].monitor == "cpu");
  SECTION("a token on two lines is refused") {
    s->monitor->token = "a\nb";
    absl::StatusOr<barrage::Scenario> bad = ScenarioFromProto(ScenarioToProto(*s));
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(std::string(bad.status().message()),
               ContainsSubstring("monitor.token_file: the token must be one line"));
  }
}

}  // namespace
}  // namespace barrage
