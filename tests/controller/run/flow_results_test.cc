// Copyright 2026 The Barrage Authors.
//
// The controller's side of flows: the merger's FlowDelta merge and its
// checks of untrusted input, the flows in its time series, and thresholds
// on flows (whole run, windowed, live abort through the coordinator), with
// fake agents and a fake clock.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/stats/histogram_codec.h"
#include "controller/run/run_coordinator.h"
#include "controller/run/run_merger.h"
#include "controller/run/thresholds.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

constexpr int64_t kSecond = 1'000'000'000;

// Request "home" and flow "shop" with steps login and pay.
Scenario ShopScenario() {
  Scenario s;
  s.name = "flows";
  s.target.url = "http://127.0.0.1:9";
  s.target.scheme = "http";
  s.target.host = "127.0.0.1";
  s.target.port = 9;
  RequestSpec home;
  home.name = "home";
  home.path = "/";
  s.requests.push_back(home);
  FlowSpec shop;
  shop.name = "shop";
  for (const char* step : {"login", "pay"}) {
    FlowStep st;
    st.step = step;
    st.request.name = std::string("shop.") + step;
    st.request.path = std::string("/") + step;
    shop.steps.push_back(st);
  }
  s.flows.push_back(shop);
  Stage stage;
  stage.kind = Stage::Kind::kRate;
  stage.duration = absl::Seconds(30);
  stage.rate_from = stage.rate_to = Rational::FromInt(10);
  s.stages.push_back(stage);
  return s;
}

v1::StatsReport Empty(const std::string& run, const std::string& agent, uint64_t seq,
                      int64_t interval) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id(run);
  r.set_seq(seq);
  r.set_interval_start_ns(interval * kSecond);
  r.set_interval_length_ns(kSecond);
  return r;
}

// `succeeded` iterations of `duration_us` (think: + 1 s), `failed` at
// shop.pay, `aborted`.
v1::FlowDelta* AddShop(v1::StatsReport& r, uint64_t succeeded, uint64_t failed,
                       uint64_t duration_us, uint64_t aborted = 0) {
  v1::FlowDelta* f = r.add_flows();
  f->set_flow("shop");
  f->set_started(succeeded + failed + aborted);
  f->set_succeeded(succeeded);
  f->set_failed(failed);
  f->set_aborted(aborted);
  Histogram d, t;
  d.RecordN(duration_us, succeeded);
  t.RecordN(duration_us + 1'000'000, succeeded);
  EncodeHistogram(d, f->mutable_duration());
  EncodeHistogram(t, f->mutable_duration_with_think());
  if (failed > 0) {
    v1::FlowFailure* x = f->add_failures();
    x->set_step("shop.pay");
    x->set_count(failed);
  }
  return f;
}

void AddSeries(v1::StatsReport& r, const std::string& request, v1::Outcome outcome, uint64_t n,
               uint64_t latency_us) {
  Histogram h;
  h.RecordN(latency_us, n);
  v1::SeriesDelta* s = r.add_series();
  s->set_request(request);
  s->set_outcome(outcome);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
}

