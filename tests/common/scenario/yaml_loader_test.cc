// Copyright 2026 The Barrage Authors.

#include "common/scenario/yaml_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/scenario/codec.h"

namespace barrage {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::ContainsSubstring;

std::vector<fs::path> YamlFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The value of a "# expect-KEY: VALUE" header line.
std::string Expectation(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  const std::string prefix = absl::StrCat("# expect-", key, ": ");
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (absl::ConsumePrefix(&rest, prefix)) {
      return std::string(absl::StripAsciiWhitespace(rest));
    }
  }
  return "";
}

TEST_CASE("every valid scenario in the corpus and every example loads") {
  std::vector<fs::path> files =
      YamlFiles(fs::path(BARRAGE_TESTDATA_DIR) / "scenarios/valid");
  for (const fs::path& f :
       YamlFiles(fs::path(BARRAGE_SOURCE_DIR) / "deploy/examples")) {
    files.push_back(f);
  }
  REQUIRE(files.size() >= 10);
  for (const fs::path& file : files) {
    INFO(file.string());
    absl::StatusOr<Scenario> s = LoadScenarioFile(file.string());
    CHECK(s.status().message() == "");
  }
}

TEST_CASE("every invalid scenario is rejected naming its line and field") {
  const std::vector<fs::path> files =
      YamlFiles(fs::path(BARRAGE_TESTDATA_DIR) / "scenarios/invalid");
  REQUIRE(files.size() >= 40);
  for (const fs::path& file : files) {
    const std::string line = Expectation(file, "line");
    const std::string field = Expectation(file, "field");
    INFO(file.filename().string() << " expects line " << line << " field "
                                  << field);
    REQUIRE_FALSE(line.empty());
    REQUIRE_FALSE(field.empty());
    absl::StatusOr<Scenario> s = LoadScenarioFile(file.string());
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(s.status().message());
    INFO("message:\n" << message);
    // One problem per line, each "FILE:LINE:COLUMN: PATH: text"; some problem
    // must sit on the expected line and name the expected field.
    bool found = false;
    for (absl::string_view problem : absl::StrSplit(message, '\n')) {
      CHECK_THAT(std::string(problem), ContainsSubstring(file.string() + ":"));
      const bool line_ok =
          line == "any" ||
          absl::StrContains(problem, absl::StrCat(".yaml:", line, ":"));
      const bool field_ok =
          field == "-" || absl::StrContains(problem, absl::StrCat(": ", field));
      found = found || (line_ok && field_ok);
    }
    CHECK(found);
  }
}

