// Copyright 2026 The Barrage Authors.
//
// The coordinator's whole run lifecycle with fake agents and a fake clock:
// no gRPC, no threads, no sleeps.

#include "controller/run/run_coordinator.h"

#include <optional>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/stats/histogram_codec.h"
#include "common/scenario/yaml_loader.h"
#include "controller/report/time_series.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;

constexpr int64_t kSecond = 1'000'000'000;

Scenario Plan(const std::string& extra = "") {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: c\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: 3s, rate: 10/s}]\n" + extra,
      "c.yaml");
  REQUIRE(s.ok());
  return *s;
}

v1::StatsReport Report(const std::string& run, const std::string& agent,
                       uint64_t seq, int64_t interval, uint64_t n,
                       uint64_t latency_us, bool final = false) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id(run);
  r.set_seq(seq);
  r.set_interval_start_ns(interval * kSecond);
  r.set_interval_length_ns(kSecond);
  r.set_final(final);
  if (n > 0) {
    Histogram h;
    h.RecordN(latency_us, n);
    v1::SeriesDelta* s = r.add_series();
    s->set_request("a");
    s->set_outcome(v1::OUTCOME_OK);
    EncodeHistogram(h, s->mutable_response());
    EncodeHistogram(h, s->mutable_service());
  }
  return r;
}

std::vector<v1::RunEvent> Drain(EventQueue& q) {
  std::vector<v1::RunEvent> out;
  while (auto e = q.Pop(absl::ZeroDuration())) out.push_back(*e);
  return out;
}

const v1::RunResult* ResultOf(const std::vector<v1::RunEvent>& events) {
  for (const auto& e : events) {
    if (e.has_result()) return &e.result();
  }
  return nullptr;
}

// The result, if the queue holds one (a copy: the events are drained).
std::optional<v1::RunResult> ResultIn(EventQueue& q) {
  for (const auto& e : Drain(q)) {
    if (e.has_result()) return e.result();
  }
  return std::nullopt;
}

bool Sent(FakeAgentHandle& h, v1::ControllerMessage::KindCase kind,
          bool immediate = false) {
  for (const auto& m : h.sent()) {
    if (m.kind_case() == kind &&
        (kind != v1::ControllerMessage::kStopRun || m.stop_run().immediate() == immediate)) {
      return true;
    }
  }
  return false;
}

struct Fixture {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  RunCoordinator coordinator{registry, clock, CoordinatorOptions()};
  std::shared_ptr<FakeAgentHandle> a = std::make_shared<FakeAgentHandle>();
  std::shared_ptr<FakeAgentHandle> b = std::make_shared<FakeAgentHandle>();

  void Connect() {
    REQUIRE(registry.Register(MakeHello("a"), a).ok());
    REQUIRE(registry.Register(MakeHello("b"), b).ok());
  }
  // Keeps both agents' leases fresh while time passes.
  void Advance(int64_t ns) {
    clock.Advance(ns);
    registry.Touch("a", a.get());
    registry.Touch("b", b.get());
    coordinator.Tick();
  }
};

