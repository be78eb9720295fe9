// Copyright 2026 The Barrage Authors.

#include "controller/run/run_merger.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "common/stats/histogram_codec.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

Scenario TwoRequests() {
  Scenario s;
  s.name = "m";
  for (const char* n : {"read", "write"}) {
    RequestSpec r;
    r.name = n;
    s.requests.push_back(r);
  }
  return s;
}

// A report of `n` ok results of `latency_us` for "read" (and errors for
// "write") from `agent` for interval `interval`.
v1::StatsReport Report(const std::string& agent, uint64_t seq, int64_t interval,
                       uint64_t n, uint64_t latency_us, uint64_t errors = 0) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id("r-1");
  r.set_seq(seq);
  r.set_interval_start_ns(interval * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  Histogram h;
  h.RecordN(latency_us + seq, n);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("read");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
  if (errors > 0) {
    Histogram e;
    e.RecordN(5'000, errors);
    v1::SeriesDelta* d = r.add_series();
    d->set_request("write");
    d->set_outcome(v1::OUTCOME_HTTP_ERROR);
    EncodeHistogram(e, d->mutable_response());
    EncodeHistogram(e, d->mutable_service());
  }
  r.mutable_counters()->set_started(n + errors);
  return r;
}

TEST_CASE("merging is exact and a duplicated report is ignored") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(Report("a", 1, 0, 100, 1000)).ok());
  REQUIRE(m.Apply(Report("b", 1, 0, 50, 2000, 5)).ok());
  CHECK(m.Apply(Report("a", 1, 0, 100, 1000)).code() == absl::StatusCode::kAlreadyExists);
  CHECK(m.duplicates() == 1);
  CHECK(m.Requests(kAllRequests) == 155);
  CHECK(m.Requests(0) == 150);
  CHECK(m.Errors(kAllRequests) == 5);
  CHECK(m.Count(Outcome::kHttpError) == 5);
  CHECK(m.agents().at("a").requests == 100);
  const Histogram all = m.Responses(0);
  CHECK(all.min_us() == 1001);
  CHECK(all.max_us() == 2001);
}

TEST_CASE("merge order does not matter") {
  std::vector<v1::StatsReport> reports;
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    reports.push_back(Report("a", seq, static_cast<int64_t>(seq - 1), seq * 3, 1000 + seq * 17));
    reports.push_back(Report("b", seq, static_cast<int64_t>(seq - 1), seq * 5, 3000 + seq * 11, seq));
  }
  RunMerger in_order("r-1", TwoRequests());
  for (const auto& r : reports) REQUIRE(in_order.Apply(r).ok());
  std::mt19937_64 rng(5);
  std::shuffle(reports.begin(), reports.end(), rng);
  RunMerger shuffled("r-1", TwoRequests());
  for (const auto& r : reports) REQUIRE(shuffled.Apply(r).ok());
  CHECK(in_order.Responses(kAllRequests) == shuffled.Responses(kAllRequests));
  CHECK(in_order.Services(kAllRequests) == shuffled.Services(kAllRequests));
  CHECK(in_order.Errors(kAllRequests) == shuffled.Errors(kAllRequests));
}

TEST_CASE("intervals close when every agent reported them, windows slide") {
  RunMerger m("r-1", TwoRequests());
  for (int64_t k = 0; k < 12; ++k) {
    REQUIRE(m.Apply(Report("a", static_cast<uint64_t>(k + 1), k, 10, 1000)).ok());
  }
  // b has reported only up to interval 4.
  for (int64_t k = 0; k < 5; ++k) {
    REQUIRE(m.Apply(Report("b", static_cast<uint64_t>(k + 1), k, 10, 9000)).ok());
  }
  m.CloseIntervals(6'000'000'000, {"a", "b"}, 2'000'000'000);
  CHECK(m.closed_through() == 4);  // 5 is waiting for b, within its grace
  m.CloseIntervals(9'100'000'000, {"a", "b"}, 2'000'000'000);
  CHECK(m.closed_through() == 6);  // 5 and 6 ended more than 2 s ago
  const MetricView last10 = m.Window(kAllRequests, 10);
  CHECK(last10.requests == 7 * 10 + 5 * 10);
  CHECK(last10.seconds == 7);  // only 7 intervals are closed
  const MetricView last2 = m.Window(0, 2);
  CHECK(last2.requests == 20);
  CHECK(last2.responses.max_us() < 9000);  // b's slow results are older
  CHECK(m.IntervalRequests(3) == 20);
}

TEST_CASE("a late report counts in the run but not in closed windows") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(Report("a", 1, 0, 10, 1000)).ok());
  m.CloseIntervals(3'500'000'000, {"a", "b"}, 2'000'000'000);
  REQUIRE(m.closed_through() == 0);
  REQUIRE(m.Apply(Report("b", 1, 0, 7, 1000)).ok());  // b is late for interval 0
  CHECK(m.late_reports() == 1);
  CHECK(m.Requests(kAllRequests) == 17);
  CHECK(m.Window(kAllRequests, 1).requests == 10);
}