TEST_CASE("a full scenario is normalized with defaults resolved") {
  absl::StatusOr<Scenario> loaded = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/full.yaml");
  REQUIRE(loaded.ok());
  const Scenario& s = *loaded;
  CHECK(s.name == "full");
  CHECK(s.target.port == 8080);
  CHECK(s.agents.min == 2);
  CHECK(s.agents.wait == absl::Seconds(45));
  CHECK(s.agents.on_loss == OnLoss::kRedistribute);
  CHECK(s.agents.on_join == OnJoin::kIgnore);
  REQUIRE(s.requests.size() == 3);
  const RequestSpec& critical = s.requests[0];
  CHECK(critical.timeout == absl::Seconds(2));
  CHECK(critical.expect_status == std::vector<int>{200});
  // Default headers come first, the request's own after.
  REQUIRE(critical.headers.size() == 3);
  CHECK(critical.headers[0].first == "Accept");
  CHECK(critical.headers[2].first == "X-Priority");
  const RequestSpec& timeline = s.requests[2];
  CHECK(timeline.method == "GET");
  CHECK(timeline.weight == 1);
  CHECK(timeline.timeout == absl::Seconds(5));
  CHECK(timeline.expect_status.empty());
  CHECK(s.requests[1].body == R"({"query": "disk full", "limit": 10})");
  CHECK(s.requests[1].expect_status == std::vector<int>{200, 206});
  REQUIRE(s.stages.size() == 3);
  CHECK(s.stages[0].kind == Stage::Kind::kRateRamp);
  CHECK(s.stages[0].rate_from == Rational(1, 3));
  CHECK(s.stages[0].rate_to == Rational(10, 3));
  CHECK(s.stages[1].kind == Stage::Kind::kRate);
  CHECK(s.stages[1].Arrivals() == 2000);
  CHECK(s.stages[2].kind == Stage::Kind::kVus);
  CHECK(s.stages[2].vus_from == 50);
  CHECK(s.stages[2].think == absl::Milliseconds(100));
  CHECK(s.TotalDuration() == absl::Minutes(16));
  REQUIRE(s.thresholds.size() == 3);
  CHECK(s.thresholds[0].Expression() == "p95 < 200ms (critical-runbook)");
  CHECK(s.thresholds[0].limit == 200'000.0);
  CHECK(s.thresholds[2].metric == ThresholdMetric::kErrorRate);
  CHECK(s.thresholds[2].limit == 0.01);
  CHECK_FALSE(s.thresholds[2].whole_run);
  CHECK(s.thresholds[2].window == absl::Minutes(1));
  CHECK(s.thresholds[2].abort);
}

TEST_CASE("defaults.http takes a version string or a map with the HTTP/2 shape") {
  auto load = [](const std::string& http) {
    return LoadScenarioYaml(absl::StrCat("name: t\ntarget: http://127.0.0.1:8080\n",
                                         "defaults:\n  http: ", http, "\n",
                                         "requests: [{name: a, path: /}]\n",
                                         "stages: [{duration: 1s, vus: 5}]\n"),
                            "t.yaml");
  };
  absl::StatusOr<Scenario> plain = load("\"2\"");
  REQUIRE(plain.ok());
  CHECK(plain->http == HttpVersion::kHttp2);
  CHECK_FALSE(plain->h2_connections.has_value());
  CHECK_FALSE(plain->h2_max_streams.has_value());
  absl::StatusOr<Scenario> shaped = load("{version: \"2\", connections: 5, max_streams: 10}");
  REQUIRE(shaped.ok());
  CHECK(shaped->http == HttpVersion::kHttp2);
  CHECK(shaped->h2_connections == 5);
  CHECK(shaped->h2_max_streams == 10);
  absl::StatusOr<Scenario> version_only = load("{version: \"1.1\"}");
  REQUIRE(version_only.ok());
  CHECK(version_only->http == HttpVersion::kHttp11);
  absl::StatusOr<Scenario> too_many = load("{version: \"2\", connections: 1001}");
  REQUIRE_FALSE(too_many.ok());
  CHECK_THAT(std::string(too_many.status().message()),
             ContainsSubstring("defaults.http.connections: 1001 is outside 1..1000"));
  absl::StatusOr<Scenario> bad_version = load("{version: \"3\"}");
  REQUIRE_FALSE(bad_version.ok());
  CHECK_THAT(std::string(bad_version.status().message()),
             ContainsSubstring("defaults.http.version:"));
}

TEST_CASE("all problems in a file are reported, in file order") {
  const char* text = R"(name: multi
target: http://127.0.0.1:8080
requests:
  - {name: a, path: nope, wieght: 2}
stages:
  - {duration: 10, rate: 5/s}
  - {duration: 1m, rate: 5/m}
)";
  absl::StatusOr<Scenario> s = LoadScenarioYaml(text, "m.yaml");
  REQUIRE_FALSE(s.ok());
  const std::vector<std::string> lines =
      absl::StrSplit(s.status().message(), '\n');
  REQUIRE(lines.size() == 4);
  CHECK_THAT(lines[0], ContainsSubstring("m.yaml:4:"));
  CHECK_THAT(lines[2], ContainsSubstring("m.yaml:6:16: stages[0].duration"));
  CHECK_THAT(lines[3], ContainsSubstring("m.yaml:7:"));
  CHECK_THAT(lines[3], ContainsSubstring("write /min"));
}

TEST_CASE("thresholds accept above as well as below") {
  const char* text = R"(name: floor
target: http://127.0.0.1:8080
requests: [{name: a, path: /}]
stages: [{duration: 1m, rate: 500/min}]
thresholds:
  - {metric: rps, above: 450/min}
)";
  absl::StatusOr<Scenario> s = LoadScenarioYaml(text, "t.yaml");
  REQUIRE(s.ok());
  CHECK(s->thresholds[0].above);
  CHECK(s->thresholds[0].limit == 7.5);
  CHECK(s->thresholds[0].Expression() == "rps > 7.5/s");
}

