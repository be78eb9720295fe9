// Copyright 2026 The Barrage Authors.

#include "controller/report/fingerprint.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

Scenario Base() {
  Scenario s;
  s.name = "fp";
  s.target.url = "http://127.0.0.1:8080";
  Stage st;
  st.kind = Stage::Kind::kRate;
  st.duration = absl::Seconds(10);
  st.rate_from = Rational::FromInt(50);
  st.rate_to = Rational::FromInt(50);
  s.stages.push_back(st);
  RequestSpec r;
  r.name = "home";
  r.method = "GET";
  r.path = "/";
  r.timeout = absl::Seconds(1);
  s.requests.push_back(r);
  return s;
}

TEST_CASE("SHA-256 is the standard one") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the fingerprint is stable and tells the load from the rest of the scenario") {
  const RunFingerprint a = Fingerprint(Base(), "s.yaml");
  CHECK(a.scenario_sha256.size() == 64);
  CHECK(a.load_sha256.size() == 64);
  CHECK(a.target == "http://127.0.0.1:8080");
  CHECK(a.file == "s.yaml");
  CHECK(Fingerprint(Base(), "other.yaml").scenario_sha256 == a.scenario_sha256);

  SECTION("a timeout changes the scenario, not the load") {
    Scenario s = Base();
    s.requests[0].timeout = absl::Seconds(2);
    const RunFingerprint b = Fingerprint(s, "s.yaml");
    CHECK(b.scenario_sha256 != a.scenario_sha256);
    CHECK(b.load_sha256 == a.load_sha256);
  }
  SECTION("a rate, a weight or a path changes both") {
    Scenario rate = Base();
    rate.stages[0].rate_to = Rational::FromInt(60);
    Scenario weight = Base();
    weight.requests[0].weight = 2;
    Scenario path = Base();
    path.requests[0].path = "/x";
    for (const Scenario& s : {rate, weight, path}) {
      const RunFingerprint b = Fingerprint(s, "s.yaml");
      CHECK(b.scenario_sha256 != a.scenario_sha256);
      CHECK(b.load_sha256 != a.load_sha256);
    }
  }
}

}  // namespace
}  // namespace barrage
