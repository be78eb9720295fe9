// Copyright 2026 The Barrage Authors.
//
// The coordinator never waits on its store: with every Save blocked (a
// slow disk), agent reports still merge, Ticks and heartbeats still run and
// progress still flows; once the store is let go it holds every write, in
// order. Fake agents and a fake clock; the store blocks on a latch the test
// opens (at most 2 s of real time, which a coordinator waiting on it would
// cost, and which the checks below would then catch).

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/yaml_loader.h"
#include "common/stats/histogram_codec.h"
#include "controller/report/time_series.h"
#include "controller/run/run_coordinator.h"
#include "tests/support/blocking_result_store.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using testing::BlockingResultStore;
using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;

constexpr int64_t kSecond = 1'000'000'000;

Scenario Plan(int seconds) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: slow-disk\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: " + std::to_string(seconds) + "s, rate: 10/s}]\n",
      "c.yaml");
  REQUIRE(s.ok());
  return *s;
}

// `n` requests of 20 ms in interval `interval` (1 s long).
v1::StatsReport Report(const std::string& run, const std::string& agent, int64_t interval,
                       uint64_t n, bool final = false) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id(run);
  r.set_seq(static_cast<uint64_t>(interval + 1));
  r.set_interval_start_ns(interval * kSecond);
  r.set_interval_length_ns(kSecond);
  r.set_final(final);
  if (n > 0) {
    Histogram h;
    h.RecordN(20'000, n);
    v1::SeriesDelta* s = r.add_series();
    s->set_request("a");
    s->set_outcome(v1::OUTCOME_OK);
    EncodeHistogram(h, s->mutable_response());
    EncodeHistogram(h, s->mutable_service());
  }
  return r;
}

struct Drained {
  int progress = 0;
  uint64_t last_requests = 0;  // of the last progress event
  std::optional<v1::RunResult> result;
};

Drained Drain(EventQueue& q) {
  Drained d;
  while (auto e = q.Pop(absl::ZeroDuration())) {
    if (e->has_progress()) {
      ++d.progress;
      d.last_requests = e->progress().requests();
    }
    if (e->has_result()) d.result = e->result();
  }
  return d;
}

// Waits (real time, bounded) for the run's result event.
std::optional<v1::RunResult> AwaitResult(EventQueue& q) {
  for (int i = 0; i < 100; ++i) {
    std::optional<v1::RunEvent> e = q.Pop(absl::Milliseconds(100));
    if (e && e->has_result()) return e->result();
    if (!e && q.drained_and_closed()) break;
  }
  return std::nullopt;
}

struct Fixture {
  explicit Fixture(bool store_open) : store(store_open) {}

  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  BlockingResultStore store;
  RunCoordinator coordinator{registry, clock, [this] {
                               CoordinatorOptions o;
                               o.store = &store;
                               return o;
                             }()};
  std::shared_ptr<FakeAgentHandle> a = std::make_shared<FakeAgentHandle>();
  std::shared_ptr<FakeAgentHandle> b = std::make_shared<FakeAgentHandle>();

  void Connect() {
    REQUIRE(registry.Register(MakeHello("a"), a).ok());
    REQUIRE(registry.Register(MakeHello("b"), b).ok());
  }
  // Heartbeats from both agents, then a Tick.
  void Advance(int64_t ns) {
    clock.Advance(ns);
    registry.Touch("a", a.get());
    registry.Touch("b", b.get());
    coordinator.Tick();
  }
  // Starts a run of `seconds` on both agents; returns its id.
  std::string Start(int seconds, std::shared_ptr<EventQueue>& events) {
    const size_t sent = a->sent().size();
    absl::StatusOr<std::shared_ptr<EventQueue>> q = coordinator.StartRun(Plan(seconds), "c.yaml");
    REQUIRE(q.ok());
    events = *q;
    REQUIRE(a->sent().size() == sent + 1);
    const std::string run = a->sent().back().start_run().run_id();
    coordinator.OnAccepted("a", run);
    coordinator.OnAccepted("b", run);
    Advance(500'000'000);  // the common start
    return run;
  }
  // One second of reports (5 requests per agent) and a Tick.
  void Second(const std::string& run, int64_t k) {
    coordinator.OnStats(Report(run, "a", k, 5));
    coordinator.OnStats(Report(run, "b", k, 5));
    Advance(kSecond);
  }
  void Finals(const std::string& run, int64_t k) {
    coordinator.OnStats(Report(run, "a", k, 0, /*final=*/true));
    coordinator.OnStats(Report(run, "b", k, 0, /*final=*/true));
    Advance(100'000'000);
  }
};

