// Copyright 2026 The Barrage Authors.
#include "controller/run/data_dealer.h"

#include <map>
#include <random>
#include <set>
#include <string>

#include "catch2/catch_test_macros.hpp"
#include "controller/run/data_store.h"
#include "common/data/sha256.h"

namespace barrage {
namespace {

TEST_CASE("the dealer deals rows in order and never a row twice") {
  DataDealer d("users", 10, /*recycle=*/false);
  CHECK(d.Deal("a", 4) == std::vector<RowRange>{{0, 4}});
  CHECK(d.Deal("b", 3) == std::vector<RowRange>{{4, 3}});
  CHECK(d.Deal("a", 5) == std::vector<RowRange>{{7, 3}});
  CHECK(d.Deal("b", 1).empty());
  CHECK(d.AllDealt());
  CHECK_FALSE(d.UsedUp());
  d.Taken("a", {0, 4}, 0);
  d.Taken("b", {4, 3}, 0);
  CHECK_FALSE(d.UsedUp());
  d.Taken("a", {7, 3}, 0);
  CHECK(d.UsedUp());
  CHECK(d.used() == 10);
}

TEST_CASE("a lost agent's untaken rows are dealt again to the others, first") {
  DataDealer d("users", 100, false);
  CHECK(d.Deal("a", 10) == std::vector<RowRange>{{0, 10}});
  CHECK(d.Deal("b", 10) == std::vector<RowRange>{{10, 10}});
  d.Taken("a", {0, 4}, 0);  // a took 0..3, then died
  d.Lost("a", 0);
  CHECK(d.Outstanding("a") == 0);
  CHECK(d.Deal("b", 8) == std::vector<RowRange>{{4, 6}, {20, 2}});
  d.Taken("b", {10, 10}, 0);
  d.Taken("b", {4, 6}, 0);
  d.Taken("b", {20, 2}, 0);
  CHECK(d.used() == 4 + 10 + 6 + 2);
  CHECK(d.duplicates() == 0);
  SECTION("a late report of rows dealt again counts as a duplicate") {
    d.Taken("a", {4, 2}, 0);
    CHECK(d.duplicates() == 2);
  }
}

TEST_CASE("an agent that ends gracefully gives back exactly the rows it did not take") {
  DataDealer d("users", 30, false);
  CHECK(d.Deal("a", 20) == std::vector<RowRange>{{0, 20}});
  d.Taken("a", {0, 3}, 100'000'000);
  d.Taken("a", {3, 4}, 200'000'000);  // the final report: a took 0..6
  d.Done("a");
  CHECK(d.Outstanding("a") == 0);
  CHECK(d.redealt_rows() == 0);
  CHECK(d.may_have_taken_rows() == 0);
  CHECK(d.Deal("b", 30) == std::vector<RowRange>{{7, 23}});
  d.Taken("b", {7, 23}, 300'000'000);
  CHECK(d.UsedUp());
  CHECK(d.used() == 30);
  CHECK(d.duplicates() == 0);
}

TEST_CASE("a crashed agent's re-dealt rows that may be sent twice are its rate since its last report") {
  constexpr int64_t kMs = 1'000'000;
  DataDealer d("users", 1000, false);
  CHECK(d.Deal("a", 100) == std::vector<RowRange>{{0, 100}});
  SECTION("it reported 2 rows every 100 ms for 2 s: 20 rows/s") {
    int64_t now = 0;
    for (int64_t row = 0; row < 40; row += 2) {
      now += 100 * kMs;
      d.Taken("a", {row, 2}, now);
    }
    // Lost 50 ms after its last report: ceil(20/s x 1.25 x (50 + 100) ms) + 1.
    d.Lost("a", now + 50 * kMs);
    CHECK(d.may_have_taken_rows() == 5);
    CHECK(d.redealt_rows() == 60);  // every unreported row is dealt again
    CHECK(d.used() == 40);
    // All 60 rows it held go back, first.
    CHECK(d.Deal("b", 60) == std::vector<RowRange>{{40, 60}});
    SECTION("a late report of rows dealt again is a duplicate") {
      d.Taken("a", {40, 3}, now + 60 * kMs);
      CHECK(d.duplicates() == 3);
    }
  }
  SECTION("silent for long, its whole holding may have been taken") {
    d.Taken("a", {0, 2}, 100 * kMs);
    d.Lost("a", 60'000 * kMs);
    CHECK(d.may_have_taken_rows() == 98);
    CHECK(d.redealt_rows() == 98);
  }
  SECTION("before its second report: all it held") {
    d.Lost("a", 100 * kMs);
    CHECK(d.may_have_taken_rows() == 100);
    CHECK(d.redealt_rows() == 100);
  }
}

TEST_CASE("the dealer stops when used up (stop) and starts a new round (recycle)") {
  SECTION("stop") {
    DataDealer d("users", 3, false);
    CHECK(d.Deal("a", 5) == std::vector<RowRange>{{0, 3}});
    d.Taken("a", {0, 3}, 0);
    CHECK(d.UsedUp());
    CHECK(d.Deal("a", 5).empty());
  }
  SECTION("recycle") {
    DataDealer d("users", 3, true);
    CHECK(d.Deal("a", 5) == std::vector<RowRange>{{0, 3}, {0, 2}});
    CHECK(d.Deal("b", 2) == std::vector<RowRange>{{2, 1}, {0, 1}});
    CHECK_FALSE(d.AllDealt());
    CHECK_FALSE(d.UsedUp());
  }
}

TEST_CASE("random requests, takes and losses deal every row exactly once") {
  const uint64_t seed = 20261201;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const int64_t rows = 5000;
  DataDealer d("users", rows, false);
  std::vector<std::string> agents = {"a", "b", "c", "d"};
  std::map<std::string, std::vector<RowRange>> held;
  std::vector<int> taken(rows, 0);
  std::set<std::string> lost;
  for (int step = 0; step < 100000 && !d.UsedUp(); ++step) {
    const std::string& agent = agents[rng() % agents.size()];
    if (lost.count(agent)) continue;
    const int action = static_cast<int>(rng() % 10);
    if (action < 4) {
      for (const RowRange& r : d.Deal(agent, 1 + static_cast<int64_t>(rng() % 50))) {
        held[agent].push_back(r);
      }
    } else if (action < 9 && !held[agent].empty()) {
      RowRange r = held[agent].front();
      held[agent].erase(held[agent].begin());
      for (int64_t i = r.first; i < r.first + r.count; ++i) ++taken[i];
      d.Taken(agent, r, 0);
    } else if (action == 9 && lost.size() < 2 && step > 1000) {
      lost.insert(agent);  // its held rows were never taken
      held.erase(agent);
      d.Lost(agent, 0);
    }
  }
  REQUIRE(d.UsedUp());
  for (int64_t i = 0; i < rows; ++i) REQUIRE(taken[i] == 1);
  CHECK(d.used() == rows);
}

TEST_CASE("the data store refuses oversized and corrupt uploads, naming the source") {
  DataStore store(int64_t{256} << 20);
  CHECK(store.CheckSize("users", int64_t{300} << 20).message() ==
        "data 'users' is 300 MiB, the controller accepts at most 256 MiB (--max-data-bytes)");
  CHECK(store.CheckSize("users", int64_t{256} << 20).ok());
  const std::string content = "id\n1\n";
  const absl::Status bad = store.Add("users", Sha256Hex("other"), content);
  CHECK(bad.code() == absl::StatusCode::kInvalidArgument);
  CHECK(store.Find(Sha256Hex(content)) == nullptr);
  REQUIRE(store.Add("users", Sha256Hex(content), content).ok());
  REQUIRE(store.Find(Sha256Hex(content)) != nullptr);
  CHECK(*store.Find(Sha256Hex(content)) == content);
}

}  // namespace
}  // namespace barrage
