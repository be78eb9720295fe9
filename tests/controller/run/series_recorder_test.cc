// Copyright 2026 The Barrage Authors.

#include "controller/run/series_recorder.h"

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "common/stats/histogram_codec.h"
#include "controller/run/run_merger.h"

namespace barrage {
namespace {

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

// `n` ok results of "read" at `latency_us` and `errors` timeouts of
// "write", with their statuses, from `agent` for interval `interval`.
v1::StatsReport Report(const std::string& agent, uint64_t seq, int64_t interval, uint64_t n,
                       uint64_t latency_us, uint64_t errors = 0, uint32_t vus = 0) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id("r-1");
  r.set_seq(seq);
  r.set_interval_start_ns(interval * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  Histogram h;
  h.RecordN(latency_us, n);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("read");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
  v1::StatusCount* st = r.add_statuses();
  st->set_request("read");
  st->set_status(200);
  st->set_count(n);
  if (errors > 0) {
    Histogram e;
    e.RecordN(5'000, errors);
    v1::SeriesDelta* d = r.add_series();
    d->set_request("write");
    d->set_outcome(v1::OUTCOME_TIMEOUT);
    EncodeHistogram(e, d->mutable_response());
    EncodeHistogram(e, d->mutable_service());
  }
  r.mutable_counters()->set_active_vus(vus);
  return r;
}

uint64_t SeriesRequests(const RunSeries& s) {
  uint64_t n = 0;
  for (const SeriesInterval& in : s.intervals) n += in.Requests();
  return n;
}

TEST_CASE("the series keeps one interval per closed interval, with its results") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(Report("a", 1, 0, 10, 1000, 2, 3)).ok());
  REQUIRE(m.Apply(Report("b", 1, 0, 5, 3000, 0, 4)).ok());
  REQUIRE(m.Apply(Report("a", 2, 2, 7, 2000)).ok());
  m.CloseIntervals(10'000'000'000, {"a", "b"}, 1'000'000'000, /*all=*/true);
  const RunSeries& s = m.series().series();
  REQUIRE(s.intervals.size() == 3);  // the empty interval 1 too
  const SeriesInterval& first = s.intervals[0];
  CHECK(first.start_s == 0);
  CHECK(first.length_s == 1);
  CHECK(first.Requests() == 17);
  CHECK(first.achieved_rps == 17);
  CHECK(first.vus == 7);
  CHECK(first.requests[0].ok.count() == 15);
  CHECK(first.requests[0].ok.max_us() == 3000);
  CHECK(first.requests[0].statuses.at(200) == 15);
  CHECK(first.requests[1].outcomes[static_cast<size_t>(Outcome::kTimeout)] == 2);
  CHECK(first.requests[1].ok.empty());
  CHECK(s.intervals[1].Requests() == 0);
  CHECK(s.intervals[2].start_s == 2);
  CHECK(s.intervals[2].Requests() == 7);
}

TEST_CASE("a late report counts in the interval it belongs to") {
  RunMerger m("r-1", TwoRequests());
  REQUIRE(m.Apply(Report("a", 1, 0, 10, 1000)).ok());
  m.CloseIntervals(5'000'000'000, {"a"}, 1'000'000'000);  // closes 0..3
  REQUIRE(m.closed_through() >= 1);
  REQUIRE(m.Apply(Report("b", 1, 1, 4, 9000, 1)).ok());  // late
  CHECK(m.late_reports() == 1);
  const SeriesInterval& one = m.series().series().intervals[1];
  CHECK(one.Requests() == 5);
  CHECK(one.achieved_rps == 5);
  CHECK(one.requests[0].ok.max_us() == 9000);
  CHECK(SeriesRequests(m.series().series()) == m.Requests(kAllRequests));
}

TEST_CASE("the coordinator's description of an interval is kept") {
  SeriesRecorder r({"a"});
  r.Close(0);
  r.Describe(0, 50, 2);
  r.Describe(7, 1, 1);  // not closed: ignored
  REQUIRE(r.series().intervals.size() == 1);
  CHECK(r.series().intervals[0].offered_rps == 50);
  CHECK(r.series().intervals[0].agents == 2);
}

TEST_CASE("the series' requests equal the run's under random, late and out-of-order reports") {
  const unsigned seed = std::random_device()();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  RunMerger m("r-1", TwoRequests());
  uint64_t seq_a = 0;
  uint64_t seq_b = 0;
  for (int64_t t = 0; t < 400; ++t) {
    REQUIRE(m.Apply(Report("a", ++seq_a, t, 1 + rng() % 50, 1000 + rng() % 100'000,
                           rng() % 3)).ok());
    if (t % 7 != 3) {
      REQUIRE(m.Apply(Report("b", ++seq_b, t, 1 + rng() % 20, 500 + rng() % 1'000'000)).ok());
    }
    // b's missing reports arrive late, some long after.
    if (t % 7 == 3 && t > 50) {
      REQUIRE(m.Apply(Report("b", ++seq_b, t - 40 - rng() % 10, 9, 777, 1)).ok());
    }
    m.CloseIntervals((t + 1) * 1'000'000'000 + 500'000'000, {"a", "b"}, 1'000'000'000);
  }
  m.CloseIntervals(500'000'000'000, {}, 0, /*all=*/true);
  CHECK(m.late_reports() > 0);
  CHECK(SeriesRequests(m.series().series()) == m.Requests(kAllRequests));
}

// The worst case the budget is for: an hour of 20 requests, each at 500
// results/s spread over four decades (100 us .. 1 s), every interval's
// histograms different.
TEST_CASE("an hour of 20 requests at a wide spread stays within the series' budget") {
  constexpr int kRequests = 20;
  constexpr int64_t kSeconds = 3600;
  std::vector<std::string> names;
  for (int i = 0; i < kRequests; ++i) names.push_back("request-" + std::to_string(i));
  std::mt19937 rng(12);
  std::lognormal_distribution<double> latency(std::log(10'000.0), 1.6);
  // 64 distinct histograms of 500 values each, dealt round the slots.
  std::vector<SparseHistogram> pool;
  for (int i = 0; i < 64; ++i) {
    Histogram h;
    for (int v = 0; v < 500; ++v) h.Record(static_cast<uint64_t>(latency(rng)) + 100);
    pool.push_back(SparseHistogram::From(h));
  }
  SeriesRecorder r(names);
  uint64_t total = 0;
  for (int64_t t = 0; t < kSeconds; ++t) {
    for (int q = 0; q < kRequests; ++q) {
      const SparseHistogram& h = pool[(t * 7 + q) % pool.size()];
      r.AddResults(t, q, Outcome::kOk, h.count(), &h);
      r.AddResults(t, q, Outcome::kTimeout, 3, nullptr);
      r.AddStatus(t, q, 200, h.count());
      total += h.count() + 3;
    }
    r.Close(t);
  }
  const RunSeries& s = r.series();
  std::printf("series of 1 h x 20 requests: %zu intervals, ~%zu bytes in memory, ~%zu of JSON\n",
              s.intervals.size(), r.memory_bytes(), r.json_bytes());
  CHECK(r.memory_bytes() <= SeriesBudget().memory_bytes);
  CHECK(SeriesRequests(s) == total);
  REQUIRE(!s.coarsened.empty());
  CHECK(s.coarsened[0].length_s >= 10);
  CHECK(s.coarsened[0].digits == 2);
  CHECK(s.coarsened[0].reason.find("budget") != std::string::npos);
  JsonWriter json;
  json.BeginObject().Key("series");
  WriteSeriesJson(s, json);
  json.EndObject();
  std::printf("its JSON: %zu bytes\n", json.text().size());
  CHECK(json.text().size() <= SeriesBudget().json_bytes);
  absl::StatusOr<RunSeries> back = SeriesFromResultJson(json.text());
  REQUIRE(back.ok());
  CHECK(SeriesRequests(*back) == total);
}

// The series as JSON, to compare two whole series.
std::string SeriesText(const RunSeries& s) {
  JsonWriter json;
  json.BeginObject().Key("series");
  WriteSeriesJson(s, json);
  json.EndObject();
  return json.text();
}

TEST_CASE("deltas applied to a mirror rebuild the series, late reports and coarsening too") {
  const unsigned seed = std::random_device()();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  SeriesBudget budget;
  budget.json_bytes = 40'000;  // coarsens a few times within the run
  SeriesRecorder r({"read", "write"}, budget);
  Histogram h;
  h.RecordN(1000, 5);
  const SparseHistogram ok = SparseHistogram::From(h);
  SeriesDelta mirror;
  std::optional<SeriesDelta> waiting;  // a checkpoint not yet written
  int full = 0;
  int incremental_with_changes = 0;  // more than the 5 new intervals
  for (int64_t t = 0; t < 600; ++t) {
    r.AddResults(t, rng() % 2, Outcome::kOk, 1 + rng() % 9, &ok);
    if (t > 40 && rng() % 4 == 0) {  // late, into a closed interval
      r.AddResults(t - 1 - static_cast<int64_t>(rng() % 40), 1, Outcome::kTimeout, 1, nullptr);
    }
    r.Close(t);
    if (t % 5 == 4) {
      SeriesDelta d = r.TakeDelta();
      full += d.full ? 1 : 0;
      incremental_with_changes += !d.full && d.series.intervals.size() > 5 ? 1 : 0;
      if (waiting) {
        // Two checkpoints combined into one, as the writer's queue does.
        REQUIRE(ApplySeriesDelta(std::move(d), *waiting).ok());
      } else {
        waiting = std::move(d);
      }
      if (rng() % 3 != 0) {
        REQUIRE(ApplySeriesDelta(std::move(*waiting), mirror).ok());
        waiting.reset();
        INFO("t " << t);
        REQUIRE(SeriesText(mirror.series) == SeriesText(r.series()));
      }
    }
  }
  if (waiting) REQUIRE(ApplySeriesDelta(std::move(*waiting), mirror).ok());
  REQUIRE(ApplySeriesDelta(r.TakeDelta(), mirror).ok());
  CHECK(SeriesText(mirror.series) == SeriesText(r.series()));
  CHECK(!r.series().coarsened.empty());
  CHECK(full == 1);  // the first only: coarsenings travel as their merged intervals
  CHECK(incremental_with_changes > 0);
}

TEST_CASE("a delta that does not follow on the mirror is refused and changes nothing") {
  SeriesRecorder r({"a"});
  r.Close(0);
  SeriesDelta mirror;
  REQUIRE(ApplySeriesDelta(r.TakeDelta(), mirror).ok());
  r.Close(1);
  SeriesDelta skipped = r.TakeDelta();
  r.Close(2);
  SeriesDelta next = r.TakeDelta();
  const absl::Status s = ApplySeriesDelta(std::move(next), mirror);
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(mirror.series.intervals.size() == 1);
  REQUIRE(ApplySeriesDelta(std::move(skipped), mirror).ok());
  CHECK(mirror.series.intervals.size() == 2);
}

TEST_CASE("a result rendered without its series gets the same text with it added") {
  SeriesRecorder r({"a"});
  r.AddResults(0, 0, Outcome::kTimeout, 3, nullptr);
  r.Close(0);
  const std::string series = SeriesText(r.series());
  CHECK(WithSeriesJson("{\"a\":1}\n", r.series()) ==
        "{\"a\":1," + series.substr(1) + "\n");
  CHECK(WithSeriesJson("{}\n", r.series()) == series + "\n");
}

}  // namespace
}  // namespace barrage