TEST_CASE("a run goes from start to a passing result") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan("thresholds: [{metric: p95, below: 100ms}]"), "c.yaml");
  REQUIRE(events.ok());
  // Split and started at once: both agents got their half.
  REQUIRE(Sent(*f.a, v1::ControllerMessage::kStartRun));
  const v1::StartRun start = f.a->sent()[0].start_run();
  CHECK(start.assignment().period() == 2);
  CHECK(start.assignment().slots_size() == 1);
  CHECK(start.start_delay_ms() == 500);
  const std::string run = start.run_id();
  CHECK(f.b->sent()[0].start_run().assignment().slots(0) == 1);
  // One run at a time.
  auto second = f.coordinator.StartRun(Plan(), "c.yaml");
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(second.status().message()), ContainsSubstring(run));

  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  CHECK(f.coordinator.Status().state == "running");
  f.Advance(500'000'000);  // the common start
  for (int64_t k = 0; k < 3; ++k) {
    f.coordinator.OnStats(Report(run, "a", static_cast<uint64_t>(k + 1), k, 5, 20'000));
    f.coordinator.OnStats(Report(run, "b", static_cast<uint64_t>(k + 1), k, 5, 30'000));
    f.Advance(kSecond);
  }
  CHECK(f.coordinator.Status().progress.requests() == 30);
  CHECK_FALSE(Sent(*f.a, v1::ControllerMessage::kStopRun));  // agents end on their own
  f.Advance(2 * kSecond);  // the plan's end + the interval grace
  CHECK(Sent(*f.a, v1::ControllerMessage::kStopRun));  // plan elapsed
  CHECK(f.coordinator.Status().state == "stopping");
  f.coordinator.OnStats(Report(run, "a", 4, 3, 0, 0, /*final=*/true));
  f.coordinator.OnStats(Report(run, "b", 4, 3, 0, 0, /*final=*/true));
  f.Advance(100'000'000);
  const std::vector<v1::RunEvent> all = Drain(**events);
  const v1::RunResult* result = ResultOf(all);
  REQUIRE(result != nullptr);
  CHECK(result->status() == "passed");
  CHECK(result->exit_code() == 0);
  CHECK_THAT(result->summary_json(), ContainsSubstring("\"requests\":30"));
  CHECK_THAT(result->summary_json(), ContainsSubstring("\"exit_code\":0"));
  CHECK_THAT(result->summary_json(), ContainsSubstring("\"file\":\"c.yaml\""));
  // The series: every closed interval, its offered rate from the plan (10/s)
  // and the agents in the run; its results sum to the run's.
  absl::StatusOr<RunSeries> series = SeriesFromResultJson(result->summary_json());
  REQUIRE(series.ok());
  REQUIRE(series->intervals.size() >= 3);
  uint64_t requests = 0;
  for (const SeriesInterval& in : series->intervals) requests += in.Requests();
  CHECK(requests == 30);
  for (int k = 0; k < 3; ++k) {
    CHECK(series->intervals[k].offered_rps == 10);
    CHECK(series->intervals[k].achieved_rps == 10);
    CHECK(series->intervals[k].agents == 2);
  }
  int progress = 0;
  for (const auto& e : all) progress += e.has_progress();
  CHECK(progress >= 3);
  CHECK(f.registry.Idle().size() == 2);  // agents are free again
}

TEST_CASE("a failed threshold makes the result exit 99") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan("thresholds: [{metric: p95, below: 10ms}]"), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(500'000'000);
  f.coordinator.OnStats(Report(run, "a", 1, 0, 5, 20'000, true));
  f.coordinator.OnStats(Report(run, "b", 1, 0, 5, 20'000, true));
  f.Advance(kSecond);
  std::optional<v1::RunResult> result = ResultIn(**events);
  REQUIRE(result.has_value());
  CHECK(result->status() == "failed");
  CHECK(result->exit_code() == 99);
}

TEST_CASE("too few agents within the wait is exit 3") {
  Fixture f;
  REQUIRE(f.registry.Register(MakeHello("a"), f.a).ok());
  auto events = f.coordinator.StartRun(Plan("agents: {min: 2, wait: 5s}"), "c.yaml");
  REQUIRE(events.ok());
  CHECK(f.coordinator.Status().state == "waiting_for_agents");
  f.Advance(4 * kSecond);
  CHECK_FALSE(ResultIn(**events).has_value());
  f.Advance(2 * kSecond);
  std::optional<v1::RunResult> result = ResultIn(**events);
  REQUIRE(result.has_value());
  CHECK(result->exit_code() == 3);
  CHECK_THAT(result->error(), ContainsSubstring("only 1 of the 2 agents"));
}

TEST_CASE("agents arriving while waiting start the run") {
  Fixture f;
  auto events = f.coordinator.StartRun(Plan("agents: {min: 2, wait: 30s}"), "c.yaml");
  REQUIRE(events.ok());
  f.Connect();
  f.Advance(100'000'000);
  CHECK(f.coordinator.Status().state == "starting");
}

TEST_CASE("losing an agent with on_loss abort aborts the run, exit 4") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan("agents: {on_loss: abort}"), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(kSecond);
  REQUIRE(f.registry.Unregister("b", f.b.get()));
  f.coordinator.OnAgentGone("b");
  CHECK(Sent(*f.a, v1::ControllerMessage::kStopRun, /*immediate=*/true));
  f.coordinator.OnStats(Report(run, "a", 1, 0, 3, 1000, true));
  f.Advance(100'000'000);
  const auto all = Drain(**events);
  const v1::RunResult* result = ResultOf(all);
  REQUIRE(result != nullptr);
  CHECK(result->status() == "aborted");
  CHECK(result->exit_code() == 4);
  CHECK_THAT(result->summary_json(), ContainsSubstring("\"kind\":\"agent_lost\""));
}

TEST_CASE("losing an agent with on_loss continue keeps going and says so") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan("agents: {on_loss: continue}"), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(kSecond);
  f.clock.Advance(4 * kSecond);  // b falls silent past its expiry
  f.registry.Touch("a", f.a.get());
  f.coordinator.Tick();
  CHECK(f.registry.size() == 1);
  CHECK(f.coordinator.Status().state != "aborting");
  bool noticed = false;
  for (const auto& e : Drain(**events)) {
    noticed = noticed || (e.has_event() && e.event().kind() == "agent_lost" &&
                          e.event().agent() == "b");
  }
  CHECK(noticed);
}

TEST_CASE("an abort threshold stops every agent at once") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(
      Plan("thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true,"
           " min_requests: 0}]"),
      "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(500'000'000);
  v1::StatsReport bad = Report(run, "a", 1, 0, 5, 1000);
  v1::SeriesDelta* e = bad.add_series();
  e->set_request("a");
  e->set_outcome(v1::OUTCOME_TIMEOUT);
  Histogram h;
  h.RecordN(5'000'000, 5);
  EncodeHistogram(h, e->mutable_response());
  EncodeHistogram(h, e->mutable_service());
  f.coordinator.OnStats(bad);
  f.coordinator.OnStats(Report(run, "b", 1, 0, 5, 1000));
  f.Advance(kSecond);
  CHECK(f.coordinator.Status().state == "aborting");
  CHECK(Sent(*f.b, v1::ControllerMessage::kStopRun, /*immediate=*/true));
}

TEST_CASE("reports for another run or from strangers are rejected") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan(), "c.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnStats(Report("r-other", "a", 1, 0, 5, 1000));
  f.coordinator.OnStats(Report(run, "mallory", 1, 0, 5, 1000));
  CHECK(f.coordinator.reports_rejected() == 2);
}

TEST_CASE("a user stop before agents come ends the run as aborted") {
  Fixture f;
  auto events = f.coordinator.StartRun(Plan("agents: {min: 1, wait: 30s}"), "c.yaml");
  REQUIRE(events.ok());
  REQUIRE(f.coordinator.StopRun("", false).ok());
  std::optional<v1::RunResult> result = ResultIn(**events);
  REQUIRE(result.has_value());
  CHECK(result->exit_code() == 4);
  CHECK(f.coordinator.StopRun("", false).code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

// Interval `k` of agent `agent`: `ok` fine results and `failed` timeouts.
v1::StatsReport Mixed(const std::string& run, const std::string& agent, int64_t k,
                      uint64_t ok, uint64_t failed) {
  v1::StatsReport r = Report(run, agent, static_cast<uint64_t>(k + 1), k, ok, 1000);
  if (failed > 0) {
    v1::SeriesDelta* e = r.add_series();
    e->set_request("a");
    e->set_outcome(v1::OUTCOME_TIMEOUT);
    Histogram h;
    h.RecordN(5'000'000, failed);
    EncodeHistogram(h, e->mutable_response());
    EncodeHistogram(h, e->mutable_service());
  }
  return r;
}

// A 30 s run of two agents whose interval `k` has `ok` + `failed` results
// per agent as `per_interval(k)` says; steps one interval at a time and
// returns the interval after which the run was aborting, or -1.
template <typename PerInterval>
int64_t AbortedAfter(Fixture& f, const std::string& thresholds, PerInterval per_interval,
                     std::shared_ptr<EventQueue>* queue = nullptr) {
  auto events = f.coordinator.StartRun(
      [&] {
        absl::StatusOr<Scenario> s = LoadScenarioYaml(
            "name: c\ntarget: http://127.0.0.1:9\nrequests: [{name: a, path: /}]\n"
            "stages: [{duration: 30s, rate: 10/s}]\n" + thresholds,
            "c.yaml");
        REQUIRE(s.ok());
        return *s;
      }(),
      "c.yaml");
  REQUIRE(events.ok());
  if (queue != nullptr) *queue = *events;
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(500'000'000);
  for (int64_t k = 0; k < 30; ++k) {
    const auto [ok, failed] = per_interval(k);
    f.coordinator.OnStats(Mixed(run, "a", k, ok, failed));
    f.coordinator.OnStats(Mixed(run, "b", k, ok, failed));
    f.Advance(kSecond);
    if (f.coordinator.Status().state == "aborting") return k;
  }
  return -1;
}

std::pair<uint64_t, uint64_t> AllFail(int64_t) { return {0, 5}; }  // 10 per interval

TEST_CASE("an abort threshold waits for its default grace: 100 requests or 10 s") {
  SECTION("10 failing requests a second: 100 requests after 10 intervals") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f, "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true}]", AllFail);
    // Interval 9 closes at run time 10 s with the 100th request: not before.
    CHECK(k == 9);
  }
  SECTION("a slow run reaches 10 s first") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f, "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true}]",
        [](int64_t) { return std::pair<uint64_t, uint64_t>{0, 1}; });  // 2/s
    CHECK(k == 9);  // run time 10 s, 20 requests
  }
  SECTION("many requests a second: 100 requests come first") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f, "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true}]",
        [](int64_t) { return std::pair<uint64_t, uint64_t>{0, 30}; });  // 60/s
    CHECK(k == 1);  // 120 requests after 2 intervals
  }
}

