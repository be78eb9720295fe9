// Copyright 2026 The Barrage Authors.

#include "controller/cli/commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Cli(std::vector<std::string> args) {
  args.insert(args.begin(), "barrage");
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

std::string Data(const std::string& rel) {
  return std::string(BARRAGE_TESTDATA_DIR) + "/" + rel;
}

TEST_CASE("validate exits 0 and prints the plan for a valid file") {
  Result r = Cli({"validate", Data("scenarios/valid/full.yaml")});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, ContainsSubstring("full.yaml: valid"));
  CHECK_THAT(r.out, ContainsSubstring("p95 < 200ms (critical-runbook)"));
  CHECK(r.err.empty());
}

TEST_CASE("validate exits 2 naming file, line and field of each error") {
  Result r = Cli({"validate", Data("scenarios/invalid/duration-no-unit.yaml")});
  CHECK(r.code == 2);
  CHECK_THAT(r.err,
             ContainsSubstring("duration-no-unit.yaml:9:16: stages[0].duration"));
  CHECK(r.out.empty());
}

TEST_CASE("validate exits 2 on every invalid file in the corpus") {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry :
       fs::directory_iterator(Data("scenarios/invalid"))) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    INFO(entry.path().string());
    Result r = Cli({"validate", entry.path().string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, ContainsSubstring(entry.path().string() + ":"));
    CHECK(r.out.empty());
  }
  CHECK(files >= 40);
}

TEST_CASE("validate checks several files and fails if any fails") {
  Result r = Cli({"validate", "-q", Data("scenarios/valid/minimal.yaml"),
                  Data("scenarios/invalid/weight-zero.yaml")});
  CHECK(r.code == 2);
  CHECK_THAT(r.out, ContainsSubstring("minimal.yaml: valid"));
  CHECK_THAT(r.err, ContainsSubstring("weight-zero.yaml"));
}

TEST_CASE("validate names why a file cannot be read") {
  char tmpl[] = "/tmp/barrage-cli-test-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  SECTION("a directory") {
    Result r = Cli({"validate", dir});
    CHECK(r.code == 2);
    CHECK(r.err == dir + ": is a directory, not a file\n");
  }
  SECTION("a missing file") {
    Result r = Cli({"validate", dir + "/missing.yaml"});
    CHECK(r.code == 2);
    CHECK(r.err == dir + "/missing.yaml: no such file\n");
  }
  SECTION("an unreadable file") {
    const std::string path = dir + "/secret.yaml";
    std::ofstream(path) << "name: x\n";
    chmod(path.c_str(), 0);
    if (access(path.c_str(), R_OK) == 0) {
      std::filesystem::remove_all(dir);
      SKIP("running as root: permissions are not enforced");
    }
    Result r = Cli({"validate", path});
    CHECK(r.code == 2);
    CHECK(r.err == path + ": permission denied\n");
  }
  SECTION("a flag's file") {
    Result r = Cli({"agents", "--token-file", dir});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, ContainsSubstring("--token-file " + dir + ": is a directory"));
    r = Cli({"run", dir + "/s.yaml", "--tls-ca", dir + "/ca.pem"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, ContainsSubstring("--tls-ca " + dir + "/ca.pem: no such file"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("run reads defaults.tls.cert and key next to the scenario and checks them") {
  char tmpl[] = "/tmp/barrage-cli-test-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl;
  std::ofstream(dir + "/s.yaml")
      << "name: m\ntarget: https://127.0.0.1:1\n"
         "defaults: {tls: {cert: client.pem, key: client.key}}\n"
         "requests: [{name: a, path: /}]\nstages: [{duration: 1s, rate: 1/s}]\n";
  Result r = Cli({"run", dir + "/s.yaml", "--local", "1"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, ContainsSubstring(dir + "/s.yaml: defaults.tls.cert: " + dir +
                                      "/client.pem: no such file"));
  std::ofstream(dir + "/client.pem") << "-----BEGIN CERTIFICATE-----\nMIIB\n"
                                        "-----END CERTIFICATE-----\n";
  std::ofstream(dir + "/client.key") << "not a key\n";
  r = Cli({"run", dir + "/s.yaml", "--local", "1"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, ContainsSubstring("defaults.tls.key: is not a PEM private key"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("plan prints the split across N agents") {
  Result r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--agents", "3"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, ContainsSubstring("across 3 agent(s)"));
  CHECK_THAT(r.out, ContainsSubstring("agent-3"));
  r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--capacity=2,1"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, ContainsSubstring("(66.7%)"));
}

TEST_CASE("plan refuses fewer agents than the scenario's minimum") {
  // full.yaml has agents.min 2.
  Result r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--agents", "1"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, ContainsSubstring("at least 2 agents"));
}

TEST_CASE("bad usage exits 2 with a message") {
  CHECK(Cli({}).code == 2);
  CHECK(Cli({"frobnicate"}).code == 2);
  CHECK(Cli({"validate"}).code == 2);
  CHECK(Cli({"validate", "--bogus", "x.yaml"}).code == 2);
  CHECK(Cli({"plan", Data("scenarios/valid/full.yaml")}).code == 2);
  Result r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--agents", "x"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, ContainsSubstring("--agents"));
  r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--agents"});
  CHECK(r.code == 2);
  r = Cli({"plan", Data("scenarios/valid/full.yaml"), "--agents", "2",
           "--capacity", "1,2,3"});
  CHECK(r.code == 2);
  CHECK(Cli({"validate", "/nonexistent.yaml"}).code == 2);
  r = Cli({"run", Data("scenarios/valid/full.yaml"), "--local", "1", "--http-engine", "fast"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, ContainsSubstring("--http-engine: 'fast' is not auto or curl"));
  CHECK(Cli({"help"}).code == 0);
}

}  // namespace
}  // namespace barrage