TEST_CASE("a flood of reports for many intervals is bounded") {
  RunMerger m("r-1", TwoRequests());
  uint64_t accepted = 0;
  for (int64_t k = 0; k < 1000; ++k) {
    accepted += m.Apply(Report("a", static_cast<uint64_t>(k + 1), k * 50, 1, 1000)).ok();
  }
  CHECK(accepted == 120);
  CHECK(m.rejected() == 880);
}

TEST_CASE("a lost agent does not hold intervals open forever") {
  RunMerger m("r-1", TwoRequests());
  for (int64_t k = 0; k < 5; ++k) {
    REQUIRE(m.Apply(Report("a", static_cast<uint64_t>(k + 1), k, 10, 1000)).ok());
  }
  // b never reports; the coordinator drops it from the live set.
  m.CloseIntervals(5'100'000'000, {"a"}, 2'000'000'000);
  CHECK(m.closed_through() == 4);
}

TEST_CASE("malformed reports are rejected whole and counted") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(Report("a", 1, 0, 10, 1000)).ok());
  const Histogram before = m.Responses(kAllRequests);
  std::vector<std::pair<std::string, v1::StatsReport>> bad;
  auto add = [&](const std::string& name, auto mutate) {
    v1::StatsReport r = Report("a", 2, 1, 10, 1000, 3);
    mutate(r);
    bad.emplace_back(name, r);
  };
  add("wrong run", [](v1::StatsReport& r) { r.set_run_id("r-2"); });
  add("seq zero", [](v1::StatsReport& r) { r.set_seq(0); });
  add("unknown request", [](v1::StatsReport& r) { r.mutable_series(1)->set_request("nope"); });
  add("unknown outcome", [](v1::StatsReport& r) { r.mutable_series(1)->set_outcome(static_cast<v1::Outcome>(42)); });
  add("repeated series", [](v1::StatsReport& r) { *r.add_series() = r.series(0); });
  add("corrupt histogram", [](v1::StatsReport& r) { r.mutable_series(1)->mutable_response()->set_count(999); });
  add("two-digit histogram", [](v1::StatsReport& r) {
    Histogram h(2);
    h.Record(5);
    EncodeHistogram(h, r.mutable_series(1)->mutable_response());
  });
  add("service count differs", [](v1::StatsReport& r) {
    Histogram h;
    h.RecordN(5000, 4);
    EncodeHistogram(h, r.mutable_series(1)->mutable_service());
  });
  add("le counts not cumulative", [](v1::StatsReport& r) {
    for (size_t i = 0; i < kLeBoundCount; ++i) r.mutable_series(0)->add_le_counts(i % 2 ? 1 : 5);
  });
  add("huge interval", [](v1::StatsReport& r) { r.set_interval_start_ns(INT64_MAX); });
  add("zero interval length", [](v1::StatsReport& r) { r.set_interval_length_ns(0); });
  add("negative cpu", [](v1::StatsReport& r) { r.mutable_counters()->set_cpu_seconds(-1); });
  add("client name with markup", [](v1::StatsReport& r) {
    r.mutable_counters()->set_http_client("<script>");
  });
  add("client name too long", [](v1::StatsReport& r) {
    r.mutable_counters()->set_http_client(std::string(33, 'a'));
  });
  for (const auto& [name, r] : bad) {
    INFO(name);
    CHECK(m.Apply(r).code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(m.rejected() == bad.size());
  CHECK(m.Responses(kAllRequests) == before);  // nothing partially merged
  CHECK(m.Requests(kAllRequests) == 10);
  // A good report with the same seq still goes in afterwards.
  v1::StatsReport good = Report("a", 2, 1, 10, 1000, 3);
  good.mutable_counters()->set_http_client("native-h2");
  good.mutable_counters()->set_h2_retries(3);
  CHECK(m.Apply(good).ok());
  CHECK(m.agents().at("a").http_client == "native-h2");
  v1::StatsReport next = Report("a", 3, 1, 10, 1000, 3);
  next.mutable_counters()->set_h2_retries(2);
  CHECK(m.Apply(next).ok());
  CHECK(m.agents().at("a").h2_retries == 5);  // deltas add up
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

// One interval from agent `agent`: `fast_failures` connection refusals of
// 30 us and `slow_ok` successes of 400 ms for "read", with their reasons.
v1::StatsReport FailFast(const std::string& agent, uint64_t seq, uint64_t fast_failures,
                         uint64_t slow_ok) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id("r-1");
  r.set_seq(seq);
  r.set_interval_start_ns(static_cast<int64_t>(seq - 1) * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  Histogram ok;
  ok.RecordN(400'000, slow_ok);
  Histogram failed;
  failed.RecordN(30, fast_failures);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("read");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(ok, s->mutable_response());
  EncodeHistogram(ok, s->mutable_service());
  v1::SeriesDelta* f = r.add_series();
  f->set_request("read");
  f->set_outcome(v1::OUTCOME_CONNECT_ERROR);
  EncodeHistogram(failed, f->mutable_response());
  EncodeHistogram(failed, f->mutable_service());
  v1::ErrorCount* e = r.add_errors();
  e->set_request("read");
  e->set_reason("connect: refused");
  e->set_count(fast_failures);
  v1::StatusCount* st = r.add_statuses();
  st->set_request("read");
  st->set_status(200);
  st->set_count(slow_ok);
  return r;
}

TEST_CASE("latency views and thresholds judge successful requests, not fast failures") {
  RunMerger m("r-1", TwoRequests());
  // 90 % of the requests fail in 30 us; the 10 % that succeed take 400 ms.
  REQUIRE(m.Apply(FailFast("a", 1, 90, 10)).ok());
  m.CloseIntervals(1'000'000'000, {"a"}, 0);
  REQUIRE(m.closed_through() == 0);
  CHECK(m.Requests(kAllRequests) == 100);
  CHECK(m.Responses(kAllRequests).count() == 10);
  CHECK(m.Responses(kAllRequests).min_us() >= 399'000);
  CHECK(m.ErrorResponses(kAllRequests).count() == 90);
  CHECK(m.ErrorResponses(kAllRequests).max_us() < 100);
  Threshold p95;
  p95.metric = ThresholdMetric::kP95;
  p95.limit = 200'000;  // 200 ms
  for (const MetricView& view : {m.RunView(kAllRequests, 1), m.Window(kAllRequests, 1)}) {
    const ThresholdResult r = EvaluateThreshold(p95, view);
    CHECK_FALSE(r.passed);  // all-outcome p95 would be 0.03 ms and pass
    CHECK(r.value >= 399);
    CHECK(view.errors == 90);
    CHECK(view.requests == 100);
  }
}

TEST_CASE("error reasons and statuses merge exactly, top reasons first, bounded") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(FailFast("a", 1, 5, 3)).ok());
  REQUIRE(m.Apply(FailFast("b", 1, 7, 4)).ok());
  v1::StatsReport more = Report("a", 2, 1, 1, 1000);
  v1::ErrorCount* t = more.add_errors();
  t->set_request("read");
  t->set_reason("timeout");
  t->set_count(20);
  REQUIRE(m.Apply(more).ok());
  using Reasons = std::vector<std::pair<std::string, uint64_t>>;
  CHECK(m.ErrorReasons(0) == Reasons{{"timeout", 20}, {"connect: refused", 12}});
  CHECK(m.ErrorReasons(kAllRequests) == m.ErrorReasons(0));
  CHECK(m.ErrorReasons(1).empty());
  CHECK(m.Statuses(0) == std::map<uint32_t, uint64_t>{{200, 7}});
  SECTION("a duplicate adds nothing") {
    CHECK(m.Apply(FailFast("a", 1, 5, 3)).code() == absl::StatusCode::kAlreadyExists);
    CHECK(m.ErrorReasons(0).at(1).second == 12);
  }
  SECTION("past 32 reasons per request, new ones are other") {
    for (uint64_t i = 0; i < 40; ++i) {
      v1::StatsReport r = Report("c", 1 + i, 0, 1, 1000);
      v1::ErrorCount* e = r.add_errors();
      e->set_request("read");
      e->set_reason(absl::StrCat("reason ", i));
      e->set_count(1);
      REQUIRE(m.Apply(r).ok());
    }
    const Reasons reasons = m.ErrorReasons(0);
    CHECK(reasons.size() == RunMerger::kMaxReasons);
    uint64_t total = 0;
    for (const auto& [name, n] : reasons) total += n;
    CHECK(total == 20 + 12 + 40);  // nothing is lost
    CHECK(std::find(reasons.begin(), reasons.end(), std::make_pair(std::string("other"),
                                                                    uint64_t{11})) !=
          reasons.end());
  }
  SECTION("a malformed reason or status rejects the report") {
    v1::StatsReport bad = Report("d", 1, 0, 1, 1000);
    SECTION("empty reason") { bad.add_errors()->set_request("read"); }
    SECTION("unknown request") {
      v1::ErrorCount* e = bad.add_errors();
      e->set_request("nope");
      e->set_reason("timeout");
      e->set_count(1);
    }
    SECTION("status out of range") {
      v1::StatusCount* s = bad.add_statuses();
      s->set_request("read");
      s->set_status(700);
      s->set_count(1);
    }
    CHECK(m.Apply(bad).code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("aborted requests count in the totals but are neither errors nor latencies") {
  RunMerger m("r-1", TwoRequests());
  v1::StatsReport r = Report("a", 1, 0, 10, 1000);
  Histogram h;
  h.RecordN(2'000'000, 4);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("read");
  s->set_outcome(v1::OUTCOME_ABORTED);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
  s->set_bytes_sent(400);
  REQUIRE(m.Apply(r).ok());
  CHECK(m.Requests(kAllRequests) == 14);
  CHECK(m.Count(Outcome::kAborted) == 4);
  CHECK(m.Errors(kAllRequests) == 0);
  CHECK(m.Responses(kAllRequests).count() == 10);
  CHECK(m.ErrorResponses(kAllRequests).count() == 0);
  CHECK(m.BytesSent() == 400);
  CHECK(m.agents().at("a").errors == 0);
}

}  // namespace
}  // namespace barrage