TEST_CASE("an abort threshold's min_requests and delay are its grace") {
  SECTION("delay alone") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f, "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true, delay: 4s}]",
        [](int64_t) { return std::pair<uint64_t, uint64_t>{0, 30}; });
    CHECK(k == 3);  // 60/s would have aborted after 2 intervals by default
  }
  SECTION("min_requests alone") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f,
        "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true,"
        " min_requests: 150}]",
        AllFail);
    CHECK(k == 14);  // 150 requests at 10/s; no 10 s default
  }
  SECTION("both must hold") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f,
        "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true,"
        " min_requests: 20, delay: 6s}]",
        AllFail);
    CHECK(k == 5);
  }
  SECTION("a failure that recovers within the grace does not abort") {
    Fixture f;
    f.Connect();
    const int64_t k = AbortedAfter(
        f, "thresholds: [{metric: error_rate, below: 1%, window: 1s, abort: true}]",
        [](int64_t i) { return std::pair<uint64_t, uint64_t>{i < 3 ? 0 : 5, i < 3 ? 5 : 0}; });
    CHECK(k == -1);
  }
}

TEST_CASE("a windowed threshold reports its worst window and when it was") {
  Fixture f;
  f.Connect();
  std::shared_ptr<EventQueue> queue;
  // Error rate per 1 s window: 0% except interval 12 (20%) and 20 (10%).
  const int64_t k = AbortedAfter(
      f, "thresholds: [{metric: error_rate, below: 50%, window: 1s}]",
      [](int64_t i) {
        return std::pair<uint64_t, uint64_t>{i == 12 ? 4 : i == 20 ? 9 : 10,
                                             i == 12 ? 1 : i == 20 ? 1 : 0};
      },
      &queue);
  CHECK(k == -1);
  for (int i = 0; i < 14; ++i) f.Advance(kSecond);  // the stop's grace, then the drain times out
  std::optional<v1::RunResult> result = ResultIn(*queue);
  REQUIRE(result.has_value());
  CHECK(result->status() == "passed");
  // Interval 12 ends at run time 13 s.
  CHECK_THAT(result->summary_json(),
             ContainsSubstring("\"worst\":{\"value\":0.2,\"at_s\":13}"));
  CHECK_THAT(result->summary_text(), ContainsSubstring("worst 20.000% at 13 s"));
}

