// Copyright 2026 The Barrage Authors.

#include "common/scenario/codec.h"

#include <filesystem>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::StartsWith;

// Everything the plan depends on, compared field by field.
void CheckSame(const Scenario& a, const Scenario& b) {
  CHECK(a.name == b.name);
  CHECK(a.target.url == b.target.url);
  CHECK(a.target.port == b.target.port);
  CHECK(a.agents.min == b.agents.min);
  CHECK(a.agents.wait == b.agents.wait);
  CHECK(a.agents.on_loss == b.agents.on_loss);
  CHECK(a.agents.on_join == b.agents.on_join);
  CHECK(a.http == b.http);
  CHECK(a.h2_connections == b.h2_connections);
  CHECK(a.h2_max_streams == b.h2_max_streams);
  REQUIRE(a.requests.size() == b.requests.size());
  for (size_t i = 0; i < a.requests.size(); ++i) {
    CHECK(a.requests[i].name == b.requests[i].name);
    CHECK(a.requests[i].method == b.requests[i].method);
    CHECK(a.requests[i].path == b.requests[i].path);
    CHECK(a.requests[i].weight == b.requests[i].weight);
    CHECK(a.requests[i].headers == b.requests[i].headers);
    CHECK(a.requests[i].body == b.requests[i].body);
    CHECK(a.requests[i].timeout == b.requests[i].timeout);
    CHECK(a.requests[i].expect_status == b.requests[i].expect_status);
  }
  REQUIRE(a.stages.size() == b.stages.size());
  for (size_t i = 0; i < a.stages.size(); ++i) {
    CHECK(a.stages[i].kind == b.stages[i].kind);
    CHECK(a.stages[i].duration == b.stages[i].duration);
    CHECK(a.stages[i].rate_from == b.stages[i].rate_from);
    CHECK(a.stages[i].rate_to == b.stages[i].rate_to);
    CHECK(a.stages[i].vus_from == b.stages[i].vus_from);
    CHECK(a.stages[i].vus_to == b.stages[i].vus_to);
    CHECK(a.stages[i].think == b.stages[i].think);
  }
  REQUIRE(a.thresholds.size() == b.thresholds.size());
  for (size_t i = 0; i < a.thresholds.size(); ++i) {
    CHECK(a.thresholds[i].Expression() == b.thresholds[i].Expression());
    CHECK(a.thresholds[i].limit == b.thresholds[i].limit);
  }
}

TEST_CASE("every valid scenario survives the wire unchanged") {
  namespace fs = std::filesystem;
  int n = 0;
  for (const char* dir : {BARRAGE_TESTDATA_DIR "/scenarios/valid",
                          BARRAGE_SOURCE_DIR "/deploy/examples"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".yaml") continue;
      INFO(entry.path().string());
      absl::StatusOr<Scenario> s = LoadScenarioFile(entry.path().string());
      REQUIRE(s.ok());
      v1::ScenarioSpec wire;
      REQUIRE(wire.ParseFromString(ScenarioToProto(*s).SerializeAsString()));
      absl::StatusOr<Scenario> back = ScenarioFromProto(wire);
      REQUIRE(back.status().message() == "");
      CheckSame(*s, *back);
      ++n;
    }
  }
  CHECK(n >= 15);
}

TEST_CASE("a scenario from the network is checked again, naming the file's field") {
  absl::StatusOr<Scenario> s = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/full.yaml");
  REQUIRE(s.ok());
  const v1::ScenarioSpec good = ScenarioToProto(*s);
  struct Case {
    const char* field;
    void (*mutate)(v1::ScenarioSpec&);
  };
  const Case cases[] = {
      {"name", [](v1::ScenarioSpec& p) { p.clear_name(); }},
      {"target", [](v1::ScenarioSpec& p) { p.set_target("ftp://x"); }},
      {"agents.on_loss", [](v1::ScenarioSpec& p) { p.set_on_loss("explode"); }},
      {"agents.on_join", [](v1::ScenarioSpec& p) { p.set_on_join("split"); }},
      {"requests", [](v1::ScenarioSpec& p) { p.clear_requests(); }},
      {"requests[1].name", [](v1::ScenarioSpec& p) { p.mutable_requests(1)->set_name(p.requests(0).name()); }},
      {"requests[0].method", [](v1::ScenarioSpec& p) { p.mutable_requests(0)->set_method("BREW"); }},
      {"requests[0].path", [](v1::ScenarioSpec& p) { p.mutable_requests(0)->set_path("x"); }},
      {"requests[0].timeout", [](v1::ScenarioSpec& p) { p.mutable_requests(0)->set_timeout_ms(0); }},
      {"requests[0].headers.Accept", [](v1::ScenarioSpec& p) { p.mutable_requests(0)->mutable_headers(0)->set_value("a\r\nb"); }},
      {"stages[0].rate", [](v1::ScenarioSpec& p) { p.mutable_stages(0)->mutable_rate_from()->set_den(0); }},
      {"stages[0].duration", [](v1::ScenarioSpec& p) { p.mutable_stages(0)->set_duration_ms(-1); }},
      {"stages[2].vus", [](v1::ScenarioSpec& p) { p.mutable_stages(2)->set_vus_from(-3); }},
      {"thresholds[0].metric", [](v1::ScenarioSpec& p) { p.mutable_thresholds(0)->set_metric("p42"); }},
      {"thresholds[0].request", [](v1::ScenarioSpec& p) { p.mutable_thresholds(0)->set_request("ghost"); }},
  };
  for (const Case& c : cases) {
    INFO(c.field);
    v1::ScenarioSpec bad = good;
    c.mutate(bad);
    absl::StatusOr<Scenario> back = ScenarioFromProto(bad);
    REQUIRE_FALSE(back.ok());
    CHECK_THAT(std::string(back.status().message()),
               StartsWith(std::string(c.field) + ": "));
  }
}

}  // namespace
}  // namespace barrage
