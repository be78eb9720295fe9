// Copyright 2026 The Barrage Authors.
//
// The SQLite store keeps every finished run: a running run's checkpoints
// update its own row, but a finished (or interrupted) run is never
// replaced; saving its id again is an error and changes nothing.

#include "controller/report/result_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

StoredRun Run(const std::string& id, const std::string& status, const std::string& json) {
  return StoredRun{id, "s", status, "2026-01-02T03:04:05Z", "2026-01-02T03:04:06Z", json};
}

struct TempStore {
  TempStore() {
    std::filesystem::remove_all(dir);
    absl::StatusOr<std::unique_ptr<ResultStore>> opened = ResultStore::Open(dir.string());
    REQUIRE(opened.ok());
    store = std::move(*opened);
  }
  ~TempStore() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("barrage-store-test-" + std::to_string(::getpid()));
  std::unique_ptr<ResultStore> store;
};

TEST_CASE("the store updates a running run and then keeps it once finished") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "running", "{1}"), {}).ok());
  REQUIRE(t.store->Save(Run("r-1", "running", "{2}"), {{"a", "h2"}}).ok());
  REQUIRE(t.store->Save(Run("r-1", "passed", "{3}"), {{"a", "h3"}}).ok());
  absl::StatusOr<StoredRun> got = t.store->Get("r-1");
  REQUIRE(got.ok());
  CHECK(got->status == "passed");
  CHECK(got->result_json == "{3}");
}

TEST_CASE("the store refuses a duplicate of a finished run's id") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "passed", "{first}"), {{"a", "h1"}}).ok());
  SECTION("a second finished run") {
    const absl::Status s = t.store->Save(Run("r-1", "failed", "{second}"), {{"a", "h2"}});
    CHECK(absl::IsAlreadyExists(s));
  }
  SECTION("a new run's checkpoint") {
    const absl::Status s = t.store->Save(Run("r-1", "running", "{second}"), {{"a", "h2"}});
    CHECK(absl::IsAlreadyExists(s));
  }
  absl::StatusOr<StoredRun> got = t.store->Get("r-1");
  REQUIRE(got.ok());
  CHECK(got->status == "passed");
  CHECK(got->result_json == "{first}");
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> h = t.store->Histograms("r-1");
  REQUIRE(h.ok());
  REQUIRE(h->size() == 1);
  CHECK((*h)[0].second == "h1");
  absl::StatusOr<std::vector<StoredRun>> all = t.store->List();
  REQUIRE(all.ok());
  CHECK(all->size() == 1);
}

TEST_CASE("the store lists each run's numbers from its result JSON without handing the JSON out") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "passed",
                            R"({"duration_s": 12.5, "totals": {"requests": 300, "error_rate": 0.01},)"
                            R"( "latency_ms": {"p95": 41.5}})"),
                        {})
              .ok());
  REQUIRE(t.store->Save(Run("r-2", "failed", "{not json"), {}).ok());
  absl::StatusOr<std::vector<StoredRun>> all = t.store->List();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  const StoredRun& good = (*all)[0].id == "r-1" ? (*all)[0] : (*all)[1];
  const StoredRun& bad = (*all)[0].id == "r-1" ? (*all)[1] : (*all)[0];
  CHECK(good.duration_s == 12.5);
  CHECK(good.requests == 300);
  CHECK(good.error_rate == 0.01);
  CHECK(good.p95_ms == 41.5);
  CHECK(good.result_json.empty());
  CHECK(bad.requests == 0);  // a record whose JSON does not parse lists zeros
  CHECK(bad.p95_ms == 0);
  absl::StatusOr<StoredRun> got = t.store->Get("r-1");
  REQUIRE(got.ok());
  CHECK(got->requests == 300);
  CHECK(!got->result_json.empty());
}

TEST_CASE("the store does not replace a run a restart marked interrupted") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "running", "{\"status\":\"running\"}"), {}).ok());
  t.store.reset();
  absl::StatusOr<std::unique_ptr<ResultStore>> reopened = ResultStore::Open(t.dir.string());
  REQUIRE(reopened.ok());
  t.store = std::move(*reopened);
  CHECK(absl::IsAlreadyExists(t.store->Save(Run("r-1", "running", "{new}"), {})));
  absl::StatusOr<StoredRun> got = t.store->Get("r-1");
  REQUIRE(got.ok());
  CHECK(got->status == "interrupted");
}

TEST_CASE("the store lists p50, p99 and the achieved rate too") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "passed",
                            R"({"totals": {"requests": 300, "rps": 24.5},)"
                            R"( "latency_ms": {"p50": 3.25, "p95": 41.5, "p99": 60.125}})"),
                        {})
              .ok());
  absl::StatusOr<std::vector<StoredRun>> all = t.store->List();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK((*all)[0].p50_ms == 3.25);
  CHECK((*all)[0].p99_ms == 60.125);
  CHECK((*all)[0].achieved_rps == 24.5);
}

