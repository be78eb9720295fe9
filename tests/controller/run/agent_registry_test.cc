// Copyright 2026 The Barrage Authors.

#include "controller/run/agent_registry.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;
using Catch::Matchers::ContainsSubstring;

constexpr int64_t kExpiry = 3'000'000'000;

TEST_CASE("agents register, are listed sorted and start idle") {
  FakeClock clock(1);
  AgentRegistry registry(clock, kExpiry);
  auto b = std::make_shared<FakeAgentHandle>();
  auto a = std::make_shared<FakeAgentHandle>();
  REQUIRE(registry.Register(MakeHello("b", 4), b).ok());
  REQUIRE(registry.Register(MakeHello("a"), a).ok());
  const auto all = registry.Snapshot();
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == "a");
  CHECK(all[1].capacity == 4);
  registry.SetRun("a", "r-1");
  CHECK(registry.Idle().size() == 1);
}

TEST_CASE("the registry keeps each agent's in-flight limit; an older agent's 0 is 1000") {
  FakeClock clock(1);
  AgentRegistry registry(clock, 3'000'000'000);
  v1::Hello hello = MakeHello("new");
  hello.set_max_in_flight(5000);
  REQUIRE(registry.Register(hello, std::make_shared<FakeAgentHandle>()).ok());
  REQUIRE(registry.Register(MakeHello("old"), std::make_shared<FakeAgentHandle>()).ok());
  const std::vector<AgentInfo> agents = registry.Snapshot();
  REQUIRE(agents.size() == 2);
  CHECK(agents[0].id == "new");
  CHECK(agents[0].max_in_flight == 5000);
  CHECK(agents[1].id == "old");
  CHECK(agents[1].max_in_flight == kUnknownAgentMaxInFlight);
  CHECK(kUnknownAgentMaxInFlight == 1000);
}

TEST_CASE("a bad hello is refused") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto h = std::make_shared<FakeAgentHandle>();
  CHECK_FALSE(registry.Register(MakeHello(""), h).ok());
  CHECK_FALSE(registry.Register(MakeHello("bad id"), h).ok());
  v1::Hello wrong = MakeHello("x");
  wrong.set_histogram_digits(2);
  CHECK_FALSE(registry.Register(wrong, h).ok());
  CHECK(registry.size() == 0);
}

TEST_CASE("a second agent with a live agent's id is refused; the first keeps its session") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto first = std::make_shared<FakeAgentHandle>();
  auto second = std::make_shared<FakeAgentHandle>();
  REQUIRE(registry.Register(MakeHello("a"), first).ok());
  clock.Advance(2'000'000'000);
  REQUIRE(registry.Touch("a", first.get()));
  const absl::Status s = registry.Register(MakeHello("a"), second);
  CHECK(absl::IsAlreadyExists(s));
  CHECK_THAT(std::string(s.message()), ContainsSubstring("--id"));
  CHECK_FALSE(first->closed());
  CHECK(registry.Handle("a") == first);
  CHECK(registry.Touch("a", first.get()));
  CHECK_FALSE(registry.Touch("a", second.get()));
}

TEST_CASE("an agent that reconnects after its old session is gone is accepted") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto old_session = std::make_shared<FakeAgentHandle>();
  auto new_session = std::make_shared<FakeAgentHandle>();
  SECTION("its old stream closed") {
    REQUIRE(registry.Register(MakeHello("a"), old_session).ok());
    REQUIRE(registry.Unregister("a", old_session.get()));
    REQUIRE(registry.Register(MakeHello("a"), new_session).ok());
  }
  SECTION("its old session was silent past the expiry") {
    REQUIRE(registry.Register(MakeHello("a"), old_session).ok());
    registry.SetRun("a", "r-1");
    clock.Advance(kExpiry + 1);
    REQUIRE(registry.Register(MakeHello("a"), new_session).ok());
    CHECK(old_session->closed());
    CHECK(registry.Idle().size() == 1);  // never resumes the old run
    // The old session going away does not remove its successor.
    CHECK_FALSE(registry.Unregister("a", old_session.get()));
    CHECK_FALSE(registry.Touch("a", old_session.get()));
  }
  CHECK(registry.size() == 1);
  CHECK(registry.Handle("a") == new_session);
  CHECK(registry.Unregister("a", new_session.get()));
  CHECK(registry.size() == 0);
}

TEST_CASE("a refused hello says whether retrying can help") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto h = std::make_shared<FakeAgentHandle>();
  CHECK(absl::IsInvalidArgument(registry.Register(MakeHello("bad id"), h)));
  v1::Hello layout = MakeHello("x");
  layout.set_histogram_digits(2);
  CHECK(absl::IsFailedPrecondition(registry.Register(layout, h)));
  v1::Hello label = MakeHello("x");
  (*label.mutable_labels())["zone"] = "a b";
  CHECK(absl::IsInvalidArgument(registry.Register(label, h)));
}

TEST_CASE("idle agents are selected by labels") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  for (const char* id : {"a1", "a2", "b1"}) {
    v1::Hello hello = MakeHello(id);
    (*hello.mutable_labels())["zone"] = id[0] == 'a' ? "a" : "b";
    if (std::string(id) == "a2") (*hello.mutable_labels())["tier"] = "edge";
    REQUIRE(registry.Register(hello, std::make_shared<FakeAgentHandle>()).ok());
  }
  CHECK(registry.IdleMatching({}).size() == 3);
  const auto zone_a = registry.IdleMatching({{"zone", "a"}});
  REQUIRE(zone_a.size() == 2);
  CHECK(zone_a[0].id == "a1");
  CHECK(zone_a[1].labels.at("zone") == "a");
  CHECK(registry.IdleMatching({{"zone", "a"}, {"tier", "edge"}}).size() == 1);
  CHECK(registry.IdleMatching({{"zone", "c"}}).empty());
  registry.SetRun("a1", "r-1");
  CHECK(registry.IdleMatching({{"zone", "a"}}).size() == 1);
  CHECK(FormatLabels({{"tier", "edge"}, {"zone", "a"}}) == "tier=edge,zone=a");
}

TEST_CASE("agents unheard for longer than the expiry are removed") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto a = std::make_shared<FakeAgentHandle>();
  auto b = std::make_shared<FakeAgentHandle>();
  REQUIRE(registry.Register(MakeHello("a"), a).ok());
  REQUIRE(registry.Register(MakeHello("b"), b).ok());
  clock.Advance(2'000'000'000);
  CHECK(registry.Touch("b", b.get(), 0.25));
  CHECK(registry.Expire().empty());
  clock.Advance(1'500'000'000);  // a: 3.5 s silent; b: 1.5 s
  const std::vector<std::string> gone = registry.Expire();
  REQUIRE(gone.size() == 1);
  CHECK(gone[0] == "a");
  CHECK(a->closed());
  CHECK(registry.Snapshot()[0].cpu_ratio == 0.25);
}

}  // namespace
}  // namespace barrage
