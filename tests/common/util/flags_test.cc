// Copyright 2026 The Barrage Authors.

#include "common/util/flags.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::Equals;

// A flag of every kind, bound to its own fields.
struct Sample {
  FlagSet flags{"prog FILE... [flags]", "does a thing"};
  std::string controller;
  std::string tls_cert;
  int64_t workers = -1;
  bool quiet = true;
  std::vector<std::string> allow{"stale"};

  Sample() {
    flags.String("controller", &controller, "127.0.0.1:7400", "HOST:PORT",
                 "controller address");
    flags.String("tls-cert", &tls_cert, "", "FILE", "PEM certificate");
    flags.Int("workers", &workers, 0, 0, 256, "N", "worker threads");
    flags.Bool("quiet", &quiet, "less output");
    flags.Short('q', "quiet");
    flags.Repeated("allow-target", &allow, "PATTERN", "allowed target");
  }

  absl::StatusOr<std::vector<std::string>> Parse(std::vector<std::string> args) {
    return flags.Parse(args);
  }
};

std::string Error(Sample& s, std::vector<std::string> args) {
  absl::StatusOr<std::vector<std::string>> r = s.Parse(std::move(args));
  REQUIRE_FALSE(r.ok());
  CHECK(absl::IsInvalidArgument(r.status()));
  return std::string(r.status().message());
}

TEST_CASE("flags take their defaults when the definition binds them") {
  Sample s;
  CHECK(s.controller == "127.0.0.1:7400");
  CHECK(s.tls_cert.empty());
  CHECK(s.workers == 0);
  CHECK_FALSE(s.quiet);
  CHECK(s.allow.empty());
  REQUIRE(s.Parse({}).ok());
  CHECK_FALSE(s.flags.Given("controller"));
  CHECK_FALSE(s.flags.help_requested());
}

TEST_CASE("flags accept a separate value and the = form") {
  Sample s;
  absl::StatusOr<std::vector<std::string>> r =
      s.Parse({"--controller", "10.0.0.1:7400", "--workers=8", "--tls-cert=a=b.pem"});
  REQUIRE(r.ok());
  CHECK(r->empty());
  CHECK(s.controller == "10.0.0.1:7400");
  CHECK(s.workers == 8);
  CHECK(s.tls_cert == "a=b.pem");
  CHECK(s.flags.Given("controller"));
  CHECK(s.flags.Given("workers"));
}

TEST_CASE("a value may be empty or start with a dash") {
  Sample s;
  REQUIRE(s.Parse({"--controller", "", "--tls-cert", "-odd"}).ok());
  CHECK(s.controller.empty());
  CHECK(s.tls_cert == "-odd");
  Sample t;
  REQUIRE(t.Parse({"--controller="}).ok());
  CHECK(t.controller.empty());
}

TEST_CASE("bools are set by name, by =true and =false, and by a short name") {
  SECTION("--quiet") {
    Sample s;
    REQUIRE(s.Parse({"--quiet"}).ok());
    CHECK(s.quiet);
  }
  SECTION("--quiet=true") {
    Sample s;
    REQUIRE(s.Parse({"--quiet=true"}).ok());
    CHECK(s.quiet);
  }
  SECTION("--quiet=false") {
    Sample s;
    REQUIRE(s.Parse({"--quiet=false"}).ok());
    CHECK_FALSE(s.quiet);
  }
  SECTION("-q") {
    Sample s;
    REQUIRE(s.Parse({"-q"}).ok());
    CHECK(s.quiet);
  }
  SECTION("a bool does not take the next argument") {
    Sample s;
    absl::StatusOr<std::vector<std::string>> r = s.Parse({"--quiet", "true"});
    REQUIRE(r.ok());
    CHECK(*r == std::vector<std::string>{"true"});
  }
}

TEST_CASE("a repeatable flag collects every value in order") {
  Sample s;
  REQUIRE(s.Parse({"--allow-target", "*.a.com", "--allow-target=10.0.0.0/8",
                   "--allow-target", "b"})
              .ok());
  CHECK(s.allow == std::vector<std::string>{"*.a.com", "10.0.0.0/8", "b"});
}

TEST_CASE("positional arguments come back in order, between flags") {
  Sample s;
  absl::StatusOr<std::vector<std::string>> r =
      s.Parse({"one", "-q", "two", "--workers", "3", "-", "three"});
  REQUIRE(r.ok());
  CHECK(*r == std::vector<std::string>{"one", "two", "-", "three"});
  CHECK(s.workers == 3);
}

