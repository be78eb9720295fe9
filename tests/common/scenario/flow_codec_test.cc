// Copyright 2026 The Barrage Authors.
//
// Flows, data sources and network profiles through the wire form.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

Scenario Flows() {
  absl::StatusOr<Scenario> s = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/flows.yaml");
  REQUIRE(s.ok());
  return *s;
}

void CheckSameNetwork(const std::optional<NetworkProfile>& a,
                      const std::optional<NetworkProfile>& b) {
  REQUIRE(a.has_value() == b.has_value());
  if (!a.has_value()) return;
  CHECK(a->latency == b->latency);
  CHECK(a->jitter == b->jitter);
  CHECK(a->bandwidth_bps == b->bandwidth_bps);
}

TEST_CASE("flows, data and network survive the wire unchanged") {
  Scenario s = Flows();
  // What the CLI adds once it has read the file.
  s.data[0].columns = {"id", "email"};
  s.data[0].rows = 2;
  s.data[0].bytes = 49;
  s.data[0].sha256 = "ab12";
  absl::StatusOr<Scenario> back = ScenarioFromProto(ScenarioToProto(s));
  INFO(back.status().message());
  REQUIRE(back.ok());

  CheckSameNetwork(s.network, back->network);
  REQUIRE(back->data.size() == 1);
  const DataSource& d = back->data[0];
  CHECK(d.name == "users");
  CHECK(d.file == "users.csv");
  CHECK(d.mode == DataSource::Mode::kUnique);
  CHECK(d.on_end == DataSource::OnEnd::kStop);
  CHECK(d.format == DataSource::Format::kCsv);
  CHECK(d.columns == std::vector<std::string>{"id", "email"});
  CHECK(d.rows == 2);
  CHECK(d.bytes == 49);
  CHECK(d.sha256 == "ab12");

  REQUIRE(back->flows.size() == s.flows.size());
  for (size_t i = 0; i < s.flows.size(); ++i) {
    const FlowSpec& a = s.flows[i];
    const FlowSpec& b = back->flows[i];
    CHECK(a.name == b.name);
    CHECK(a.weight == b.weight);
    CHECK(a.cookies == b.cookies);
    CheckSameNetwork(a.network, b.network);
    REQUIRE(a.steps.size() == b.steps.size());
    for (size_t j = 0; j < a.steps.size(); ++j) {
      const FlowStep& x = a.steps[j];
      const FlowStep& y = b.steps[j];
      CHECK(x.step == y.step);
      CHECK(x.request.name == y.request.name);
      CHECK(x.request.method == y.request.method);
      CHECK(x.request.path == y.request.path);
      CHECK(x.request.headers == y.request.headers);
      CHECK(x.request.body == y.request.body);
      CHECK(x.request.timeout == y.request.timeout);
      CHECK(x.think.kind == y.think.kind);
      CHECK(x.think.a == y.think.a);
      CHECK(x.think.b == y.think.b);
      REQUIRE(x.captures.size() == y.captures.size());
      for (size_t k = 0; k < x.captures.size(); ++k) {
        CHECK(x.captures[k].var == y.captures[k].var);
        CHECK(x.captures[k].kind == y.captures[k].kind);
        CHECK(x.captures[k].expr == y.captures[k].expr);
      }
      REQUIRE(x.checks.size() == y.checks.size());
      for (size_t k = 0; k < x.checks.size(); ++k) {
        CHECK(x.checks[k].name == y.checks[k].name);
        CHECK(x.checks[k].kind == y.checks[k].kind);
        CHECK(x.checks[k].path == y.checks[k].path);
        CHECK(x.checks[k].value == y.checks[k].value);
        CHECK(x.checks[k].statuses == y.checks[k].statuses);
        CHECK(x.checks[k].max_duration == y.checks[k].max_duration);
      }
    }
  }
  REQUIRE(back->thresholds.size() == 2);
  CHECK(back->thresholds[0].flow == "shop");
  CHECK(back->thresholds[1].request == "shop.login");
}

TEST_CASE("flows from the network are checked again with the file's paths") {
  v1::ScenarioSpec spec = ScenarioToProto(Flows());
  SECTION("an unknown variable") {
    spec.mutable_flows(0)->mutable_steps(1)->mutable_request()->set_path("/cart/${tokn}");
    CHECK_THAT(std::string(ScenarioFromProto(spec).status().message()),
               ContainsSubstring("flows[0].steps[1].path: unknown variable ${tokn} "
                                 "(captured before this step: token)"));
  }
  SECTION("an unknown data column, now that the columns are known") {
    spec.mutable_data(0)->add_columns("id");
    spec.mutable_data(0)->add_columns("mail");
    CHECK_THAT(std::string(ScenarioFromProto(spec).status().message()),
               ContainsSubstring("flows[0].steps[0].body: data 'users' has no column "
                                 "'email' (columns: id, mail)"));
  }
  SECTION("an unknown capture kind") {
    spec.mutable_flows(0)->mutable_steps(0)->mutable_captures(0)->set_kind("xpath");
    CHECK(ScenarioFromProto(spec).status().message() ==
          "flows[0].steps[0].capture.token: 'xpath' is not one of json, header, regex, "
          "status");
  }
  SECTION("an unknown data mode") {
    spec.mutable_data(0)->set_mode("shuffled");
    CHECK(ScenarioFromProto(spec).status().message() ==
          "data.users.mode: 'shuffled' is not one of sequential, random, unique");
  }
  SECTION("a step request not named FLOW.STEP") {
    spec.mutable_flows(0)->mutable_steps(0)->mutable_request()->set_name("login");
    CHECK_THAT(std::string(ScenarioFromProto(spec).status().message()),
               ContainsSubstring("flows[0].steps[0].name: the step's request is named "
                                 "'login', not 'shop.login'"));
  }
  SECTION("a flow threshold of no flow") {
    spec.mutable_thresholds(0)->set_flow("cart");
    CHECK(ScenarioFromProto(spec).status().message() ==
          "thresholds[0].flow: 'cart' is not the name of a flow");
  }
}

}  // namespace
}  // namespace barrage
