// Copyright 2026 The Barrage Authors.

#include "controller/cli/capacity_command.h"

#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/yaml_loader.h"
#include "common/util/exit_codes.h"
#include "controller/cli/commands.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

constexpr char kYaml[] = R"(name: cap
target: http://127.0.0.1:8080
requests: [{name: get, path: /}]
stages: [{duration: 10s, rate: 5/s}, {duration: 10s, rate: 9/s}]
thresholds: [{metric: p95, below: 1s}]
)";

TEST_CASE("a step's scenario is a warm-up and a measured stage at its load") {
  absl::StatusOr<Scenario> base = LoadScenarioYaml(kYaml, "cap.yaml");
  REQUIRE(base.ok());
  absl::StatusOr<Scenario> s = StepScenario(*base, StepLoad{LoadModel::kRate, 400},
                                            absl::Seconds(1), absl::Seconds(4));
  REQUIRE(s.ok());
  REQUIRE(s->stages.size() == 2);
  CHECK(s->stages[0].warmup);
  CHECK(s->stages[0].duration == absl::Seconds(1));
  CHECK(s->stages[0].rate_from == Rational::FromInt(400));
  CHECK_FALSE(s->stages[1].warmup);
  CHECK(s->stages[1].duration == absl::Seconds(4));
  CHECK(s->stages[1].rate_to == Rational::FromInt(400));
  CHECK(s->thresholds.empty());
  CHECK(s->requests.size() == 1);

  absl::StatusOr<Scenario> vus = StepScenario(*base, StepLoad{LoadModel::kVus, 12},
                                              absl::ZeroDuration(), absl::Seconds(4));
  REQUIRE(vus.ok());
  REQUIRE(vus->stages.size() == 1);
  CHECK(vus->stages[0].kind == Stage::Kind::kVus);
  CHECK(vus->stages[0].vus_from == 12);
}

struct Result {
  int code;
  std::string out;
  std::string err;
};
Result Cli(std::vector<std::string> args) {
  args.insert(args.begin(), {"barrage", "capacity"});
  std::ostringstream out, err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

TEST_CASE("barrage capacity's usage errors exit 2 and say what is wrong") {
  Result r = Cli({"s.yaml", "--slo", "p95<"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage capacity: --slo: 'p95<' has no limit\n"));
  r = Cli({"s.yaml"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("give --slo"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--model", "open"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--model: 'open' is not rate or vus"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--start", "fast"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--start: 'fast' is not"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--start", "100", "--max", "50"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--max: must be at least --start"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--out", "csv=x.csv"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--out: 'csv=x.csv' is not json=FILE or html=FILE"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--out", "json=a.json", "--out", "html="});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--out: 'html=' is not json=FILE or html=FILE"));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--out", "html=/no/such/dir/cap.html"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage capacity: --out /no/such/dir/cap.html: "));
  r = Cli({"s.yaml", "--slo", "p95<50ms", "--local", "1", "--controller", "127.0.0.1:1"});
  CHECK(r.code == kExitUsage);
  r = Cli({"--help"});
  CHECK(r.code == kExitPassed);
  CHECK_THAT(r.out, ContainsSubstring("usage: barrage capacity FILE"));
  CHECK_THAT(r.out, ContainsSubstring("--slo LIMITS"));
}

}  // namespace
}  // namespace barrage
