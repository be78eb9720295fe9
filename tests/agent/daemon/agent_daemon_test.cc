// Copyright 2026 The Barrage Authors.
//
// The agent's session logic against a scripted controller
// (FakeControlStream) on a fake clock (FakeWaiter). Accepted runs start a
// real RunExecutor aimed at a closed loopback port at 1 request/s: what it
// sends is refused and does not matter.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "agent/daemon/agent_daemon.h"
#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_control_stream.h"
#include "tests/support/fake_waiter.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using testing::FakeClock;
using testing::FakeControlStream;
using testing::FakeControlStreamDialer;
using testing::FakeWaiter;
using Written = FakeControlStream::Written;

constexpr int64_t kMs = 1'000'000;

// A loopback port nothing listens on (bound, then closed).
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

v1::ControllerMessage Welcome(int64_t lease_ms, int64_t heartbeat_ms) {
  v1::ControllerMessage m;
  m.mutable_welcome()->set_lease_ms(lease_ms);
  m.mutable_welcome()->set_heartbeat_interval_ms(heartbeat_ms);
  m.mutable_welcome()->set_report_interval_ms(1000);
  return m;
}

v1::ControllerMessage StartRun(const std::string& run_id, int64_t period,
                               std::vector<int64_t> slots) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      absl::StrCat("name: d\ntarget: http://127.0.0.1:", ClosedPort(),
                   "\nrequests: [{name: a, path: /}]\nstages: [{duration: 60s, rate: 1/s}]\n"),
      "d.yaml");
  REQUIRE(s.ok());
  v1::ControllerMessage m;
  v1::StartRun* r = m.mutable_start_run();
  r->set_run_id(run_id);
  *r->mutable_scenario() = ScenarioToProto(*s);
  r->mutable_assignment()->set_period(period);
  for (int64_t slot : slots) r->mutable_assignment()->add_slots(slot);
  r->mutable_assignment()->set_seed(7);
  return m;
}

auto Accepted(const std::string& run_id) {
  return [run_id](const Written& w) {
    for (const v1::AgentMessage& m : w) {
      if (m.has_run_accepted() && m.run_accepted().run_id() == run_id) return true;
    }
    return false;
  };
}

auto Refused(const std::string& run_id) {
  return [run_id](const Written& w) {
    for (const v1::AgentMessage& m : w) {
      if (m.has_run_refused() && m.run_refused().run_id() == run_id) return true;
    }
    return false;
  };
}

std::string RefusalReason(const Written& w, const std::string& run_id) {
  for (const v1::AgentMessage& m : w) {
    if (m.has_run_refused() && m.run_refused().run_id() == run_id) return m.run_refused().reason();
  }
  return "";
}

auto Heartbeats(size_t n) {
  return [n](const Written& w) {
    size_t beats = 0;
    for (const v1::AgentMessage& m : w) beats += m.has_heartbeat() ? 1 : 0;
    return beats >= n;
  };
}

// A daemon on a fake clock, its dialer, its log, and the thread in Run().
class Harness {
 public:
  explicit Harness(AgentDaemonOptions options = {}) {
    options.id = "agent-t";
    options.workers = 1;
    options.log = [this](const std::string& line) {
      absl::MutexLock lock(&log_mu_);
      log_ += line + "\n";
    };
    auto dialer = std::make_unique<FakeControlStreamDialer>();
    dialer_ = dialer.get();
    daemon_ = std::make_unique<AgentDaemon>(std::move(options), std::move(dialer), clock_, waiter_);
  }
  ~Harness() {
    daemon_->Shutdown();
    if (runner_.joinable()) runner_.join();
  }

  // A stream whose controller says Welcome first.
  std::shared_ptr<FakeControlStream> Controller(int64_t lease_ms = 60'000,
                                                int64_t heartbeat_ms = 1000) {
    auto stream = std::make_shared<FakeControlStream>();
    stream->Deliver(Welcome(lease_ms, heartbeat_ms));
    dialer_->Push(stream);
    return stream;
  }
  void Start() {
    runner_ = std::thread([this] { daemon_->Run(); });
  }
  void Join() { runner_.join(); }
  std::string log() {
    absl::MutexLock lock(&log_mu_);
    return log_;
  }

