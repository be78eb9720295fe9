// Copyright 2026 The Barrage Authors.
//
// The SQLite store keeps every finished run: a running run's checkpoints
// update its own row, but a finished (or interrupted) run is never
// replaced; saving its id again is an error and changes nothing.

#include "controller/report/result_store.h"

#include <unistd.h>

#include <filesystem>
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

}  // namespace
}  // namespace barrage
