// Copyright 2026 The Barrage Authors.
//
// Golden-file tests of the plan renderings. To accept a deliberate change,
// run the test with BARRAGE_UPDATE_GOLDEN=1 and review the diff.

#include "controller/cli/plan_printer.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch_test_macros.hpp>

#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CheckGolden(const std::string& name, const std::string& actual) {
  const std::string path =
      std::string(BARRAGE_TESTDATA_DIR) + "/golden/" + name;
  if (std::getenv("BARRAGE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
  }
  INFO("golden file " << path);
  CHECK(actual == ReadFile(path));
}

Scenario Full() {
  absl::StatusOr<Scenario> s = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/full.yaml");
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("validate prints the normalized plan") {
  CheckGolden("full.plan.txt", RenderPlan(Full()));
}

TEST_CASE("the plan shows flows with their steps, data sources and the network") {
  absl::StatusOr<Scenario> s = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/flows.yaml");
  REQUIRE(s.ok());
  CheckGolden("flows.plan.txt", RenderPlan(*s));
  // Once the CLI has read a data file, its rows are shown.
  s->data[0].columns = {"id", "email"};
  s->data[0].rows = 2;
  CHECK(RenderPlan(*s).find("  users  users.csv  csv     unique  stop    2\n") !=
        std::string::npos);
}

TEST_CASE("plan prints the per-agent split table") {
  const Scenario s = Full();
  absl::StatusOr<SplitPlan> plan =
      SplitLoad(s, {{"agent-1", 2}, {"agent-2", 1}, {"agent-3", 1}});
  REQUIRE(plan.ok());
  CheckGolden("full.split.txt", RenderSplit(s, *plan));
}

TEST_CASE("rates are described in the unit they were written in") {
  CHECK(DescribeRate(Rational(10, 3)) == "200/min (3.333/s)");
  CHECK(DescribeRate(Rational::FromInt(16)) == "16/s");
  CHECK(DescribeRate(Rational(33, 2)) == "990/min (16.5/s)");
  CHECK(DescribeRate(Rational(5, 18)) == "1000/h (0.278/s)");
}

}  // namespace
}  // namespace barrage
