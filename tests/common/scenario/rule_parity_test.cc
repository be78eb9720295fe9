// Copyright 2026 The Barrage Authors.
//
// One rule set, two ways in: every file of the invalid corpus whose problem
// is semantic must be refused by the loader (the CLI) and by the proto
// decoder (the controller and agents) with the same words. The loader's
// lines carry FILE:LINE:COLUMN; without it, the texts must be identical.

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"
#include "common/util/files.h"

namespace barrage {
namespace {

namespace fs = std::filesystem;

const fs::path kInvalid = fs::path(BARRAGE_TESTDATA_DIR) / "scenarios/invalid";

std::string Read(const fs::path& file) {
  absl::StatusOr<std::string> text = ReadFile(file.string(), 1 << 20);
  REQUIRE(text.ok());
  return *text;
}

// The loader's problems without "FILE:LINE:COLUMN: ", sorted.
std::vector<std::string> LoaderProblems(const fs::path& file) {
  absl::StatusOr<Scenario> s = LoadScenarioFile(file.string());
  REQUIRE_FALSE(s.ok());
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(s.status().message(), '\n')) {
    // FILE:LINE:COLUMN: text
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::MaxSplits(": ", 1));
    REQUIRE(parts.size() == 2);
    out.emplace_back(parts[1]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The decoder's problems, sorted.
std::vector<std::string> DecoderProblems(const v1::ScenarioSpec& spec) {
  v1::ScenarioSpec wire;
  REQUIRE(wire.ParseFromString(spec.SerializeAsString()));
  absl::StatusOr<Scenario> s = ScenarioFromProto(wire);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
  std::vector<std::string> out = absl::StrSplit(s.status().message(), '\n');
  std::sort(out.begin(), out.end());
  return out;
}

// The files whose every problem is a rule of validator.h: they parse, and
// only the rules refuse them.
const std::set<std::string> kSemantic = {
    "agents-min-zero.yaml",
    "bad-method.yaml",
    "duplicate-request-names.yaml",
    "duration-zero.yaml",
    "empty-requests.yaml",
    "empty-stages.yaml",
    "expect-status-600.yaml",
    "expect-status-99.yaml",
    "path-no-slash.yaml",
    "rate-rounds-to-nothing.yaml",
    "rate-zero-constant.yaml",
    "request-name-space.yaml",
    "think-on-rate-stage.yaml",
    "threshold-unknown-request.yaml",
    "timeout-zero.yaml",
    "vus-negative.yaml",
    "vus-zero-constant.yaml",
    "weight-negative.yaml",
    "weight-zero.yaml",
    "too-many-requests.yaml",
    "http-max-streams-zero.yaml",
    "http-connections-on-http11.yaml",
};

TEST_CASE(
    "every semantic error in the corpus reads the same from file and wire") {
  std::set<std::string> semantic;
  for (const auto& entry : fs::directory_iterator(kInvalid)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string name = entry.path().filename().string();
    absl::StatusOr<Scenario> parsed =
        ParseScenarioYaml(Read(entry.path()), name);
    if (!parsed.ok()) continue;  // syntax, keys, types or units
    semantic.insert(name);
    INFO(name);
    CHECK(LoaderProblems(entry.path()) ==
          DecoderProblems(ScenarioToProto(*parsed)));
  }
  CHECK(semantic == kSemantic);
}

// Problems with the values the wire carries as text (URL, enumerations): the
// loader and decoder share their parsers. Each case makes the file parse by
// writing a good value, then puts the bad one into the proto.
TEST_CASE(
    "a bad target, policy, version or metric reads the same from file and "
    "wire") {
  struct Case {
    const char* file;
    const char* bad;
    const char* good;
    std::function<void(v1::ScenarioSpec&)> spoil;
  };
  const Case cases[] = {
      {"target-ftp.yaml", "ftp://127.0.0.1/", "http://127.0.0.1/",
       [](v1::ScenarioSpec& p) { p.set_target("ftp://127.0.0.1/"); }},
      {"target-missing-host.yaml", "target: http://", "target: http://h",
       [](v1::ScenarioSpec& p) { p.set_target("http://"); }},
      {"target-with-query.yaml", "/?debug=1", "/",
       [](v1::ScenarioSpec& p) {
         p.set_target("http://127.0.0.1:8080/?debug=1");
       }},
      {"agents-bad-on-loss.yaml", "retry", "abort",
       [](v1::ScenarioSpec& p) { p.set_on_loss("retry"); }},
      {"bad-http-version.yaml", "\"3\"", "\"2\"",
       [](v1::ScenarioSpec& p) { p.set_http_version("3"); }},
      {"threshold-metric-latency.yaml", "latency", "p95",
       [](v1::ScenarioSpec& p) {
         p.mutable_thresholds(0)->set_metric("latency");
       }},
      {"threshold-metric-p95-5.yaml", "p95.5", "p95",
       [](v1::ScenarioSpec& p) {
         p.mutable_thresholds(0)->set_metric("p95.5");
       }},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    const std::string text = Read(kInvalid / c.file);
    REQUIRE(text.find(c.bad) != std::string::npos);
    absl::StatusOr<Scenario> good =
        LoadScenarioYaml(absl::StrReplaceAll(text, {{c.bad, c.good}}), c.file);
    REQUIRE(good.status().message() == "");
    v1::ScenarioSpec spec = ScenarioToProto(*good);
    c.spoil(spec);
    CHECK(LoaderProblems(kInvalid / c.file) == DecoderProblems(spec));
  }
}

}  // namespace
}  // namespace barrage
