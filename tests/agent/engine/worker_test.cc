// Copyright 2026 The Barrage Authors.

#include "agent/engine/worker.h"

#include <set>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/fake_http_client.h"

namespace barrage {
namespace {

using testing::Drive;
using testing::FakeClock;
using testing::FakeHttpClient;
using testing::FakeResponse;

Scenario OpenPlan(int64_t per_second, absl::Duration d, int requests = 1) {
  Scenario s;
  s.name = "t";
  for (int i = 0; i < requests; ++i) {
    RequestSpec r;
    r.name = "r" + std::to_string(i);
    r.method = "GET";
    r.path = "/";
    r.weight = i + 1;
    r.timeout = absl::Seconds(5);
    s.requests.push_back(r);
  }
  Stage st;
  st.kind = Stage::Kind::kRate;
  st.rate_from = st.rate_to = Rational::FromInt(per_second);
  st.duration = d;
  s.stages.push_back(st);
  s.target.url = "http://127.0.0.1:1";
  return s;
}

WorkerConfig Config(Scenario s) {
  WorkerConfig c;
  c.scenario = std::move(s);
  return c;
}

IntervalStats Collect(Worker& w, size_t requests) {
  IntervalStats all(requests);
  w.TakeIntervals(all);
  return all;
}

TEST_CASE("latency is measured from the intended send time") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{10'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(10, absl::Seconds(10))), client);
  Drive(worker, client, clock, 11'000'000'000);
  REQUIRE(worker.Finished(clock.NowNs()));
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  const SeriesStats* ok = all.Find(0, Outcome::kOk);
  REQUIRE(ok != nullptr);
  CHECK(ok->response.count() == 100);
  CHECK(ok->response.min_us() == 10'000);
  CHECK(ok->response.max_us() == 10'000);
  CHECK(ok->service.max_us() == 10'000);
  CHECK(all.dropped == 0);
  CHECK(all.started == 100);
  CHECK(client.sent().size() == 100);
  CHECK(client.sent()[37].at_ns == 3'700'000'000);
}

TEST_CASE("the client's GOAWAY retries are reported as per-interval deltas") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{10'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(10, absl::Seconds(4))), client);
  client.set_h2_retries(2);
  Drive(worker, client, clock, 2'000'000'000);
  CHECK(Collect(worker, 1).h2_retries == 2);
  client.set_h2_retries(5);
  Drive(worker, client, clock, 5'000'000'000);
  REQUIRE(worker.Finished(clock.NowNs()));
  worker.CloseFinal(clock.NowNs());
  CHECK(Collect(worker, 1).h2_retries == 3);  // not 5: the first 2 went out already
}

TEST_CASE("waiting for the in-flight cap counts in the response time") {
  FakeClock clock;
  // One slot, 250 ms per request, an arrival every 100 ms: a queue builds.
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{250'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(2)));
  c.max_in_flight = 1;
  Worker worker(c, client);
  Drive(worker, client, clock, 10'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  const SeriesStats* ok = all.Find(0, Outcome::kOk);
  REQUIRE(ok != nullptr);
  // Every request was served in exactly 250 ms ...
  CHECK(ok->service.min_us() == 250'000);
  CHECK(ok->service.max_us() == 250'000);
  // ... but the 8th one (intended at 700 ms, sent at 1750 ms) waited 1050 ms.
  CHECK(ok->response.max_us() > 1'000'000);
  CHECK(ok->response.min_us() == 250'000);
  CHECK(all.schedule_lag.max_us() > 1'000'000);
  CHECK(all.late > 0);
}

TEST_CASE("arrivals later than the maximum lag are dropped and counted") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(20, absl::Seconds(3)));
  c.max_in_flight = 1;
  c.max_lag_ns = 500'000'000;
  Worker worker(c, client);
  Drive(worker, client, clock, 10'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  CHECK(all.dropped > 0);
  CHECK(all.started + all.dropped == 60);  // nothing silently skipped
  CHECK(all.Requests() == all.started);
}

TEST_CASE("failed requests land in their outcome's series") {
  FakeClock clock;
  int n = 0;
  FakeHttpClient client(clock, [&n](size_t, int64_t) {
    ++n;
    if (n % 4 == 0) return FakeResponse{5'000'000, Outcome::kTimeout, 0};
    if (n % 4 == 1) return FakeResponse{2'000'000, Outcome::kHttpError, 503};
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(40, absl::Seconds(1))), client);
  Drive(worker, client, clock, 2'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  CHECK(all.Find(0, Outcome::kOk)->response.count() == 20);
  CHECK(all.Find(0, Outcome::kHttpError)->response.count() == 10);
  CHECK(all.Find(0, Outcome::kTimeout)->response.count() == 10);
  CHECK(all.Errors() == 20);
}

TEST_CASE("connection phases are recorded where measured and reported only then") {
  FakeClock clock;
  int n = 0;
  FakeHttpClient client(clock, [&n](size_t, int64_t) {
    // Every 4th request opens a connection (connect 0.3 ms, TLS 1.2 ms).
    FakeResponse r{3'000'000, Outcome::kOk, 200};
    r.ttfb_ns = 2'500'000;
    if (n++ % 4 == 0) {
      r.connect_ns = 300'000;
      r.tls_ns = 1'200'000;
    }
    return r;
  });
  Worker worker(Config(OpenPlan(40, absl::Seconds(1))), client);
  Drive(worker, client, clock, 2'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  const SeriesStats& ok = *all.Find(0, Outcome::kOk);
  CHECK(ok.response.count() == 40);
  CHECK(ok.connect.count() == 10);
  CHECK(ok.connect.max_us() == 300);
  CHECK(ok.tls.count() == 10);
  CHECK(ok.tls.max_us() == 1'200);
  CHECK(ok.ttfb.count() == 40);
  std::vector<HttpRequestTemplate> templates(1);
  templates[0].name = "r0";
  v1::StatsReport report;
  all.ToReport(templates, &report);
  REQUIRE(report.series_size() == 1);
  CHECK(report.series(0).connect().count() == 10);
  CHECK(report.series(0).ttfb().count() == 40);
  // A driver that measures nothing sends no phases.
  IntervalStats plain(1);
  plain.Series(0, Outcome::kOk).Record(1'000, 1'000, 1, 1);
  v1::StatsReport none;
  plain.ToReport(templates, &none);
  CHECK_FALSE(none.series(0).has_connect());
  CHECK_FALSE(none.series(0).has_ttfb());
}

TEST_CASE("requests are picked by weight, deterministically by seed") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
  // Weights 1, 2, 3.
  Worker worker(Config(OpenPlan(1000, absl::Seconds(6), 3)), client);
  Drive(worker, client, clock, 7'000'000'000);
  std::vector<int> counts(3, 0);
  for (const auto& s : client.sent()) ++counts[s.tpl];
  const double total = 6000;
  CHECK(std::abs(counts[0] / total - 1.0 / 6) < 0.02);
  CHECK(std::abs(counts[1] / total - 2.0 / 6) < 0.02);
  CHECK(std::abs(counts[2] / total - 3.0 / 6) < 0.02);
}

TEST_CASE("closed-model VUs loop request, response, think") {
  FakeClock clock;
  int64_t in_flight = 0;
  int64_t peak = 0;
  FakeHttpClient client(clock, [&](size_t, int64_t) {
    peak = std::max(peak, ++in_flight);
    return FakeResponse{100'000'000, Outcome::kOk, 200};
  });
  Scenario s = OpenPlan(1, absl::Seconds(1));
  s.stages[0].kind = Stage::Kind::kVus;
  s.stages[0].vus_from = s.stages[0].vus_to = 5;
  s.stages[0].think = absl::Milliseconds(100);
  s.stages[0].duration = absl::Seconds(10);
  Worker worker(Config(s), client);
  // Count concurrency through completions.
  auto on_done = [&](const HttpResult& r) {
    --in_flight;
    worker.OnResult(r, clock.NowNs());
  };
  while (clock.NowNs() < 12'000'000'000) {
    const int64_t step = worker.Step(clock.NowNs());  // may start requests
    const int64_t next = std::min(step, client.NextCompletion());
    if (next == Worker::kNever) break;
    clock.Set(next);
    client.Poll(0, on_done);
  }
  worker.Step(clock.NowNs());
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  // Each VU cycles every 200 ms: 5 VUs x 50 cycles.
  CHECK(all.Requests() == 250);
  CHECK(peak == 5);
}

TEST_CASE("VUs beyond the in-flight cap are reported capped, apart from other saturation") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{100'000'000, Outcome::kOk, 200};
  });
  Scenario s = OpenPlan(1, absl::Seconds(1));
  s.stages[0].kind = Stage::Kind::kVus;
  s.stages[0].vus_from = s.stages[0].vus_to = 5;
  s.stages[0].duration = absl::Seconds(2);
  int64_t cap = 5;
  bool capped = false;
  SECTION("a connection per VU: not capped") {}
  SECTION("3 connections for 5 VUs: capped") {
    cap = 3;
    capped = true;
  }
  WorkerConfig c = Config(s);
  c.max_in_flight = static_cast<size_t>(cap);
  Worker worker(c, client);
  Drive(worker, client, clock, 3'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  CHECK(all.vus_capped == capped);
  CHECK(all.in_flight_capped == capped);
  CHECK(all.dropped == 0);
}

TEST_CASE("open-model arrivals waiting for the cap mark the interval in-flight capped only") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{250'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(2)));
  c.max_in_flight = 1;
  Worker worker(c, client);
  Drive(worker, client, clock, 10'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  CHECK(all.in_flight_capped);
  CHECK_FALSE(all.vus_capped);
}

TEST_CASE("a VU ramp adds users as the plan's count grows") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{50'000'000, Outcome::kOk, 200};
  });
  Scenario s = OpenPlan(1, absl::Seconds(1));
  s.stages[0].kind = Stage::Kind::kVusRamp;
  s.stages[0].vus_from = 0;
  s.stages[0].vus_to = 10;
  s.stages[0].duration = absl::Seconds(10);
  Worker worker(Config(s), client);
  Drive(worker, client, clock, 5'000'000'000);
  // At 5 s the plan holds 5 VUs, each looping every 50 ms since it joined.
  Drive(worker, client, clock, 11'000'000'000);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all = Collect(worker, 1);
  // VU k joins at k s and runs to 10 s: sum over k of (10 - k) * 20 requests.
  CHECK(std::llabs(static_cast<int64_t>(all.Requests()) - 900) <= 10);
}

TEST_CASE("interval snapshots add up to the run and close on time") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{3'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(100, absl::Seconds(5))), client);
  uint64_t total = 0;
  for (int k = 0; k < 5; ++k) {
    Drive(worker, client, clock, (k + 1) * 1'000'000'000LL + 1);
    REQUIRE(worker.WaitClosed(k, absl::ZeroDuration()));
    IntervalStats one(1);
    worker.TakeIntervals(one);
    INFO("interval " << k);
    CHECK(one.Requests() == 100);
    total += one.Requests();
  }
  CHECK(total == 500);
}

TEST_CASE("a stopped worker starts nothing new and finishes when drained") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{300'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(10, absl::Seconds(10))), client);
  Drive(worker, client, clock, 1'050'000'000);
  const size_t sent = client.sent().size();
  worker.StopIssuing();
  CHECK_FALSE(worker.Finished(clock.NowNs()));  // requests still in flight
  Drive(worker, client, clock, 3'000'000'000);
  CHECK(client.sent().size() == sent);
  CHECK(worker.Finished(clock.NowNs()));
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

TEST_CASE("a reassigned worker takes over a lost share from the switch time") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(10)));
  c.period = 2;
  c.slots = {0};  // the other agent owned slot 1
  Worker worker(c, client);
  Drive(worker, client, clock, 3'000'000'000);
  worker.Reassign({0, 1}, 3'500'000'000);
  Drive(worker, client, clock, 11'000'000'000);
  std::vector<int64_t> before;
  std::vector<int64_t> after;
  for (const auto& s : client.sent()) {
    (s.at_ns < 3'500'000'000 ? before : after).push_back(s.at_ns);
  }
  // Before the switch: every other arrival (its own slot), 0, 200 ms, ...
  REQUIRE(before.size() == 18);
  CHECK(before[1] == 200'000'000);
  // From the switch on: every arrival of the plan, 3.5 s, 3.6 s, ... 9.9 s.
  REQUIRE(after.size() == 65);
  CHECK(after.front() == 3'500'000'000);
  CHECK(after[1] == 3'600'000'000);
  CHECK(after.back() == 9'900'000'000);
}

TEST_CASE("a takeover from the past catches up the lost share, never its own") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(10)));
  c.period = 2;
  c.slots = {1};
  Worker worker(c, client);
  Drive(worker, client, clock, 5'000'000'000);
  const size_t own = client.sent().size();  // 100 ms, 300 ms, ... 4.9 s
  REQUIRE(own == 25);
  // The lost agent (slot 0) last reported the interval ending at 4 s.
  worker.Reassign({0, 1}, 4'000'000'000);
  Drive(worker, client, clock, 11'000'000'000);
  worker.CloseFinal(clock.NowNs());
  // 4.0, 4.2, ... 4.8 s of slot 0 are caught up (late); then all of 5..9.9 s.
  CHECK(client.sent().size() == own + 5 + 50);
  std::set<int64_t> unique;
  for (const auto& s : client.sent()) unique.insert(s.at_ns);
  CHECK(unique.size() == 1 + 50 + 24);  // the 5 catch-ups share one instant
  IntervalStats all(1);
  worker.TakeIntervals(all);
  CHECK(all.late >= 4);
}

TEST_CASE("a re-split worker gives up slots from the switch time (an agent joined)") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(10)));
  c.period = 2;
  c.slots = {0, 1};  // the whole plan
  Worker worker(c, client);
  Drive(worker, client, clock, 3'000'000'000);
  worker.Reassign({0}, 3'500'000'000, /*period=*/3);  // a third from 3.5 s on
  Drive(worker, client, clock, 11'000'000'000);
  std::vector<int64_t> before;
  std::vector<int64_t> after;
  for (const auto& s : client.sent()) {
    (s.at_ns < 3'500'000'000 ? before : after).push_back(s.at_ns);
  }
  CHECK(before.size() == 35);  // 0, 100 ms, ... 3.4 s
  // Arrivals 36, 39, ... 99 (n mod 3 == 0 from arrival 35 on).
  REQUIRE(after.size() == 22);
  CHECK(after.front() == 3'600'000'000);
  CHECK(after[1] == 3'900'000'000);
}

TEST_CASE("a worker that joins mid-run fires only what is due from its start") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  WorkerConfig c = Config(OpenPlan(10, absl::Seconds(10)));
  c.period = 2;
  c.slots = {1};
  c.from_ns = 6'000'000'000;
  Worker worker(c, client);
  Drive(worker, client, clock, 11'000'000'000);
  REQUIRE(client.sent().size() == 20);  // 6.1, 6.3, ... 9.9 s
  CHECK(client.sent().front().at_ns == 6'100'000'000);
}

TEST_CASE("a leaving worker fires nothing due from its stop time, then finishes") {
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    return FakeResponse{1'000'000, Outcome::kOk, 200};
  });
  Worker worker(Config(OpenPlan(10, absl::Seconds(10))), client);
  Drive(worker, client, clock, 3'000'000'000);
  worker.StopAt(4'050'000'000);
  Drive(worker, client, clock, 5'000'000'000);
  CHECK(client.sent().size() == 41);  // 0 .. 4.0 s
  CHECK(client.sent().back().at_ns == 4'000'000'000);
  CHECK(worker.Finished(clock.NowNs()));
}

}  // namespace
}  // namespace barrage
