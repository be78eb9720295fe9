// Copyright 2026 The Barrage Authors.

#include "controller/run/agent_registry.h"

#include <catch2/catch_test_macros.hpp>

#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;

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

TEST_CASE("an agent that reconnects replaces its old session") {
  FakeClock clock;
  AgentRegistry registry(clock, kExpiry);
  auto old_session = std::make_shared<FakeAgentHandle>();
  auto new_session = std::make_shared<FakeAgentHandle>();
  REQUIRE(registry.Register(MakeHello("a"), old_session).ok());
  registry.SetRun("a", "r-1");
  REQUIRE(registry.Register(MakeHello("a"), new_session).ok());
  CHECK(old_session->closed());
  CHECK(registry.size() == 1);
  CHECK(registry.Handle("a") == new_session);
  CHECK(registry.Idle().size() == 1);  // never resumes the old run
  // The old session going away does not remove its successor.
  CHECK_FALSE(registry.Unregister("a", old_session.get()));
  CHECK_FALSE(registry.Touch("a", old_session.get()));
  CHECK(registry.size() == 1);
  CHECK(registry.Unregister("a", new_session.get()));
  CHECK(registry.size() == 0);
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
