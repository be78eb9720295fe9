// Copyright 2026 The Barrage Authors.

#include "controller/report/series_budget.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "barrage/v1/stats.pb.h"
#include "common/util/json_writer.h"
#include "controller/report/result_store.h"

namespace barrage {
namespace {

uint64_t Total(const RunSeries& s) {
  uint64_t n = 0;
  for (const SeriesInterval& in : s.intervals) n += in.Requests();
  return n;
}

std::string Json(const RunSeries& s) {
  JsonWriter json;
  json.BeginObject().Key("version").Int(1).Key("series");
  WriteSeriesJson(s, json);
  json.EndObject();
  return json.text();
}

// `seconds` 1 s intervals of `requests` requests, each with a histogram from
// `pool` (dealt round), 3 timeouts and its statuses.
RunSeries Build(int64_t seconds, int requests, const std::vector<SparseHistogram>& pool) {
  RunSeries s;
  for (int q = 0; q < requests; ++q) s.requests.push_back("req-" + std::to_string(q));
  s.intervals.reserve(static_cast<size_t>(seconds));
  for (int64_t t = 0; t < seconds; ++t) {
    SeriesInterval in;
    in.start_s = static_cast<double>(t);
    in.offered_rps = 1000;
    in.agents = 2;
    in.vus = t % 5;
    in.requests.resize(static_cast<size_t>(requests));
    for (int q = 0; q < requests; ++q) {
      RequestInterval& r = in.requests[static_cast<size_t>(q)];
      r.ok = pool[static_cast<size_t>(t * 7 + q) % pool.size()];
      r.outcomes[static_cast<size_t>(Outcome::kOk)] = r.ok.count();
      r.outcomes[static_cast<size_t>(Outcome::kTimeout)] = 3;
      r.statuses[200] = r.ok.count();
    }
    in.achieved_rps = static_cast<double>(in.Requests());
    s.intervals.push_back(std::move(in));
  }
  return s;
}

std::vector<SparseHistogram> Pool(size_t n, int values, unsigned seed) {
  std::mt19937 rng(seed);
  // Four decades and more: 100 us to well past 1 s.
  std::lognormal_distribution<double> latency(std::log(10'000.0), 1.6);
  std::vector<SparseHistogram> pool;
  for (size_t i = 0; i < n; ++i) {
    Histogram h;
    for (int v = 0; v < values; ++v) h.Record(static_cast<uint64_t>(latency(rng)) + 100);
    pool.push_back(SparseHistogram::From(h));
  }
  return pool;
}

TEST_CASE("merging intervals is exact: counts, statuses and 2-digit histograms add up") {
  const std::vector<SparseHistogram> pool = Pool(10, 300, 5);
  RunSeries s = Build(10, 2, pool);
  const SeriesInterval merged = MergeIntervals(s.intervals.data(), 10);
  CHECK(merged.start_s == 0);
  CHECK(merged.length_s == 10);
  CHECK(merged.Requests() == Total(s));
  CHECK(merged.achieved_rps == static_cast<double>(Total(s)) / 10);
  CHECK(merged.offered_rps == 1000);
  CHECK(merged.vus == 4);
  SparseHistogram expected(2);
  for (const SeriesInterval& in : s.intervals) expected.Merge(in.requests[0].ok);
  CHECK(merged.requests[0].ok == expected);
  CHECK(merged.requests[0].ok.significant_digits() == 2);
  CHECK(merged.requests[1].statuses.at(200) == merged.requests[1].ok.count());
}

TEST_CASE("a series within its budget is left alone") {
  RunSeries s = Build(20, 2, Pool(4, 100, 1));
  const std::string before = Json(s);
  CHECK_FALSE(FitSeries(s));
  CHECK(Json(s) == before);
  CHECK(s.coarsened.empty());
}

TEST_CASE("over budget, the oldest intervals are merged first and coarsened says so") {
  RunSeries s = Build(200, 2, Pool(8, 200, 2));
  const uint64_t total = Total(s);
  SeriesBudget budget;
  budget.json_bytes = IntervalJsonBytes(s.intervals[0]) * 120;
  REQUIRE(FitSeries(s, budget));
  CHECK(Total(s) == total);
  REQUIRE(s.coarsened.size() == 1);
  const SeriesCoarsening& c = s.coarsened[0];
  CHECK(c.length_s == 10);
  CHECK(c.digits == 2);
  CHECK(c.reason.find("over its budget") != std::string::npos);
  // 10 s intervals up to before_s, 1 s ones after, without gaps.
  double end = 0;
  for (const SeriesInterval& in : s.intervals) {
    CHECK(std::fabs(in.start_s - end) < 1e-9);
    CHECK(in.length_s == (in.start_s < c.before_s ? 10 : 1));
    end = in.start_s + in.length_s;
  }
  CHECK(end == 200);
  absl::StatusOr<RunSeries> back = SeriesFromResultJson(Json(s));
  REQUIRE(back.ok());
  CHECK(Total(*back) == total);
  REQUIRE(back->coarsened.size() == 1);
  CHECK(back->coarsened[0].before_s == c.before_s);
}

TEST_CASE("a series too big even at 10 s goes on to 100 s intervals") {
  RunSeries s = Build(1000, 1, Pool(8, 200, 3));
  const uint64_t total = Total(s);
  SeriesBudget budget;
  budget.json_bytes = 30 * IntervalJsonBytes(s.intervals[0]);
  REQUIRE(FitSeries(s, budget));
  CHECK(Total(s) == total);
  REQUIRE(s.coarsened.size() >= 1);
  CHECK(s.coarsened[0].length_s == 100);
  CHECK(IntervalJsonBytes(s.intervals[0]) > 0);
  size_t json = 0;
  for (const SeriesInterval& in : s.intervals) json += IntervalJsonBytes(in);
  CHECK(json <= budget.json_bytes);
}

// The budget's worst case (README "Result JSON"): 1 h x 20 requests, 500
// results per request per second spread over four decades, at full (3
// digit) precision to begin with.
TEST_CASE("an hour of 20 requests fits 20 MB of JSON and 50 MB in the store") {
  RunSeries s = Build(3600, 20, Pool(64, 500, 4));
  const uint64_t total = Total(s);
  SeriesFitter before;
  before.Reset(s);
  std::printf("1 h x 20 requests uncoarsened: ~%zu bytes of JSON, ~%zu in memory\n",
              before.json_bytes(), before.memory_bytes());
  CHECK(before.over_budget());
  REQUIRE(FitSeries(s));
  SeriesFitter after;
  after.Reset(s);
  std::printf("coarsened: %zu intervals, ~%zu bytes of JSON, ~%zu in memory\n",
              s.intervals.size(), after.json_bytes(), after.memory_bytes());
  CHECK(after.memory_bytes() <= SeriesBudget().memory_bytes);
  CHECK(Total(s) == total);
  REQUIRE_FALSE(s.coarsened.empty());
  CHECK(s.coarsened[0].length_s >= 10);
  CHECK(s.coarsened[0].digits == 2);
  const std::string json = Json(s);
  std::printf("its JSON: %zu bytes\n", json.size());
  CHECK(json.size() <= 20'000'000);
  absl::StatusOr<RunSeries> back = SeriesFromResultJson(json);
  REQUIRE(back.ok());
  CHECK(Total(*back) == total);

  // In the store, with the run's 20 whole-run histograms (3 digits).
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("series-budget-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    absl::StatusOr<std::unique_ptr<ResultStore>> store = ResultStore::Open(dir.string());
    REQUIRE(store.ok());
    std::vector<std::pair<std::string, std::string>> histograms;
    SparseHistogram whole;
    for (const SparseHistogram& h : Pool(8, 20'000, 6)) whole.Merge(h);
    v1::HistogramSnapshot snapshot;
    whole.ToSnapshot(&snapshot);
    for (const std::string& name : s.requests) {
      histograms.emplace_back(name, snapshot.SerializeAsString());
    }
    StoredRun run;
    run.id = "r-budget";
    run.scenario = "budget";
    run.status = "running";
    run.started_at = "2026-01-01T00:00:00Z";
    run.updated_at = run.started_at;
    run.result_json = json;
    REQUIRE((*store)->Save(run, histograms).ok());  // a checkpoint
    run.status = "passed";
    REQUIRE((*store)->Save(run, histograms).ok());  // the result
  }
  uintmax_t bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) bytes += f.file_size();
  std::printf("in the store: %ju bytes\n", bytes);
  CHECK(bytes <= 50'000'000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace barrage
