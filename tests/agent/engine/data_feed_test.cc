// Copyright 2026 The Barrage Authors.
#include "agent/engine/data_feed.h"

#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "catch2/catch_test_macros.hpp"

namespace barrage {
namespace {

std::shared_ptr<const DataTable> Rows(int n) {
  std::string csv = "id\n";
  for (int i = 0; i < n; ++i) absl::StrAppend(&csv, "r", i, "\n");
  absl::StatusOr<DataTable> t = DataTable::Parse("t.csv", csv, DataSource::Format::kCsv);
  REQUIRE(t.ok());
  return std::make_shared<const DataTable>(*std::move(t));
}

DataSource Spec(DataSource::Mode mode, DataSource::OnEnd on_end) {
  DataSource d;
  d.name = "users";
  d.mode = mode;
  d.on_end = on_end;
  return d;
}

TEST_CASE("sequential feeds walk the file in order across workers") {
  SECTION("recycle wraps") {
    DataFeed feed(Spec(DataSource::Mode::kSequential, DataSource::OnEnd::kRecycle), Rows(3), 2, 1);
    CHECK(feed.source(0)->NextRow() == 0);
    CHECK(feed.source(1)->NextRow() == 1);
    CHECK(feed.source(0)->NextRow() == 2);
    CHECK(feed.source(1)->NextRow() == 0);
    CHECK(feed.source(1)->Field(2, 0) == "r2");
    CHECK_FALSE(feed.source(0)->Exhausted());
  }
  SECTION("stop ends") {
    DataFeed feed(Spec(DataSource::Mode::kSequential, DataSource::OnEnd::kStop), Rows(2), 2, 1);
    CHECK(feed.source(0)->NextRow() == 0);
    CHECK(feed.source(1)->NextRow() == 1);
    CHECK(feed.source(0)->Exhausted());
    CHECK(feed.source(0)->NextRow() == RowSource::kNoRow);
    CHECK(feed.source(1)->NextRow() == RowSource::kNoRow);
  }
}

TEST_CASE("random feeds pick every row, repeatably per seed and worker") {
  const uint64_t seed = 42;
  INFO("seed " << seed);
  DataFeed a(Spec(DataSource::Mode::kRandom, DataSource::OnEnd::kRecycle), Rows(10), 2, seed);
  DataFeed b(Spec(DataSource::Mode::kRandom, DataSource::OnEnd::kRecycle), Rows(10), 2, seed);
  std::set<int64_t> seen;
  bool workers_differ = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t r = a.source(0)->NextRow();
    REQUIRE(r >= 0);
    REQUIRE(r < 10);
    seen.insert(r);
    CHECK(b.source(0)->NextRow() == r);
    workers_differ |= a.source(1)->NextRow() != r;
  }
  CHECK(seen.size() == 10);
  CHECK(workers_differ);
  CHECK_FALSE(a.source(0)->Exhausted());
}

TEST_CASE("unique feeds hand out leased rows once, in order, and report them") {
  DataFeed feed(Spec(DataSource::Mode::kUnique, DataSource::OnEnd::kStop), Rows(100), 2, 1);
  CHECK(feed.source(0)->NextRow() == RowSource::kNoRow);  // nothing leased yet
  CHECK_FALSE(feed.source(0)->Exhausted());
  feed.AddLease(10, 2);
  feed.AddLease(50, 3);
  CHECK(feed.Buffered() == 5);
  CHECK(feed.source(0)->NextRow() == 10);
  CHECK(feed.source(1)->NextRow() == 11);
  CHECK(feed.source(0)->NextRow() == 50);
  v1::StatsReport report;
  feed.TakeUsed(report.mutable_data_used());
  REQUIRE(report.data_used_size() == 2);
  CHECK(report.data_used(0).data() == "users");
  CHECK(report.data_used(0).first_row() == 10);
  CHECK(report.data_used(0).count() == 2);
  CHECK(report.data_used(1).first_row() == 50);
  CHECK(report.data_used(1).count() == 1);
  CHECK(feed.source(1)->NextRow() == 51);
  CHECK(feed.source(1)->NextRow() == 52);
  CHECK(feed.source(1)->NextRow() == RowSource::kNoRow);
  v1::StatsReport next;
  feed.TakeUsed(next.mutable_data_used());
  REQUIRE(next.data_used_size() == 1);
  CHECK(next.data_used(0).first_row() == 51);
  CHECK(next.data_used(0).count() == 2);
  v1::StatsReport none;
  feed.TakeUsed(none.mutable_data_used());
  CHECK(none.data_used_size() == 0);
  CHECK(feed.Taken() == 5);
  CHECK_FALSE(feed.source(0)->Exhausted());
  feed.SetFinal();
  CHECK(feed.source(0)->Exhausted());
}

TEST_CASE("unique feeds ask for about 2 s of their take rate, one request at a time") {
  DataFeed feed(Spec(DataSource::Mode::kUnique, DataSource::OnEnd::kRecycle), Rows(10000), 1, 1);
  const int64_t s = 1'000'000'000;
  CHECK(feed.RowsWanted(0, 50) == 50);   // nothing taken yet: the initial batch
  CHECK(feed.RowsWanted(0, 50) == 0);    // outstanding
  feed.AddLease(0, 50);
  for (int i = 0; i < 50; ++i) REQUIRE(feed.source(0)->NextRow() == i);
  // 50 rows in 1 s: 2 s ahead is 100 rows, none buffered.
  CHECK(feed.RowsWanted(1 * s, 50) == 100);
  feed.AddLease(50, 100);
  for (int i = 0; i < 40; ++i) REQUIRE(feed.source(0)->NextRow() == 50 + i);
  CHECK(feed.RowsWanted(2 * s, 50) == 0);  // 60 buffered of ~90 wanted: enough
  feed.SetFinal();
  CHECK(feed.RowsWanted(3 * s, 50) == 0);
}

}  // namespace
}  // namespace barrage