TEST_CASE("the achieved rate spans every interval closed at once, up to the load's end") {
  // One interval.
  CHECK(*AchievedRps(62'000, 5, 5, kSecond, 20 * kSecond) == 62'000.0);
  // Finish closes the plan's last interval and the one after it (requests
  // that completed after the end) together: 2 s of requests over 1 s of load.
  CHECK(*AchievedRps(62'000 + 1'880, 19, 20, kSecond, 20 * kSecond) == 63'880.0);
  // Two whole intervals closed together.
  CHECK(*AchievedRps(124'000, 17, 18, kSecond, 20 * kSecond) == 62'000.0);
  // Only late completions: no time to divide by.
  CHECK(!AchievedRps(1'880, 20, 20, kSecond, 20 * kSecond).has_value());
  // A partial last interval (a 19.5 s plan).
  CHECK(*AchievedRps(31'000, 19, 19, kSecond, 19'500'000'000) == 62'000.0);
}

TEST_CASE("the last progress line's achieved rate is not the tail's") {
  Fixture f;
  f.Connect();
  auto events = f.coordinator.StartRun(Plan(), "c.yaml");  // 3 s at 10/s
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.coordinator.OnAccepted("b", run);
  f.Advance(500'000'000);
  for (int64_t k = 0; k < 2; ++k) {
    f.coordinator.OnStats(Report(run, "a", static_cast<uint64_t>(k + 1), k, 5, 1000));
    f.coordinator.OnStats(Report(run, "b", static_cast<uint64_t>(k + 1), k, 5, 1000));
    f.Advance(kSecond);
  }
  // Interval 2 and a late completion in interval 3 arrive with the finals.
  f.coordinator.OnStats(Report(run, "a", 3, 2, 5, 1000));
  f.coordinator.OnStats(Report(run, "a", 4, 3, 1, 1000, /*final=*/true));
  f.coordinator.OnStats(Report(run, "b", 3, 2, 5, 1000, /*final=*/true));
  f.Advance(kSecond);
  const std::vector<v1::RunEvent> all = Drain(**events);
  const v1::Progress* last = nullptr;
  for (const auto& e : all) {
    if (e.has_progress()) last = &e.progress();
  }
  REQUIRE(last != nullptr);
  CHECK(last->requests() == 31);
  // Interval 3 (past the plan's end) holds only the late completion: the
  // last line keeps interval 2's rate (it showed the tail's 1/s before).
  CHECK(last->achieved_rps() == 10.0);
}

}  // namespace
}  // namespace barrage
