// Copyright 2026 The Barrage Authors.
//
// barrage-agent's --max-in-flight: the flag, its default from the open-file
// limit, and the refusal of a value the limit cannot hold.

#include <sys/resource.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "agent/daemon/agent_flags.h"
#include "agent/daemon/in_flight_limit.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

absl::StatusOr<AgentFlags> Parse(std::vector<std::string> args) {
  FlagSet flags("barrage-agent");
  AgentFlags f;
  DefineAgentFlags(flags, f);
  absl::StatusOr<std::vector<std::string>> rest = flags.Parse(args);
  if (!rest.ok()) return rest.status();
  return f;
}

TEST_CASE("barrage-agent parses --max-in-flight, default 0 (from the fd limit), and lists it in its help") {
  absl::StatusOr<AgentFlags> f = Parse({});
  REQUIRE(f.ok());
  CHECK(f->max_in_flight == 0);
  f = Parse({"--max-in-flight", "5000"});
  REQUIRE(f.ok());
  CHECK(f->max_in_flight == 5000);
  f = Parse({"--max-in-flight=250"});
  REQUIRE(f.ok());
  CHECK(f->max_in_flight == 250);
  CHECK_FALSE(Parse({"--max-in-flight", "-1"}).ok());
  CHECK_FALSE(Parse({"--max-in-flight", "lots"}).ok());
  CHECK_FALSE(Parse({"--max-in-flight", "1", "--max-in-flight", "2"}).ok());

  FlagSet flags("barrage-agent");
  AgentFlags unused;
  DefineAgentFlags(flags, unused);
  CHECK_THAT(flags.Help(), ContainsSubstring("--max-in-flight"));
  CHECK_THAT(flags.Help(), ContainsSubstring("open-file limit"));
}

TEST_CASE("the default limit is the soft fd limit less the reserve") {
  CHECK(DefaultMaxInFlight({1024, 4096}) == 1024 - kFdReserve);
  CHECK(DefaultMaxInFlight({65536, 65536}) == 65536 - kFdReserve);
  CHECK(DefaultMaxInFlight({10, 10}) == 1);  // never below one
  CHECK(DefaultMaxInFlight({std::numeric_limits<int64_t>::max(),
                            std::numeric_limits<int64_t>::max()}) == kDefaultMaxInFlightCeiling);
  CHECK(DefaultMaxInFlight({1 << 20, 1 << 20}) == kDefaultMaxInFlightCeiling);
  CHECK(ResolveMaxInFlight(200'000, {1 << 20, 1 << 20}).value() == 200'000);  // asked for
  CHECK(ResolveMaxInFlight(0, {1024, 4096}).value() == 960);
  SECTION("agents sharing a process share its descriptors") {
    CHECK(ResolveMaxInFlight(0, {1024, 4096}, 3).value() == 320);
  }
}

TEST_CASE("a value of --max-in-flight above what the fd limit allows is refused, saying why") {
  CHECK(ResolveMaxInFlight(960, {1024, 4096}).value() == 960);
  absl::StatusOr<int64_t> m = ResolveMaxInFlight(5000, {1024, 4096});
  REQUIRE(absl::IsInvalidArgument(m.status()));
  CHECK(m.status().message() ==
        "--max-in-flight 5000 needs 5064 open files; this process may open 1024 "
        "(ulimit -n; hard limit 4096), so at most 960: raise the limit or lower "
        "--max-in-flight");
  m = ResolveMaxInFlight(500, {1024, 4096}, 3);
  REQUIRE(absl::IsInvalidArgument(m.status()));
  CHECK_THAT(std::string(m.status().message()),
             ContainsSubstring("--max-in-flight 500 for each of 3 agents needs 1564 open files"));
}

TEST_CASE("the agent raises its soft fd limit to the hard limit at start-up") {
  rlimit before{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
  const FdLimit fd = RaiseFdLimit();
  rlimit after{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
  CHECK(static_cast<rlim_t>(fd.soft) == after.rlim_cur);
  CHECK(after.rlim_cur >= before.rlim_cur);
  if (before.rlim_max != RLIM_INFINITY) CHECK(after.rlim_cur == before.rlim_max);
  CHECK(DefaultMaxInFlight(fd) == std::min<int64_t>(static_cast<int64_t>(after.rlim_cur) - kFdReserve,
                                                   kDefaultMaxInFlightCeiling));
}

}  // namespace
}  // namespace barrage
