// Copyright 2026 The Barrage Authors.

#include "controller/cli/compare_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "controller/cli/commands.h"
#include "tests/support/synthetic_run.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using testing::SyntheticRunJson;
using testing::SyntheticRunOptions;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Cli(std::vector<std::string> args) {
  args.insert(args.begin(), {"barrage", "compare"});
  std::ostringstream out, err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

// A result file in a fresh temporary directory, removed at the end.
class ResultFiles {
 public:
  ResultFiles() {
    char dir[] = "/tmp/barrage-compare-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    dir_ = dir;
  }
  ~ResultFiles() {
    for (const std::string& f : files_) std::remove(f.c_str());
    rmdir(dir_.c_str());
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }

 private:
  std::string dir_;
  std::vector<std::string> files_;
};

SyntheticRunOptions Run(uint64_t seed, double shift = 1.0) {
  SyntheticRunOptions o;
  o.seed = seed;
  o.rate_rps = 200;
  o.median_ms = 50;
  o.shift = shift;
  return o;
}

TEST_CASE("barrage compare exits 0 for the same, 99 for a regression, with the table") {
  ResultFiles files;
  const std::string a = files.Write("a.json", SyntheticRunJson(Run(1)));
  const std::string b = files.Write("b.json", SyntheticRunJson(Run(2)));
  const std::string slow = files.Write("slow.json", SyntheticRunJson(Run(3, 1.3)));
  Result r = Cli({a, b, "--resamples", "300"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, ContainsSubstring("verdict: SAME"));
  r = Cli({a, slow, "--resamples", "300"});
  CHECK(r.code == 99);
  CHECK_THAT(r.out, ContainsSubstring("REGRESSED"));
  r = Cli({a, slow, "--resamples", "300", "--tolerance", "p50=50%,p95=50%,p99=50%"});
  CHECK(r.code == 0);
  r = Cli({a, slow, "--resamples", "300", "--format", "markdown"});
  CHECK(r.code == 99);
  CHECK_THAT(r.out, StartsWith("**barrage compare: REGRESSED**"));
  r = Cli({a, slow, "--resamples", "300", "--format", "json"});
  CHECK(r.code == 99);
  CHECK_THAT(r.out, StartsWith("{\"verdict\":\"REGRESSED\",\"exit_code\":99,"));
}

TEST_CASE("barrage compare refuses runs that are not comparable unless --force") {
  ResultFiles files;
  SyntheticRunOptions other = Run(2);
  other.scenario_sha256 = "f00d";
  const std::string a = files.Write("a.json", SyntheticRunJson(Run(1)));
  const std::string b = files.Write("b.json", SyntheticRunJson(other));
  Result r = Cli({a, b, "--resamples", "100"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("not comparable"));
  CHECK_THAT(r.err, ContainsSubstring("scenario_sha256"));
  r = Cli({a, b, "--resamples", "100", "--force"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, ContainsSubstring("FORCED"));
}

TEST_CASE("barrage compare says what is wrong with its arguments") {
  ResultFiles files;
  const std::string a = files.Write("a.json", SyntheticRunJson(Run(1)));
  const std::string old = files.Write("old.json", "{\"version\": 1, \"run\": \"x\"}");
  Result r = Cli({a});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("give BASELINE and CURRENT"));
  r = Cli({a, a, "--tolerance", "p90=1%"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--tolerance: 'p90=1%'"));
  r = Cli({a, a, "--skip", "ten"});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("--skip"));
  r = Cli({a, a, "--format", "html"});
  CHECK(r.code == kExitUsage);
  r = Cli({old, old});
  CHECK(r.code == kExitUsage);
  CHECK_THAT(r.err, ContainsSubstring("no time series"));
  // Not a file: a run id, and no controller listens on port 1.
  r = Cli({a, "no-such-run", "--controller", "127.0.0.1:1"});
  CHECK(r.code == kExitCannotStart);
  CHECK_THAT(r.err, ContainsSubstring("cannot be reached"));
  r = Cli({"--help"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, StartsWith("usage: barrage compare BASELINE CURRENT [flags]"));
  CHECK_THAT(r.out, ContainsSubstring("--tolerance"));
}

}  // namespace
}  // namespace barrage