TEST_CASE("a lone -- ends the flags") {
  Sample s;
  absl::StatusOr<std::vector<std::string>> r =
      s.Parse({"a", "--", "--quiet", "--bogus", "-q"});
  REQUIRE(r.ok());
  CHECK(*r == std::vector<std::string>{"a", "--quiet", "--bogus", "-q"});
  CHECK_FALSE(s.quiet);
}

TEST_CASE("--help and -h stop parsing and are reported") {
  for (const char* help : {"--help", "-h"}) {
    Sample s;
    absl::StatusOr<std::vector<std::string>> r = s.Parse({"a", help, "--bogus"});
    REQUIRE(r.ok());
    CHECK(s.flags.help_requested());
  }
}

TEST_CASE("an unknown flag is an error suggesting the closest name") {
  Sample s;
  CHECK_THAT(Error(s, {"--contoller", "x"}),
             Equals("unknown flag --contoller (did you mean --controller?)"));
  Sample t;
  CHECK_THAT(Error(t, {"--allow_target=x"}),
             Equals("unknown flag --allow_target (did you mean --allow-target?)"));
  Sample u;
  CHECK_THAT(Error(u, {"--frobnicate"}), Equals("unknown flag --frobnicate"));
  Sample v;
  CHECK_THAT(Error(v, {"-x"}), Equals("unknown flag -x"));
  Sample w;
  CHECK_THAT(Error(w, {"-qq"}), Equals("unknown flag -qq"));
}

TEST_CASE("a flag without its value is an error naming it") {
  Sample s;
  CHECK_THAT(Error(s, {"--controller"}), Equals("--controller needs a value (HOST:PORT)"));
  Sample t;
  CHECK_THAT(Error(t, {"a", "--allow-target"}),
             Equals("--allow-target needs a value (PATTERN)"));
}

TEST_CASE("an int must be a whole number within its range") {
  Sample s;
  CHECK_THAT(Error(s, {"--workers", "x"}), Equals("--workers: 'x' is not a whole number"));
  for (const char* bad : {"+3", "3.0", " 3", "1e3", "", "-"}) {
    Sample t;
    CHECK_THAT(Error(t, {"--workers", bad}), ContainsSubstring("is not a whole number"));
  }
  Sample u;
  CHECK_THAT(Error(u, {"--workers=257"}), Equals("--workers: '257' is not from 0 to 256"));
  Sample v;
  CHECK_THAT(Error(v, {"--workers", "-1"}), Equals("--workers: '-1' is not from 0 to 256"));
  Sample w;
  CHECK_THAT(Error(w, {"--workers", "99999999999999999999"}),
             ContainsSubstring("is not from 0 to 256"));
  Sample ok;
  REQUIRE(ok.Parse({"--workers", "256"}).ok());
  CHECK(ok.workers == 256);
}

TEST_CASE("a bool given a value other than true or false is an error") {
  Sample s;
  CHECK_THAT(Error(s, {"--quiet=yes"}), Equals("--quiet: 'yes' is not true or false"));
}

TEST_CASE("a flag that does not repeat may not be given twice") {
  Sample s;
  CHECK_THAT(Error(s, {"--workers", "1", "--workers=2"}), Equals("--workers given twice"));
  Sample t;
  CHECK_THAT(Error(t, {"-q", "--quiet"}), Equals("--quiet given twice"));
}

TEST_CASE("help lists every flag with placeholder, meaning and default, aligned") {
  Sample s;
  CHECK_THAT(s.flags.Help(),
             Equals("usage: prog FILE... [flags]\n"
                    "\n"
                    "does a thing\n"
                    "\n"
                    "flags:\n"
                    "      --controller HOST:PORT  controller address (default 127.0.0.1:7400)\n"
                    "      --tls-cert FILE         PEM certificate\n"
                    "      --workers N             worker threads (default 0)\n"
                    "  -q, --quiet                 less output\n"
                    "      --allow-target PATTERN  allowed target (repeatable)\n"
                    "  -h, --help                  print this help and exit\n"));
}

TEST_CASE("help leaves out an int default outside the range") {
  FlagSet flags("prog");
  int64_t agents = 0;
  flags.Int("agents", &agents, 0, 1, 64, "N", "local agents");
  CHECK_THAT(flags.Help(), ContainsSubstring("--agents N  local agents\n"));
  CHECK_THAT(flags.Help(), !ContainsSubstring("default"));
}

}  // namespace
}  // namespace barrage
