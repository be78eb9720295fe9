// Copyright 2026 The Barrage Authors.
//
// `barrage help`, `barrage CMD --help` and flag errors, through RunCli.

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/util/version.h"
#include "controller/cli/commands.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

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

const std::vector<std::string> kCommands = {"run",    "agents", "status",   "stop",
                                            "runs",   "report", "health",   "validate",
                                            "plan",   "target", "trend", "compare", "capacity"};

TEST_CASE("barrage help lists every command and every command's flags") {
  const Result r = Cli({"help"});
  CHECK(r.code == kExitPassed);
  CHECK(r.err.empty());
  for (const std::string& c : kCommands) {
    CHECK_THAT(r.out, ContainsSubstring("\n  " + c));
    CHECK_THAT(r.out, ContainsSubstring("usage: barrage " + c));
  }
  CHECK_THAT(r.out, ContainsSubstring("--local N"));
  CHECK_THAT(r.out, ContainsSubstring("--listen HOST:PORT"));
  CHECK_THAT(r.out, ContainsSubstring("(default 127.0.0.1:8080)"));
  CHECK_THAT(r.out, ContainsSubstring("exit codes: 0 passed"));
  CHECK(Cli({"--help"}).out == r.out);
  CHECK(Cli({"-h"}).out == r.out);
}

TEST_CASE("barrage run --help lists every run flag with its default and exits 0") {
  const Result r = Cli({"run", "--help"});
  CHECK(r.code == kExitPassed);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("usage: barrage run FILE [flags]\n"));
  for (const char* flag :
       {"--local N", "--workers W", "--http-engine auto|curl", "--controller HOST:PORT",
        "--token-file FILE", "--tls-ca FILE", "--insecure", "--out KIND=FILE", "-q, --quiet",
        "-h, --help"}) {
    CHECK_THAT(r.out, ContainsSubstring(flag));
  }
  CHECK_THAT(r.out, ContainsSubstring("(default auto)"));
  CHECK(Cli({"run", "-h"}).out == r.out);
  CHECK(Cli({"help", "run"}).out == r.out);
  // Help wins over everything else on the line.
  CHECK(Cli({"run", "--local", "1", "--help", "--bogus"}).code == kExitPassed);
}

TEST_CASE("barrage validate --help names the files and -q") {
  const Result r = Cli({"validate", "--help"});
  CHECK(r.code == kExitPassed);
  CHECK_THAT(r.out, StartsWith("usage: barrage validate FILE... [flags]\n"));
  CHECK_THAT(r.out, ContainsSubstring("check scenario files"));
  CHECK_THAT(r.out, ContainsSubstring("-q, --quiet"));
  CHECK(Cli({"help", "validate"}).out == r.out);
}

TEST_CASE("every command answers --help with exit 0") {
  for (const std::string& c : kCommands) {
    const Result r = Cli({c, "--help"});
    CHECK(r.code == kExitPassed);
    CHECK_THAT(r.out, StartsWith("usage: barrage " + c));
    CHECK_THAT(r.out, ContainsSubstring("-h, --help"));
  }
}

TEST_CASE("an unknown flag exits 2 with a suggestion and where help is") {
  const Result r = Cli({"run", "x.yaml", "--locl", "2"});
  CHECK(r.code == kExitUsage);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Equals("barrage run: unknown flag --locl (did you mean --local?)\n"
                           "see 'barrage run --help'\n"));
  const Result v = Cli({"validate", "--bogus", "x.yaml"});
  CHECK(v.code == kExitUsage);
  CHECK_THAT(v.err, ContainsSubstring("see 'barrage validate --help'"));
  const Result u = Cli({"agents", "--token_file", "t"});
  CHECK(u.code == kExitUsage);
  CHECK_THAT(u.err, ContainsSubstring("did you mean --token-file?"));
}

TEST_CASE("bad flag values and arguments exit 2 naming the flag") {
  Result r = Cli({"run", "x.yaml", "--local", "65"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--local: '65' is not from 1 to 64"));
  r = Cli({"run", "x.yaml", "--local", "2", "--controller", "127.0.0.1:1"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("not both"));
  r = Cli({"run", "x.yaml", "--out", "x.json"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring(
                       "--out: 'x.json' is not KIND=FILE (KIND: json, junit, html or csv)"));
  for (const char* bad : {"pdf=x.pdf", "json=", "text=x.txt", "=x"}) {
    r = Cli({"run", "x.yaml", "--out", "json=ok.json", "--out", bad});
    CHECK(r.code == kExitUsage);
    CHECK_THAT(r.err, ContainsSubstring(std::string("--out: '") + bad + "' is not KIND=FILE"));
  }
  r = Cli({"run", "a.yaml", "b.yaml"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("give one scenario file"));
  r = Cli({"stop", "run-1", "run-2"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("unexpected argument 'run-2'"));
  r = Cli({"report", "run-1", "--format", "xml"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--format: 'xml' is not text, json, junit, html or csv"));
  r = Cli({"run", "x.yaml", "--token-file", "/nonexistent/token"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("barrage run: --token-file"));
}

TEST_CASE("barrage health refuses bad flags and arguments with exit 2, before dialing") {
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const Case cases[] = {
      {{}, "give the address to check, HOST:PORT"},
      {{"127.0.0.1:1", "127.0.0.1:2"}, "unexpected argument '127.0.0.1:2'"},
      {{"nowhere"}, "nowhere: "},
      {{"127.0.0.1:1", "--timeout", "0s"}, "--timeout: must be > 0"},
      {{"127.0.0.1:1", "--timeout", "2"}, "--timeout: "},
      {{"127.0.0.1:1", "--http", "--tls-ca", "ca.pem"}, "--tls-ca is for gRPC, not --http"},
      {{"127.0.0.1:1", "--http", "--service", "x"}, "--service is for gRPC, not --http"},
      {{"127.0.0.1:1", "--token-file", "/nonexistent/token"}, "barrage health: --token-file"},
      {{"127.0.0.1:1", "--tmeout", "1s"}, "unknown flag --tmeout (did you mean --timeout?)"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"health"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const Result r = Cli(args);
    INFO(r.err);
    CHECK(r.code == kExitUsage);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, ContainsSubstring(c.error));
  }
  // Plaintext to a non-loopback address needs --insecure (or --tls-ca).
  const Result r = Cli({"health", "192.0.2.1:7400"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("refusing plaintext to non-loopback 192.0.2.1:7400"));
}

TEST_CASE("barrage help of an unknown command exits 2") {
  const Result r = Cli({"help", "frobnicate"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("unknown command 'frobnicate'"));
}

TEST_CASE("barrage --version names the version and the build type") {
  const Result r = Cli({"--version"});
  CHECK(r.code == kExitPassed);
  CHECK(r.out == VersionLine("barrage") + "\n");
  CHECK_THAT(r.out, ContainsSubstring(" build)\n"));
}

}  // namespace
}  // namespace barrage
