// Copyright 2026 The Barrage Authors.
//
// Property: a valid scenario file means the same plan to the CLI and to the
// controller. Seeded random valid scenarios go YAML text -> LoadScenarioYaml
// -> ScenarioToProto -> bytes -> ScenarioFromProto, and the plan `barrage
// validate` prints (RenderPlan) is the same on both sides, as are the fields
// the plan does not show. BARRAGE_SEED=N repeats a run.

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"
#include "controller/cli/plan_printer.h"

namespace barrage {
namespace {

constexpr int kCases = 300;

class ScenarioWriter {
 public:
  explicit ScenarioWriter(uint64_t seed) : rng_(seed) {}

  // One valid scenario file.
  std::string Write();

 private:
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Coin(int percent = 50) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }
  // A double-quoted YAML scalar.
  static std::string Quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out.push_back('\\');
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out.push_back(c);
    }
    return out + "\"";
  }
  std::string Duration(int64_t min_ms, int64_t max_ms);
  // A rate of at least `min_per_s` requests/s in one of the three units.
  std::string Rate(int64_t min_per_s, int64_t max_per_s);
  std::string Headers(const std::string& indent);
  void Requests(std::string& out);
  void Stages(std::string& out);
  void Thresholds(std::string& out);

  std::mt19937_64 rng_;
  std::vector<std::string> names_;
};

std::string ScenarioWriter::Duration(int64_t min_ms, int64_t max_ms) {
  const int64_t ms = Int(min_ms, max_ms);
  if (ms % 60'000 == 0 && Coin()) return absl::StrCat(ms / 60'000, "m");
  if (ms % 1000 == 0) return absl::StrCat(ms / 1000, "s");
  if (ms > 60'000 && Coin()) {
    return absl::StrCat(ms / 60'000, "m", (ms % 60'000) / 1000, "s", ms % 1000,
                        "ms");
  }
  return absl::StrCat(ms, "ms");
}

std::string ScenarioWriter::Rate(int64_t min_per_s, int64_t max_per_s) {
  // Thousandths of requests per second, then expressed per s, min or h.
  const int64_t milli = Int(min_per_s * 1000, max_per_s * 1000);
  switch (Int(0, 2)) {
    case 0:
      return absl::StrCat(milli / 1000, ".",
                          absl::StrFormat("%03d", milli % 1000), "/s");
    case 1:
      return absl::StrCat(milli * 60 / 1000, "/min");
    default:
      return absl::StrCat(milli * 3600 / 1000, "/h");
  }
}

std::string ScenarioWriter::Headers(const std::string& indent) {
  static const std::vector<std::string> kNames = {
      "Accept", "X-Trace", "Authorization", "Content-Type", "X-Priority"};
  std::string out;
  std::vector<std::string> used;
  const int64_t n = Int(1, 3);
  for (int64_t i = 0; i < n; ++i) {
    const std::string& name = Pick(kNames);
    if (std::find(used.begin(), used.end(), name) != used.end()) continue;
    used.push_back(name);
    absl::StrAppend(&out, indent, name, ": ",
                    Quote(absl::StrCat("v", Int(0, 999), " ; q=0.", Int(1, 9))),
                    "\n");
  }
  return out;
}