TEST_CASE("a blocked checkpoint holds up neither merging nor progress") {
  Fixture f(/*store_open=*/false);
  f.Connect();
  std::shared_ptr<EventQueue> events;
  const std::string run = f.Start(12, events);
  // The first Tick of the running run checkpoints; its Save now blocks.
  REQUIRE(f.store.AwaitBlocked());

  uint64_t requests = 0;
  for (int64_t k = 0; k < 12; ++k) {
    f.Second(run, k);
    const Drained d = Drain(*events);
    INFO("second " << k);
    CHECK(d.progress == 1);
    CHECK(d.last_requests == requests + 10);
    CHECK(f.coordinator.Status().progress.requests() == requests + 10);
    requests += 10;
    CHECK(f.registry.size() == 2);  // heartbeats kept both leases
  }
  // Two more checkpoints (at 5 s and 10 s) queued behind the blocked one;
  // the newer replaced the older. The run ends; its result waits for the
  // disk too.
  f.Finals(run, 12);
  CHECK(f.coordinator.Status().state == "finished");
  const Drained ended = Drain(*events);
  CHECK_FALSE(ended.result.has_value());
  // Nothing above waited for the store: the first Save is still blocked.
  CHECK(f.store.blocked());
  CHECK(f.store.saved().empty());

  f.store.Open();
  const std::optional<v1::RunResult> result = AwaitResult(*events);
  REQUIRE(result.has_value());
  CHECK(result->status() == "passed");
  CHECK_THAT(result->summary_json(), ContainsSubstring("\"requests\":120"));
  const std::vector<StoredRun> saved = f.store.saved();
  REQUIRE(saved.size() == 3);
  CHECK(saved[0].status == "running");
  CHECK_THAT(saved[0].result_json, ContainsSubstring("\"requests\":0"));
  CHECK(saved[1].status == "running");
  CHECK(saved[1].updated_at > saved[0].updated_at);  // the 10 s one, not the 5 s one
  CHECK_THAT(saved[1].result_json, ContainsSubstring("\"requests\":100"));
  CHECK(saved[2].status == "passed");
  CHECK(saved[2].result_json == result->summary_json());
  for (const StoredRun& s : saved) CHECK(s.id == run);
}

TEST_CASE("a blocked final write holds up neither the next run nor its progress") {
  Fixture f(/*store_open=*/true);
  f.Connect();
  std::shared_ptr<EventQueue> first;
  const std::string run1 = f.Start(3, first);
  for (int64_t k = 0; k < 3; ++k) f.Second(run1, k);
  REQUIRE(f.store.AwaitSaved(1));  // the first checkpoint went through
  f.store.Close();
  f.Finals(run1, 3);
  REQUIRE(f.store.AwaitBlocked());  // the final write
  CHECK(f.coordinator.Status().state == "finished");
  CHECK_FALSE(Drain(*first).result.has_value());

  // The agents are free: the next run starts, merges and reports progress
  // while the first run's result is still on its way to the disk.
  std::shared_ptr<EventQueue> second;
  const std::string run2 = f.Start(10, second);
  CHECK(run2 != run1);
  for (int64_t k = 0; k < 2; ++k) f.Second(run2, k);
  const Drained d = Drain(*second);
  CHECK(d.progress == 2);
  CHECK(d.last_requests == 20);
  CHECK(f.store.blocked());
  CHECK(f.store.saved().size() == 1);

  f.store.Open();
  const std::optional<v1::RunResult> result = AwaitResult(*first);
  REQUIRE(result.has_value());
  CHECK(result->status() == "passed");
  REQUIRE(f.store.AwaitSaved(3));
  const std::vector<StoredRun> saved = f.store.saved();
  REQUIRE(saved.size() == 3);
  CHECK((saved[0].id == run1 && saved[0].status == "running"));
  CHECK((saved[1].id == run1 && saved[1].status == "passed"));
  CHECK((saved[2].id == run2 && saved[2].status == "running"));  // queued behind it
  CHECK(saved[1].updated_at == "2026-12-01T00:16:43Z");  // the fake clock's wall time, 1003.6 s
}

TEST_CASE("merges keep flowing while a checkpoint with a long series is written") {
  Fixture f(/*store_open=*/true);
  f.Connect();
  std::shared_ptr<EventQueue> events;
  constexpr int64_t kLong = 1200;  // seconds of series before the disk slows down
  const std::string run = f.Start(kLong + 30, events);
  for (int64_t k = 0; k < kLong; ++k) f.Second(run, k);
  (void)Drain(*events);
  // The disk slows down: the next checkpoint, its series 1,200 intervals
  // long, blocks on its way to the store.
  f.store.Close();
  int64_t k = kLong;
  for (; k < kLong + 5; ++k) f.Second(run, k);
  REQUIRE(f.store.AwaitBlocked());
  uint64_t requests = Drain(*events).last_requests;
  for (; k < kLong + 30; ++k) {
    f.Second(run, k);
    const Drained d = Drain(*events);
    INFO("second " << k);
    CHECK(d.progress == 1);
    CHECK(d.last_requests == requests + 10);
    requests += 10;
  }
  CHECK(f.store.blocked());
  f.Finals(run, k);
  CHECK(f.coordinator.Status().state == "finished");
  f.store.Open();
  const std::optional<v1::RunResult> result = AwaitResult(*events);
  REQUIRE(result.has_value());

  // Every checkpoint's series, rendered on the writer's thread from the
  // deltas, is the final series up to where that checkpoint was taken.
  absl::StatusOr<RunSeries> final_series = SeriesFromResultJson(result->summary_json());
  REQUIRE(final_series.ok());
  const std::vector<StoredRun> saved = f.store.saved();
  REQUIRE(saved.size() >= 3);  // checkpoints queued behind a slow write were combined
  size_t last_intervals = 0;
  for (size_t i = 0; i + 1 < saved.size(); ++i) {
    INFO("checkpoint " << i);
    absl::StatusOr<RunSeries> series = SeriesFromResultJson(saved[i].result_json);
    REQUIRE(series.ok());
    REQUIRE(series->intervals.size() >= last_intervals);
    REQUIRE(series->intervals.size() <= final_series->intervals.size());
    last_intervals = series->intervals.size();
    for (size_t j = 0; j < series->intervals.size(); ++j) {
      REQUIRE(series->intervals[j].Requests() == final_series->intervals[j].Requests());
      REQUIRE(series->intervals[j].start_s == final_series->intervals[j].start_s);
    }
  }
  CHECK(last_intervals >= static_cast<size_t>(kLong) + 25);
}

}  // namespace
}  // namespace barrage