TEST_CASE("the merger adds flow deltas per flow, exactly, whatever the order") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport a = Empty("r-1", "a", 1, 0);
  AddShop(a, 10, 2, 150'000, 1);
  AddSeries(a, "shop.login", v1::OUTCOME_OK, 12, 40'000);
  AddSeries(a, "shop.pay", v1::OUTCOME_CHECK_FAILED, 2, 30'000);
  v1::StatsReport b = Empty("r-1", "b", 1, 0);
  AddShop(b, 5, 1, 300'000);
  REQUIRE(m.Apply(b).ok());
  REQUIRE(m.Apply(a).ok());
  CHECK(m.Apply(a).code() == absl::StatusCode::kAlreadyExists);
  REQUIRE(m.flow_count() == 1);
  CHECK(m.flow_name(0) == "shop");
  CHECK(m.flow_steps(0) == std::vector<std::string>{"shop.login", "shop.pay"});
  const FlowTotals& f = m.flow(0);
  CHECK(f.started == 19);
  CHECK(f.succeeded == 15);
  CHECK(f.failed == 3);
  CHECK(f.aborted == 1);
  CHECK(f.duration.count() == 15);
  CHECK(f.duration.min_us() == 150'000);
  CHECK(f.duration.max_us() == 300'000);
  CHECK(f.duration_with_think.min_us() == 1'150'000);
  CHECK(f.failures.at("shop.pay") == 3);
  // The steps are requests, after the scenario's; check_failed is an error.
  CHECK(m.RequestIndex("shop.login") == 1);
  CHECK(m.RequestIndex("shop.pay") == 2);
  CHECK(m.Count(Outcome::kCheckFailed) == 2);
  CHECK(m.Errors(m.RequestIndex("shop.pay")) == 2);
  // The flow's view: succeeded durations, ended iterations, failed ones.
  const MetricView v = m.FlowRunView(0, 1.0);
  CHECK(v.requests == 18);
  CHECK(v.errors == 3);
  CHECK(v.responses.count() == 15);
}

TEST_CASE("the merger refuses a report with a bad flow delta, whole") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport r = Empty("r-1", "a", 1, 0);
  AddSeries(r, "home", v1::OUTCOME_OK, 3, 1'000);
  SECTION("an unknown flow") {
    AddShop(r, 1, 0, 1'000)->set_flow("cart");
    const absl::Status st = m.Apply(r);
    CHECK(st.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(st.message()), ContainsSubstring("unknown flow 'cart'"));
  }
  SECTION("a repeated flow") {
    AddShop(r, 1, 0, 1'000);
    AddShop(r, 1, 0, 1'000);
    CHECK_THAT(std::string(m.Apply(r).message()), ContainsSubstring("repeated flow"));
  }
  SECTION("a step of another flow") {
    v1::FlowDelta* f = AddShop(r, 0, 1, 1'000);
    f->mutable_failures(0)->set_step("home");
    CHECK_THAT(std::string(m.Apply(r).message()), ContainsSubstring("unknown step 'home'"));
  }
  SECTION("more failures than failed iterations") {
    v1::FlowDelta* f = AddShop(r, 0, 1, 1'000);
    f->mutable_failures(0)->set_count(2);
    CHECK_THAT(std::string(m.Apply(r).message()), ContainsSubstring("more failures"));
  }
  SECTION("more durations than succeeded iterations") {
    AddShop(r, 3, 0, 1'000)->set_succeeded(2);
    CHECK_THAT(std::string(m.Apply(r).message()), ContainsSubstring("more durations"));
  }
  SECTION("a malformed histogram") {
    AddShop(r, 3, 0, 1'000)->mutable_duration()->set_significant_digits(2);
    CHECK(m.Apply(r).code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("an unknown step request") {
    AddSeries(r, "shop.cart", v1::OUTCOME_OK, 1, 1'000);
    CHECK_THAT(std::string(m.Apply(r).message()), ContainsSubstring("unknown request"));
  }
  CHECK(m.rejected() == 1);
  CHECK(m.Requests(kAllRequests) == 0);  // nothing of it was merged
  CHECK(m.flow(0).started == 0);
}

TEST_CASE("a flow delta without histograms (nothing succeeded) is accepted") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport r = Empty("r-1", "a", 1, 0);
  v1::FlowDelta* f = r.add_flows();
  f->set_flow("shop");
  f->set_started(2);
  f->set_aborted(2);
  REQUIRE(m.Apply(r).ok());
  CHECK(m.flow(0).aborted == 2);
  CHECK(m.FlowRunView(0, 1).requests == 0);  // aborted iterations did not end
}

TEST_CASE("the merger's series carries the flows per interval, late reports too") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport r0 = Empty("r-1", "a", 1, 0);
  AddShop(r0, 4, 1, 100'000);
  v1::StatsReport r1 = Empty("r-1", "a", 2, 1);
  AddShop(r1, 2, 0, 200'000, 1);
  REQUIRE(m.Apply(r0).ok());
  REQUIRE(m.Apply(r1).ok());
  m.CloseIntervals(2 * kSecond, {"a"}, 0);
  v1::StatsReport late = Empty("r-1", "b", 1, 0);
  AddShop(late, 1, 0, 100'000);
  REQUIRE(m.Apply(late).ok());
  const RunSeries& s = m.series().series();
  REQUIRE(s.flows == std::vector<std::string>{"shop"});
  REQUIRE(s.intervals.size() == 2);
  REQUIRE(s.intervals[0].flows.size() == 1);
  CHECK(s.intervals[0].flows[0].started == 6);
  CHECK(s.intervals[0].flows[0].succeeded == 5);
  CHECK(s.intervals[0].flows[0].failed == 1);
  CHECK(s.intervals[0].flows[0].duration.count() == 5);
  CHECK(s.intervals[1].flows[0].aborted == 1);
  CHECK(s.intervals[1].flows[0].duration.min_us() == 200'000);
  const SeriesDelta d = m.series().TakeDelta();
  CHECK(d.series.flows == s.flows);
}

Threshold FlowThreshold(ThresholdMetric metric, double limit) {
  Threshold t;
  t.metric = metric;
  t.limit = limit;
  t.flow = "shop";
  return t;
}

TEST_CASE("a flow threshold judges the flow's iterations, think time excluded") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport r = Empty("r-1", "a", 1, 0);
  AddShop(r, 90, 10, 400'000, 5);
  // The steps are fast: only the flow's durations are 400 ms.
  AddSeries(r, "shop.login", v1::OUTCOME_OK, 100, 20'000);
  REQUIRE(m.Apply(r).ok());
  SECTION("p95 of the durations without think time") {
    const Threshold loose = FlowThreshold(ThresholdMetric::kP95, 500'000);
    const ThresholdResult pass = EvaluateThreshold(loose, m.ThresholdRunView(loose, 1));
    CHECK(pass.passed);
    CHECK(pass.value > 399);
    CHECK(pass.value < 401);
    const Threshold tight = FlowThreshold(ThresholdMetric::kP95, 300'000);
    CHECK_FALSE(EvaluateThreshold(tight, m.ThresholdRunView(tight, 1)).passed);
  }
  SECTION("error_rate is failed / (succeeded + failed)") {
    const Threshold t = FlowThreshold(ThresholdMetric::kErrorRate, 0.05);
    const ThresholdResult res = EvaluateThreshold(t, m.ThresholdRunView(t, 1));
    CHECK_FALSE(res.passed);
    CHECK(res.value == 0.1);
    CHECK(m.ThresholdResults(t) == 100);
  }
  SECTION("request: FLOW.STEP judges one step") {
    Threshold t;
    t.metric = ThresholdMetric::kP95;
    t.limit = 50'000;
    t.request = "shop.login";
    const ThresholdResult res = EvaluateThreshold(t, m.ThresholdRunView(t, 1));
    CHECK(res.passed);
    CHECK(res.value < 21);
    CHECK(m.ThresholdResults(t) == 100);
  }
}

TEST_CASE("a windowed flow threshold sees only the last closed intervals") {
  RunMerger m("r-1", ShopScenario());
  v1::StatsReport bad = Empty("r-1", "a", 1, 0);
  AddShop(bad, 5, 5, 100'000);
  v1::StatsReport good = Empty("r-1", "a", 2, 1);
  AddShop(good, 10, 0, 100'000);
  REQUIRE(m.Apply(bad).ok());
  REQUIRE(m.Apply(good).ok());
  m.CloseIntervals(2 * kSecond, {"a"}, 0);
  Threshold t = FlowThreshold(ThresholdMetric::kErrorRate, 0.1);
  t.whole_run = false;
  t.window = absl::Seconds(1);
  const MetricView last = m.ThresholdWindow(t, 1);
  CHECK(last.requests == 10);
  CHECK(EvaluateThreshold(t, last).passed);
  const MetricView both = m.ThresholdWindow(t, 2);
  CHECK(both.requests == 20);
  CHECK(both.errors == 5);
  CHECK_FALSE(EvaluateThreshold(t, both).passed);
  CHECK(both.seconds == 2);
}

struct Fixture {
  testing::FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  RunCoordinator coordinator{registry, clock, CoordinatorOptions()};
  std::shared_ptr<testing::FakeAgentHandle> a = std::make_shared<testing::FakeAgentHandle>();

  void Advance(int64_t ns) {
    clock.Advance(ns);
    registry.Touch("a", a.get());
    coordinator.Tick();
  }
};

TEST_CASE("a failing flow threshold with abort stops the run live") {
  Fixture f;
  REQUIRE(f.registry.Register(testing::MakeHello("a"), f.a).ok());
  Scenario s = ShopScenario();
  Threshold t = FlowThreshold(ThresholdMetric::kErrorRate, 0.01);
  t.whole_run = false;
  t.window = absl::Seconds(1);
  t.abort = true;
  t.min_requests = 20;
  s.thresholds.push_back(t);
  auto events = f.coordinator.StartRun(s, "flows.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.Advance(500'000'000);
  int64_t aborted_after = -1;
  for (int64_t k = 0; k < 10 && aborted_after < 0; ++k) {
    v1::StatsReport r = Empty(run, "a", static_cast<uint64_t>(k + 1), k);
    AddSeries(r, "home", v1::OUTCOME_OK, 10, 1'000);  // the requests pass
    AddShop(r, 5, 5, 100'000);                        // half the iterations fail
    f.coordinator.OnStats(r);
    f.Advance(kSecond);
    if (f.coordinator.Status().state == "aborting") aborted_after = k;
  }
  // 10 ended iterations per interval: the grace of 20 is over after two.
  CHECK(aborted_after == 1);
}

TEST_CASE("a whole-run flow threshold is judged at the end, beside a passing request one") {
  Fixture f;
  REQUIRE(f.registry.Register(testing::MakeHello("a"), f.a).ok());
  Scenario s = ShopScenario();
  s.thresholds.push_back(FlowThreshold(ThresholdMetric::kP95, 50'000));  // flow: 100 ms
  Threshold step;
  step.metric = ThresholdMetric::kP95;
  step.limit = 50'000;
  step.request = "shop.login";  // the step itself is fast
  s.thresholds.push_back(step);
  auto events = f.coordinator.StartRun(s, "flows.yaml");
  REQUIRE(events.ok());
  const std::string run = f.a->sent()[0].start_run().run_id();
  f.coordinator.OnAccepted("a", run);
  f.Advance(500'000'000);
  v1::StatsReport r = Empty(run, "a", 1, 0);
  r.set_final(true);
  AddSeries(r, "shop.login", v1::OUTCOME_OK, 10, 20'000);
  AddShop(r, 10, 0, 100'000);
  f.coordinator.OnStats(r);
  f.Advance(kSecond);
  std::optional<v1::RunResult> result;
  while (auto e = (*events)->Pop(absl::ZeroDuration())) {
    if (e->has_result()) result = e->result();
  }
  REQUIRE(result.has_value());
  CHECK(result->status() == "failed");
  CHECK(result->exit_code() == 99);
  CHECK_THAT(result->summary_json(),
             ContainsSubstring("\"flows\":[{\"name\":\"shop\",\"started\":10,\"succeeded\":10"));
  CHECK_THAT(result->summary_text(), ContainsSubstring("  ok    p95 < 50ms"));
  CHECK_THAT(result->summary_text(), ContainsSubstring("  FAIL  p95 < 50ms"));
}

}  // namespace
}  // namespace barrage