void ScenarioWriter::Requests(std::string& out) {
  static const std::vector<std::string> kMethods = {
      "GET", "get", "HEAD", "POST", "Put", "PATCH", "DELETE", "OPTIONS"};
  absl::StrAppend(&out, "requests:\n");
  const int64_t n = Coin(10) ? Int(50, 200) : Int(1, 12);
  for (int64_t i = 0; i < n; ++i) {
    const std::string name =
        absl::StrCat(Pick(std::vector<std::string>{"r", "api.", "Get_", "x-"}),
                     i, Coin(30) ? "-v2" : "");
    names_.push_back(name);
    absl::StrAppend(&out, "  - name: ", name, "\n");
    absl::StrAppend(
        &out, "    path: ",
        Quote(absl::StrCat("/p/", Int(0, 99), Coin(30) ? "?q=a%20b&n=1" : "")),
        "\n");
    if (Coin()) absl::StrAppend(&out, "    method: ", Pick(kMethods), "\n");
    if (Coin()) absl::StrAppend(&out, "    weight: ", Int(1, 1'000'000), "\n");
    if (Coin(30)) {
      absl::StrAppend(&out, "    headers:\n", Headers("      "));
    }
    if (Coin(30)) {
      absl::StrAppend(&out, "    body: ",
                      Quote(absl::StrCat("{\"q\": \"line ", Int(0, 9),
                                         "\",\n \"n\": ", Int(0, 99), "}")),
                      "\n");
    }
    if (Coin(30)) {
      absl::StrAppend(&out, "    timeout: ", Duration(1, 120'000), "\n");
    }
    if (Coin(25)) {
      std::vector<std::string> codes;
      const int64_t k = Int(1, 3);
      for (int64_t j = 0; j < k; ++j)
        codes.push_back(absl::StrCat(Int(100, 599)));
      absl::StrAppend(&out, "    expect: {status: [",
                      absl::StrJoin(codes, ", "), "]}\n");
    }
  }
}

void ScenarioWriter::Stages(std::string& out) {
  absl::StrAppend(&out, "stages:\n");
  const int64_t n = Int(1, 8);
  for (int64_t i = 0; i < n; ++i) {
    // Rate stages last >= 2 s at >= 1/s: every one schedules something.
    switch (Int(0, 3)) {
      case 0:
        absl::StrAppend(&out, "  - {duration: ", Duration(2'000, 3'600'000),
                        ", rate: ", Rate(1, 5'000), "}\n");
        break;
      case 1: {
        std::string from = Rate(1, 5'000);
        std::string to = Rate(1, 5'000);
        if (Coin(20))
          from = "0/s";
        else if (Coin(20))
          to = "0/min";
        absl::StrAppend(&out, "  - {duration: ", Duration(2'000, 600'000),
                        ", rate: ", from, ", to: ", to, "}\n");
        break;
      }
      case 2:
        absl::StrAppend(
            &out, "  - {duration: ", Duration(1, 600'000),
            ", vus: ", Int(1, 1'000),
            Coin() ? absl::StrCat(", think: ", Duration(0, 5'000)) : "", "}\n");
        break;
      default: {
        int64_t from = Int(0, 1'000);
        const int64_t to = from == 0 ? Int(1, 1'000) : Int(0, 1'000);
        absl::StrAppend(
            &out, "  - {duration: ", Duration(1, 600'000), ", vus: ", from,
            ", to: ", to,
            Coin() ? absl::StrCat(", think: ", Duration(0, 5'000)) : "", "}\n");
      }
    }
  }
}

void ScenarioWriter::Thresholds(std::string& out) {
  const int64_t n = Int(0, 5);
  if (n == 0) return;
  absl::StrAppend(&out, "thresholds:\n");
  for (int64_t i = 0; i < n; ++i) {
    const std::string metric =
        Pick(std::vector<std::string>{"p50", "p90", "p95", "p99", "p999", "max",
                                      "mean", "error_rate", "rps"});
    std::string limit;
    if (metric == "error_rate") {
      limit = Coin() ? absl::StrCat(Int(0, 100), "%")
                     : absl::StrCat("0.", absl::StrFormat("%03d", Int(0, 999)));
    } else if (metric == "rps") {
      limit = Rate(0, 10'000);
    } else {
      limit = Duration(1, 10'000);
    }
    absl::StrAppend(&out, "  - {metric: ", metric,
                    Coin(70) ? ", below: " : ", above: ", limit);
    if (Coin(40)) absl::StrAppend(&out, ", request: ", Pick(names_));
    if (Coin(40)) {
      absl::StrAppend(
          &out, ", window: ", Coin(30) ? "run" : Duration(1'000, 600'000));
    }
    if (Coin(30)) absl::StrAppend(&out, ", abort: ", Coin() ? "true" : "false");
    absl::StrAppend(&out, "}\n");
  }
}

std::string ScenarioWriter::Write() {
  names_.clear();
  std::string out;
  absl::StrAppend(
      &out, "name: ",
      Quote(absl::StrCat("case ", Int(0, 1 << 30), ": it's \"random\"")), "\n");
  if (Coin()) absl::StrAppend(&out, "description: ", Quote("seeded"), "\n");
  absl::StrAppend(&out, "target: ",
                  Pick(std::vector<std::string>{"http://127.0.0.1:8080",
                                                "https://localhost/api/v2/",
                                                "http://[::1]:9000/x"}),
                  "\n");
  if (Coin()) {
    absl::StrAppend(
        &out, "agents: {min: ", Int(1, 10'000),
        ", wait: ", Duration(0, 300'000), ", on_loss: ",
        Pick(std::vector<std::string>{"redistribute", "continue", "abort"}),
        "}\n");
  }
  std::string defaults;
  if (Coin())
    absl::StrAppend(&defaults, "  timeout: ", Duration(1, 60'000), "\n");
  if (Coin()) absl::StrAppend(&defaults, "  headers:\n", Headers("    "));
  if (Coin()) {
    if (Coin()) {
      absl::StrAppend(&defaults, "  http: ", Coin() ? "\"1.1\"" : "\"2\"", "\n");
    } else {
      absl::StrAppend(&defaults, "  http: {version: \"2\", connections: ", Int(1, 1000),
                      ", max_streams: ", Int(1, 10'000), "}\n");
    }
  }
  if (!defaults.empty()) absl::StrAppend(&out, "defaults:\n", defaults);
  Requests(out);
  Stages(out);
  Thresholds(out);
  return out;
}

// The fields RenderPlan does not print in full.
void CheckSameDetails(const Scenario& a, const Scenario& b) {
  CHECK(a.http == b.http);
  CHECK(a.h2_connections == b.h2_connections);
  CHECK(a.h2_max_streams == b.h2_max_streams);
  CHECK(a.agents.on_loss == b.agents.on_loss);
  REQUIRE(a.requests.size() == b.requests.size());
  for (size_t i = 0; i < a.requests.size(); ++i) {
    CHECK(a.requests[i].headers == b.requests[i].headers);
    CHECK(a.requests[i].body == b.requests[i].body);
    CHECK(a.requests[i].timeout == b.requests[i].timeout);
    CHECK(a.requests[i].expect_status == b.requests[i].expect_status);
  }
  REQUIRE(a.stages.size() == b.stages.size());
  for (size_t i = 0; i < a.stages.size(); ++i) {
    CHECK(a.stages[i].kind == b.stages[i].kind);
    CHECK(a.stages[i].rate_from == b.stages[i].rate_from);
    CHECK(a.stages[i].rate_to == b.stages[i].rate_to);
    CHECK(a.stages[i].think == b.stages[i].think);
  }
  REQUIRE(a.thresholds.size() == b.thresholds.size());
  for (size_t i = 0; i < a.thresholds.size(); ++i) {
    CHECK(a.thresholds[i].Expression() == b.thresholds[i].Expression());
    CHECK(a.thresholds[i].limit == b.thresholds[i].limit);
  }
}

TEST_CASE(
    "a random valid scenario plans the same from its file and from the wire") {
  uint64_t seed = std::random_device{}();
  if (const char* env = std::getenv("BARRAGE_SEED"))
    seed = std::strtoull(env, nullptr, 10);
  std::cout << "scenario round trip: seed " << seed << " (BARRAGE_SEED=" << seed
            << " repeats it)\n";
  ScenarioWriter writer(seed);
  for (int i = 0; i < kCases; ++i) {
    const std::string text = writer.Write();
    INFO("seed " << seed << ", case " << i << ":\n" << text);
    absl::StatusOr<Scenario> loaded = LoadScenarioYaml(text, "random.yaml");
    REQUIRE(loaded.status().message() == "");
    v1::ScenarioSpec wire;
    REQUIRE(wire.ParseFromString(ScenarioToProto(*loaded).SerializeAsString()));
    absl::StatusOr<Scenario> decoded = ScenarioFromProto(wire);
    REQUIRE(decoded.status().message() == "");
    REQUIRE(RenderPlan(*loaded) == RenderPlan(*decoded));
    CheckSameDetails(*loaded, *decoded);
  }
}

}  // namespace
}  // namespace barrage