  AgentDaemon& daemon() { return *daemon_; }
  FakeControlStreamDialer& dialer() { return *dialer_; }
  FakeClock& clock() { return clock_; }
  FakeWaiter& waiter() { return waiter_; }

 private:
  FakeClock clock_;
  FakeWaiter waiter_{clock_};
  absl::Mutex log_mu_;
  std::string log_ ABSL_GUARDED_BY(log_mu_);
  FakeControlStreamDialer* dialer_ = nullptr;
  std::unique_ptr<AgentDaemon> daemon_;
  std::thread runner_;
};

TEST_CASE("an agent says Hello, then heartbeats stamped with the clock's wall time") {
  Harness h;
  std::shared_ptr<FakeControlStream> c = h.Controller();
  h.Start();
  REQUIRE(c->AwaitWritten(Heartbeats(1)));
  const Written w = c->written();
  REQUIRE(w[0].has_hello());
  CHECK(w[0].hello().agent_id() == "agent-t");
  CHECK(w[0].hello().workers() == 1);
  CHECK(w[1].heartbeat().sent_unix_ms() == h.clock().WallNs() / kMs);
  CHECK(w[1].heartbeat().run_id().empty());
  CHECK(h.daemon().connected());
}

TEST_CASE("an agent accepts an assignment within its limits and runs it") {
  Harness h;
  std::shared_ptr<FakeControlStream> c = h.Controller();
  c->Deliver(StartRun("r1", 4, {1, 3}));
  h.Start();
  REQUIRE(c->AwaitWritten(Accepted("r1")));
  CHECK(h.daemon().running());
  CHECK_FALSE(Refused("r1")(c->written()));
  // The next heartbeat names the run.
  h.waiter().AdvanceTo(h.clock().NowNs() + 1000 * kMs);
  REQUIRE(c->AwaitWritten([](const Written& w) {
    for (const v1::AgentMessage& m : w) {
      if (m.has_heartbeat() && m.heartbeat().run_id() == "r1") return true;
    }
    return false;
  }));
}