TEST_CASE("the store lists one scenario's runs, up to a given run, newest first") {
  TempStore t;
  auto save = [&t](const std::string& id, const std::string& scenario, int minute) {
    StoredRun r = Run(id, "passed", "{}");
    r.scenario = scenario;
    r.started_at = "2026-01-02T03:0" + std::to_string(minute) + ":00Z";
    REQUIRE(t.store->Save(r, {}).ok());
  };
  save("r-a1", "a", 1);
  save("r-b1", "b", 2);
  save("r-a2", "a", 3);
  save("r-a3", "a", 3);  // the same second: the id orders them
  save("r-a4", "a", 5);
  auto ids = [&t](const RunFilter& f) {
    absl::StatusOr<std::vector<StoredRun>> runs = t.store->List(f);
    REQUIRE(runs.ok());
    std::string out;
    for (const StoredRun& r : *runs) out += r.id + " ";
    return out;
  };
  RunFilter f;
  CHECK(ids(f) == "r-a4 r-a3 r-a2 r-b1 r-a1 ");
  f.scenario = "a";
  CHECK(ids(f) == "r-a4 r-a3 r-a2 r-a1 ");
  f.up_to_run = "r-a3";
  CHECK(ids(f) == "r-a3 r-a2 r-a1 ");
  f.up_to_run = "r-a2";
  CHECK(ids(f) == "r-a2 r-a1 ");
  f.limit = 1;
  CHECK(ids(f) == "r-a2 ");
  f.limit = 100;
  f.up_to_run = "r-nope";
  CHECK(ids(f).empty());
  f.up_to_run = "";
  f.scenario = "c";
  CHECK(ids(f).empty());
}

// Runs `sql` on DIR/barrage.db behind the store's back.
void Sql(const std::filesystem::path& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "barrage.db").string().c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

TEST_CASE("the store lists the numbers it saved without reading the result JSON again") {
  TempStore t;
  REQUIRE(t.store->Save(Run("r-1", "passed",
                            R"({"duration_s": 12.5, "totals": {"requests": 300, "rps": 24.5},)"
                            R"( "latency_ms": {"p50": 3.25, "p95": 41.5, "p99": 60.125}})"),
                        {})
              .ok());
  // The JSON is damaged after the save: a listing that read it would list zeros.
  Sql(t.dir, "UPDATE runs SET result_json = '{not json' WHERE id = 'r-1';");
  absl::StatusOr<std::vector<StoredRun>> all = t.store->List();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK((*all)[0].duration_s == 12.5);
  CHECK((*all)[0].requests == 300);
  CHECK((*all)[0].p50_ms == 3.25);
  CHECK((*all)[0].p95_ms == 41.5);
  CHECK((*all)[0].p99_ms == 60.125);
  CHECK((*all)[0].achieved_rps == 24.5);
}

TEST_CASE("the store gives an old database the listed columns, filled from each run's JSON") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("barrage-store-old-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // The schema before the listed numbers were columns.
  Sql(dir,
      "CREATE TABLE runs (id TEXT PRIMARY KEY, scenario TEXT NOT NULL, status TEXT NOT NULL, "
      "started_at TEXT NOT NULL, updated_at TEXT NOT NULL, result_json TEXT NOT NULL);"
      "CREATE TABLE histograms (run_id TEXT NOT NULL, request TEXT NOT NULL, "
      "snapshot BLOB NOT NULL, PRIMARY KEY (run_id, request));"
      "INSERT INTO runs VALUES ('r-1', 's', 'passed', '2026-01-02T03:04:05Z', "
      "'2026-01-02T03:04:06Z', '{\"duration_s\": 30, \"totals\": {\"requests\": 600, "
      "\"error_rate\": 0.5, \"rps\": 20}, \"latency_ms\": {\"p50\": 1.5, \"p95\": 2.5, "
      "\"p99\": 4}}');"
      "INSERT INTO runs VALUES ('r-0', 's', 'passed', '2026-01-01T03:04:05Z', "
      "'2026-01-01T03:04:06Z', '{broken');");
  for (int open = 0; open < 2; ++open) {  // the second Open finds the columns there
    absl::StatusOr<std::unique_ptr<ResultStore>> store = ResultStore::Open(dir.string());
    REQUIRE(store.ok());
    absl::StatusOr<std::vector<StoredRun>> all = (*store)->List();
    REQUIRE(all.ok());
    REQUIRE(all->size() == static_cast<size_t>(2 + open));
    std::map<std::string, StoredRun> by_id;
    for (const StoredRun& r : *all) by_id[r.id] = r;
    const StoredRun& r = by_id["r-1"];
    CHECK(r.duration_s == 30);
    CHECK(r.requests == 600);
    CHECK(r.error_rate == 0.5);
    CHECK(r.p50_ms == 1.5);
    CHECK(r.p95_ms == 2.5);
    CHECK(r.p99_ms == 4);
    CHECK(r.achieved_rps == 20);
    CHECK(by_id["r-0"].requests == 0);  // its JSON does not parse
    if (open == 0) {
      // A new run saves into the migrated table.
      REQUIRE((*store)->Save(Run("r-2", "passed", R"({"totals": {"requests": 7}})"), {}).ok());
    } else {
      CHECK(by_id["r-2"].requests == 7);
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace barrage
