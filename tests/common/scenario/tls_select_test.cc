// Copyright 2026 The Barrage Authors.
//
// defaults.tls and agents.select: the loader's keys, the validator's rules
// and the wire form.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/codec.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

constexpr char kBase[] =
    "name: t\ntarget: https://127.0.0.1:8443\nrequests: [{name: a, path: /}]\n"
    "stages: [{duration: 1s, rate: 1/s}]\n";

constexpr char kPem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

absl::StatusOr<Scenario> Load(const std::string& extra) {
  return LoadScenarioYaml(kBase + extra, "t.yaml");
}

TEST_CASE("defaults.tls and agents.select load; verification is on by default") {
  absl::StatusOr<Scenario> plain = Load("");
  REQUIRE(plain.ok());
  CHECK(plain->tls.verify);
  CHECK(plain->tls.ca_file.empty());
  CHECK(plain->agents.select_labels.empty());

  absl::StatusOr<Scenario> s =
      Load("defaults: {tls: {verify: false}}\n"
           "agents: {min: 1, select: {labels: {zone: a, tier: edge}}}\n");
  REQUIRE(s.ok());
  CHECK_FALSE(s->tls.verify);
  CHECK(s->agents.select_labels ==
        std::map<std::string, std::string>{{"tier", "edge"}, {"zone", "a"}});

  absl::StatusOr<Scenario> ca = Load("defaults: {tls: {ca: certs/ca.pem}}\n");
  REQUIRE(ca.ok());
  CHECK(ca->tls.verify);
  CHECK(ca->tls.ca_file == "certs/ca.pem");
}

TEST_CASE("bad tls and select keys are refused naming the field") {
  struct Case {
    std::string extra;
    std::string message;
  };
  const Case cases[] = {
      {"defaults: {tls: {verfy: false}}\n", "t.yaml:5:18: defaults.tls.verfy: unknown key"},
      {"defaults: {tls: {verify: maybe}}\n", "defaults.tls.verify"},
      {"defaults: {tls: {verify: false, ca: ca.pem}}\n",
       "defaults.tls.ca: give verify: false or a CA to verify with, not both"},
      {"agents: {select: {lables: {zone: a}}}\n", "agents.select.lables: unknown key"},
      {"agents: {select: {labels: [zone]}}\n",
       "agents.select.labels: must be a mapping of label names to values"},
      {"agents: {select: {labels: {zone: 'a b'}}}\n",
       "agents.select.labels.zone: label names and values must be 1-64 characters"},
  };
  for (const Case& c : cases) {
    INFO(c.extra);
    absl::StatusOr<Scenario> s = Load(c.extra);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(std::string(s.status().message()), ContainsSubstring(c.message));
  }
}

TEST_CASE("the CA's PEM is checked: a certificate, within the size limit") {
  absl::StatusOr<Scenario> s = Load("");
  REQUIRE(s.ok());
  s->tls.ca_pem = kPem;
  CHECK(ValidateScenario(*s).ok());
  s->tls.ca_pem = "not a certificate";
  CHECK_THAT(std::string(ValidateScenario(*s).message()),
             ContainsSubstring("defaults.tls.ca: is not a PEM certificate"));
  ScenarioLimits limits;
  limits.max_ca_pem_bytes = 16;
  s->tls.ca_pem = kPem;
  CHECK_THAT(std::string(ValidateScenario(*s, limits).message()),
             ContainsSubstring("bytes is over the limit of 16 per CA file"));
}

TEST_CASE("tls and select travel in the wire form") {
  absl::StatusOr<Scenario> s =
      Load("defaults: {tls: {verify: false}}\nagents: {select: {labels: {zone: a}}}\n");
  REQUIRE(s.ok());
  absl::StatusOr<Scenario> back = ScenarioFromProto(ScenarioToProto(*s));
  REQUIRE(back.ok());
  CHECK_FALSE(back->tls.verify);
  CHECK(back->agents.select_labels.at("zone") == "a");

  absl::StatusOr<Scenario> ca = Load("");
  REQUIRE(ca.ok());
  ca->tls.ca_pem = kPem;
  back = ScenarioFromProto(ScenarioToProto(*ca));
  REQUIRE(back.ok());
  CHECK(back->tls.verify);
  CHECK(back->tls.ca_pem == kPem);
  // The controller checks the PEM again.
  v1::ScenarioSpec bad = ScenarioToProto(*ca);
  bad.set_tls_ca_pem("junk");
  CHECK_FALSE(ScenarioFromProto(bad).ok());
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

constexpr char kKey[] = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

TEST_CASE("a client certificate loads as cert and key, both or neither") {
  absl::StatusOr<Scenario> s =
      Load("defaults: {tls: {cert: certs/client.pem, key: certs/client.key}}\n");
  REQUIRE(s.ok());
  CHECK(s->tls.cert_file == "certs/client.pem");
  CHECK(s->tls.key_file == "certs/client.key");
  CHECK(s->tls.verify);
  absl::StatusOr<Scenario> half = Load("defaults: {tls: {cert: certs/client.pem}}\n");
  REQUIRE_FALSE(half.ok());
  CHECK_THAT(std::string(half.status().message()),
             ContainsSubstring("defaults.tls.key: a client certificate needs both cert and key"));
}

TEST_CASE("the client certificate's PEM is checked and travels in the wire form") {
  absl::StatusOr<Scenario> s = Load("");
  REQUIRE(s.ok());
  s->tls.cert_pem = kPem;
  s->tls.key_pem = kKey;
  CHECK(ValidateScenario(*s).ok());
  absl::StatusOr<Scenario> back = ScenarioFromProto(ScenarioToProto(*s));
  REQUIRE(back.ok());
  CHECK(back->tls.cert_pem == kPem);
  CHECK(back->tls.key_pem == kKey);
  s->tls.key_pem = "junk";
  CHECK_THAT(std::string(ValidateScenario(*s).message()),
             ContainsSubstring("defaults.tls.key: is not a PEM private key"));
  v1::ScenarioSpec half = ScenarioToProto(*s);
  half.clear_tls_key_pem();
  CHECK_FALSE(ScenarioFromProto(half).ok());
}

}  // namespace
}  // namespace barrage