TEST_CASE("a stage ramp may start or end at zero") {
  const char* text = R"(name: ramps
target: http://127.0.0.1:8080
requests: [{name: a, path: /}]
stages:
  - {duration: 10s, rate: 0/s, to: 10/s}
  - {duration: 10s, vus: 0, to: 5}
)";
  absl::StatusOr<Scenario> s = LoadScenarioYaml(text, "r.yaml");
  REQUIRE(s.ok());
  CHECK(s->stages[0].Arrivals() == 50);
  CHECK(s->stages[1].kind == Stage::Kind::kVusRamp);
}

TEST_CASE("a stage may be a warm-up, and the mark survives the wire") {
  const char* text = R"(name: warm
target: http://127.0.0.1:8080
requests: [{name: a, path: /}]
stages:
  - {duration: 10s, rate: 10/s, warmup: true}
  - {duration: 10s, rate: 10/s}
)";
  absl::StatusOr<Scenario> s = LoadScenarioYaml(text, "w.yaml");
  REQUIRE(s.ok());
  CHECK(s->stages[0].warmup);
  CHECK_FALSE(s->stages[1].warmup);
  absl::StatusOr<Scenario> wire = ScenarioFromProto(ScenarioToProto(*s));
  REQUIRE(wire.ok());
  CHECK(wire->stages[0].warmup);
  CHECK_FALSE(wire->stages[1].warmup);

  absl::StatusOr<Scenario> bad = LoadScenarioYaml(R"(name: warm
target: http://127.0.0.1:8080
requests: [{name: a, path: /}]
stages: [{duration: 10s, rate: 10/s, warmup: maybe}]
)", "w.yaml");
  CHECK_FALSE(bad.ok());
}

TEST_CASE("a missing file is a clear error") {
  absl::StatusOr<Scenario> s = LoadScenarioFile("/nonexistent/x.yaml");
  CHECK(s.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(s.status().message()),
             ContainsSubstring("/nonexistent/x.yaml"));
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

TEST_CASE("an abort threshold takes min_requests and delay as its grace") {
  const std::string head = R"(name: grace
target: http://127.0.0.1:8080
requests: [{name: a, path: /}]
stages: [{duration: 1m, rate: 10/s}]
thresholds:
)";
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      head + "  - {metric: error_rate, below: 1%, abort: true, min_requests: 50, delay: 5s}\n"
             "  - {metric: p95, below: 1s, abort: true}\n",
      "g.yaml");
  REQUIRE(s.ok());
  CHECK(s->thresholds[0].min_requests == 50);
  CHECK(s->thresholds[0].delay == absl::Seconds(5));
  CHECK(!s->thresholds[1].min_requests.has_value());
  // Both given: both must hold.
  CHECK(!s->thresholds[0].AbortGraceOver(49, absl::Seconds(9)));
  CHECK(!s->thresholds[0].AbortGraceOver(500, absl::Seconds(4)));
  CHECK(s->thresholds[0].AbortGraceOver(50, absl::Seconds(5)));
  // Neither: 100 requests or 10 s, whichever first.
  CHECK(!s->thresholds[1].AbortGraceOver(99, absl::Seconds(9)));
  CHECK(s->thresholds[1].AbortGraceOver(100, absl::Seconds(1)));
  CHECK(s->thresholds[1].AbortGraceOver(1, absl::Seconds(10)));
  // They survive the wire.
  absl::StatusOr<Scenario> back = ScenarioFromProto(ScenarioToProto(*s));
  REQUIRE(back.ok());
  CHECK(back->thresholds[0].min_requests == 50);
  CHECK(back->thresholds[0].delay == absl::Seconds(5));
  CHECK(!back->thresholds[1].delay.has_value());

  absl::StatusOr<Scenario> bad = LoadScenarioYaml(
      head + "  - {metric: error_rate, below: 1%, delay: 5s}\n"
             "  - {metric: error_rate, below: 1%, abort: true, min_requests: -1}\n",
      "b.yaml");
  REQUIRE(!bad.ok());
  CHECK_THAT(std::string(bad.status().message()),
             ContainsSubstring("thresholds[0].delay: applies only with abort: true"));
  CHECK_THAT(std::string(bad.status().message()), ContainsSubstring("thresholds[1].min_requests"));
}

}  // namespace
}  // namespace barrage