TEST_CASE("an agent refuses an assignment it may not run, saying why") {
  AgentDaemonOptions options;
  v1::ControllerMessage start = StartRun("r1", 1, {0});
  std::string want;
  SECTION("a target outside the allow-list") {
    options.allow_targets = {"*.staging.example.com"};
    want = "not allowed by this agent's --allow-target";
  }
  SECTION("a share above the rate cap") {
    options.max_rate_per_s = 0.5;
    want = "--max-rate";
  }
  SECTION("slots out of order") {
    start = StartRun("r1", 4, {3, 1});
    want = "malformed assignment";
  }
  SECTION("a slot outside the period") {
    start = StartRun("r1", 4, {4});
    want = "malformed assignment";
  }
  SECTION("a start delay over a minute") {
    start.mutable_start_run()->set_start_delay_ms(60'001);
    want = "malformed assignment";
  }
  Harness h(options);
  std::shared_ptr<FakeControlStream> c = h.Controller();
  c->Deliver(start);
  h.Start();
  REQUIRE(c->AwaitWritten(Refused("r1")));
  CHECK_THAT(RefusalReason(c->written(), "r1"), ContainsSubstring(want));
  CHECK_FALSE(Accepted("r1")(c->written()));
  CHECK_FALSE(h.daemon().running());
}

TEST_CASE("an agent refuses a second concurrent run without disturbing the first") {
  Harness h;
  std::shared_ptr<FakeControlStream> c = h.Controller();
  c->Deliver(StartRun("r1", 1, {0}));
  c->Deliver(StartRun("r2", 1, {0}));
  h.Start();
  REQUIRE(c->AwaitWritten(Refused("r2")));
  const Written w = c->written();
  CHECK(Accepted("r1")(w));
  CHECK_FALSE(Accepted("r2")(w));
  CHECK(RefusalReason(w, "r2") == "already running r1");
  CHECK(h.daemon().running());
}

TEST_CASE("an unheard controller's lease expires: the load stops and the session ends") {
  Harness h;
  std::shared_ptr<FakeControlStream> c = h.Controller(/*lease_ms=*/2000, /*heartbeat_ms=*/500);
  c->Deliver(StartRun("r1", 1, {0}));
  h.Start();
  REQUIRE(c->AwaitWritten(Accepted("r1")));
  const int64_t heard = h.clock().NowNs();  // the StartRun was the last word
  SECTION("the writes flow") {}
  SECTION("a write is stuck in the transport") { c->HoldWrites(true); }
  // Within the lease: still running.
  h.waiter().AdvanceTo(heard + 1500 * kMs);
  REQUIRE(h.waiter().AwaitPendingBefore(heard + 3000 * kMs));  // the next beat, after 1.5 s
  CHECK(h.daemon().running());
  CHECK_FALSE(c->cancelled());
  // Past it: the dead-man switch.
  h.waiter().AdvanceTo(heard + 2001 * kMs);
  REQUIRE(c->AwaitFinished());
  CHECK(c->cancelled());
  CHECK_FALSE(h.daemon().running());
  CHECK_FALSE(h.daemon().connected());
  CHECK_THAT(h.log(), ContainsSubstring("dead-man switch"));
}

TEST_CASE("reconnect backoff doubles with jitter in [b/2, b] and resets after a long session") {
  AgentDaemonOptions options;
  options.backoff_initial_ms = 100;
  options.backoff_max_ms = 800;
  Harness h(options);
  h.Start();
  // Each wait: how long it is (ms), and how many dials came before it;
  // then the clock moves to its end.
  int64_t deadline = 0;
  auto await_wait_ms = [&] {
    std::optional<int64_t> d = h.waiter().AwaitPendingBefore(h.clock().NowNs() + 801 * kMs);
    REQUIRE(d.has_value());
    deadline = *d;
    return (deadline - h.clock().NowNs()) / kMs;
  };
  bool jittered = false;
  for (int64_t n = 0, b = 100; n < 6; ++n, b = std::min<int64_t>(b * 2, 800)) {
    const int64_t wait = await_wait_ms();
    INFO("failure " << n << ": waited " << wait << " ms, b = " << b);
    CHECK(wait >= b / 2);
    CHECK(wait <= b);
    CHECK(h.dialer().dials() == n + 1);
    jittered = jittered || wait != b;
    h.waiter().AdvanceTo(deadline);
  }
  CHECK(jittered);
  // The seventh wait ends in a dial that connects. A session of 11 s, then
  // the controller closes it: back to 100 ms.
  REQUIRE(await_wait_ms() <= 800);
  std::shared_ptr<FakeControlStream> c = h.Controller(/*lease_ms=*/3'600'000,
                                                      /*heartbeat_ms=*/3'600'000);
  h.waiter().AdvanceTo(deadline);
  REQUIRE(c->AwaitWritten(Heartbeats(1)));
  h.waiter().AdvanceTo(h.clock().NowNs() + 11'000 * kMs);
  c->Close(absl::UnavailableError("controller shutting down"));
  REQUIRE(c->AwaitFinished());
  const int64_t wait = await_wait_ms();
  CHECK(wait >= 50);
  CHECK(wait <= 100);
  CHECK(h.dialer().dials() == 8);
  CHECK_THAT(h.log(), ContainsSubstring("controller link closed: controller shutting down"));
}

TEST_CASE("Shutdown ends Run promptly, whatever it is doing") {
  Harness h;
  SECTION("waiting to reconnect") {
    h.Start();
    REQUIRE(h.waiter().AwaitPendingBefore(h.clock().NowNs() + 101 * kMs));
  }
  SECTION("running a share") {
    std::shared_ptr<FakeControlStream> c = h.Controller();
    c->Deliver(StartRun("r1", 1, {0}));
    h.Start();
    REQUIRE(c->AwaitWritten(Accepted("r1")));
  }
  SECTION("blocked in a write") {
    std::shared_ptr<FakeControlStream> c = h.Controller();
    c->HoldWrites(true);
    h.Start();
  }
  // No fake time passes: nothing waits for a deadline.
  const absl::Time began = absl::Now();
  h.daemon().Shutdown();
  h.Join();
  CHECK(absl::Now() - began < absl::Seconds(2));
  CHECK_FALSE(h.daemon().running());
}

}  // namespace
}  // namespace barrage
