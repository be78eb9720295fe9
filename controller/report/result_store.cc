// Copyright 2026 The Barrage Authors.

#include "controller/report/result_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace barrage {
namespace {

constexpr char kSchema[] = R"(
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  scenario TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  result_json TEXT NOT NULL,
  duration_s REAL,
  requests INTEGER,
  error_rate REAL,
  p50_ms REAL,
  p95_ms REAL,
  p99_ms REAL,
  achieved_rps REAL
);
CREATE TABLE IF NOT EXISTS histograms (
  run_id TEXT NOT NULL,
  request TEXT NOT NULL,
  snapshot BLOB NOT NULL,
  PRIMARY KEY (run_id, request)
);
)";

// RAII for a prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return s_; }
  bool ok() const { return s_ != nullptr; }
  void Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  double Double(int i) { return sqlite3_column_double(s_, i); }
  std::string Column(int i) {
    const void* p = sqlite3_column_blob(s_, i);
    return p == nullptr ? "" : std::string(static_cast<const char*>(p),
                                           static_cast<size_t>(sqlite3_column_bytes(s_, i)));
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

// A run's listed numbers: a column each, in StoredRun's order, and the
// result JSON path Save reads it from (once, when the run is saved).
struct ListedNumber {
  const char* column;
  const char* path;
};
constexpr ListedNumber kListed[] = {
    {"duration_s", "$.duration_s"},      {"requests", "$.totals.requests"},
    {"error_rate", "$.totals.error_rate"}, {"p50_ms", "$.latency_ms.p50"},
    {"p95_ms", "$.latency_ms.p95"},      {"p99_ms", "$.latency_ms.p99"},
    {"achieved_rps", "$.totals.rps"}};
constexpr int kListedCount = 5 + static_cast<int>(std::size(kListed));

// "a, b, ..." of the listed number columns.
std::string NumberColumns() {
  std::string out;
  for (const ListedNumber& n : kListed) absl::StrAppend(&out, out.empty() ? "" : ", ", n.column);
  return out;
}

// The listed numbers out of the JSON expression `json` (NULL, listed as 0,
// when it does not parse or lacks one), as a comma-separated SQL list.
std::string NumbersFrom(const std::string& json) {
  std::string out;
  for (const ListedNumber& n : kListed) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", "CASE WHEN json_valid(", json,
                    ") THEN json_extract(", json, ", '", n.path, "') END");
  }
  return out;
}

// A run's listed fields, columns 0..kListedCount-1 of a SELECT of these:
// stored columns only, never the result JSON.
std::string ListedColumns() {
  return absl::StrCat("id, scenario, status, started_at, updated_at, ", NumberColumns());
}

StoredRun Listed(Statement& q) {
  StoredRun r{q.Column(0), q.Column(1), q.Column(2), q.Column(3), q.Column(4), ""};
  r.duration_s = q.Double(5);
  r.requests = static_cast<uint64_t>(std::max(0.0, q.Double(6)));
  r.error_rate = q.Double(7);
  r.p50_ms = q.Double(8);
  r.p95_ms = q.Double(9);
  r.p99_ms = q.Double(10);
  r.achieved_rps = q.Double(11);
  return r;
}

class SqliteStore final : public ResultStore {
 public:
  SqliteStore(sqlite3* db, std::string path) : path_(std::move(path)), db_(db) {}
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Checks the file, creates the schema and marks crashed runs interrupted.
  absl::Status Init(absl::Time now, int* interrupted);

  absl::Status Save(const StoredRun& run,
                    const std::vector<std::pair<std::string, std::string>>& histograms) override;
  absl::StatusOr<std::vector<StoredRun>> List(const RunFilter& filter) override;
  absl::StatusOr<StoredRun> Get(const std::string& id) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Histograms(
      const std::string& id) override;

 private:
  absl::Status Exec(const std::string& sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds the listed number columns to a database made before they existed
  // and fills them from each row's result JSON, in one transaction.
  absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<ResultStore>> ResultStore::Open(const std::string& dir,
                                                               int* interrupted, Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = dir + "/barrage.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("store ", path, ": cannot open it: ", why));
  }
  sqlite3_busy_timeout(db, 2000);
  auto store = std::make_unique<SqliteStore>(db, path);
  if (absl::Status s = store->Init(clock.WallTime(), interrupted); !s.ok()) return s;
  return std::unique_ptr<ResultStore>(std::move(store));
}

absl::Status SqliteStore::Init(absl::Time now, int* interrupted) {
  absl::MutexLock lock(&mu_);
  // A damaged file fails here, with SQLite's reason, before anything is used.
  if (absl::Status s = Exec("PRAGMA journal_mode=WAL;"); !s.ok()) return s;
  if (absl::Status s = Exec(kSchema); !s.ok()) return s;
  {
    Statement check(db_, "PRAGMA quick_check;");
    if (!check.ok() || sqlite3_step(check.get()) != SQLITE_ROW ||
        check.Column(0) != "ok") {
      return absl::DataLossError(absl::StrCat("store ", path_, " is damaged: ",
                                              check.ok() ? check.Column(0) : sqlite3_errmsg(db_)));
    }
  }
  if (absl::Status s = Migrate(); !s.ok()) return s;
  // Runs that were running when the controller died are interrupted; their
  // last checkpoint is what remains of them.
  Statement mark(db_,
                 "UPDATE runs SET status = 'interrupted', updated_at = ?1, "
                 "result_json = replace(result_json, '\"status\":\"running\"', "
                 "'\"status\":\"interrupted\"') WHERE status = 'running';");
  mark.Text(1, absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now, absl::UTCTimeZone()));
  if (!mark.ok() || sqlite3_step(mark.get()) != SQLITE_DONE) {
    return absl::InternalError(absl::StrCat("store ", path_, ": ", sqlite3_errmsg(db_)));
  }
  if (interrupted != nullptr) *interrupted = sqlite3_changes(db_);
  return absl::OkStatus();
}

SqliteStore::~SqliteStore() {
  absl::MutexLock lock(&mu_);
  sqlite3_close(db_);
}

absl::Status SqliteStore::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    return absl::DataLossError(absl::StrCat("store ", path_, ": ", why));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Migrate() {
  bool has_numbers = false;
  {
    Statement info(db_, "SELECT 1 FROM pragma_table_info('runs') WHERE name = 'achieved_rps';");
    if (!info.ok()) {
      return absl::InternalError(absl::StrCat("store ", path_, ": ", sqlite3_errmsg(db_)));
    }
    has_numbers = sqlite3_step(info.get()) == SQLITE_ROW;
  }
  if (has_numbers) return absl::OkStatus();
  std::string sql = "BEGIN IMMEDIATE;";
  for (const ListedNumber& n : kListed) {
    absl::StrAppend(&sql, " ALTER TABLE runs ADD COLUMN ", n.column,
                    std::string(n.column) == "requests" ? " INTEGER;" : " REAL;");
  }
  absl::StrAppend(&sql, " UPDATE runs SET (", NumberColumns(), ") = (", NumbersFrom("result_json"),
                  "); COMMIT;");
  if (absl::Status s = Exec(sql); !s.ok()) {
    (void)Exec("ROLLBACK;");
    return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Save(
    const StoredRun& run, const std::vector<std::pair<std::string, std::string>>& histograms) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  bool ok = true;
  {
    // A new id is inserted; an existing row is updated only while it is
    // running (the same run's checkpoints and its final result). A row
    // that is finished or interrupted is never replaced.
    // The listed numbers are read out of the JSON here, once, so List
    // never reads a result JSON (which carries the run's time series).
    std::string update;
    for (const ListedNumber& n : kListed) {
      absl::StrAppend(&update, ", ", n.column, " = excluded.", n.column);
    }
    const std::string sql = absl::StrCat(
        "INSERT INTO runs (id, scenario, status, started_at, updated_at, result_json, ",
        NumberColumns(), ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ", NumbersFrom("?6"),
        ") ON CONFLICT (id) DO UPDATE SET scenario = excluded.scenario, "
        "status = excluded.status, started_at = excluded.started_at, "
        "updated_at = excluded.updated_at, result_json = excluded.result_json",
        update, " WHERE runs.status = 'running';");
    Statement put(db_, sql.c_str());
    put.Text(1, run.id);
    put.Text(2, run.scenario);
    put.Text(3, run.status);
    put.Text(4, run.started_at);
    put.Text(5, run.updated_at);
    put.Text(6, run.result_json);
    ok = put.ok() && sqlite3_step(put.get()) == SQLITE_DONE;
    if (ok && sqlite3_changes(db_) == 0) {
      (void)Exec("ROLLBACK;");
      return absl::AlreadyExistsError(absl::StrCat(
          "store: run ", run.id, " is already stored as finished; it is not replaced"));
    }
  }
  for (const auto& [request, snapshot] : histograms) {
    if (!ok) break;
    Statement put(db_, "INSERT OR REPLACE INTO histograms (run_id, request, snapshot) VALUES (?1, ?2, ?3);");
    put.Text(1, run.id);
    put.Text(2, request);
    put.Blob(3, snapshot);
    ok = put.ok() && sqlite3_step(put.get()) == SQLITE_DONE;
  }
  if (!ok) {
    const std::string why = sqlite3_errmsg(db_);
    (void)Exec("ROLLBACK;");
    return absl::InternalError(absl::StrCat("store: cannot save run ", run.id, ": ", why));
  }
  return Exec("COMMIT;");
}

absl::StatusOr<std::vector<StoredRun>> SqliteStore::List(const RunFilter& filter) {
  absl::MutexLock lock(&mu_);
  // The listed numbers are columns Save filled: no result JSON (which
  // grows with the run's series) is read here. "Up to a run" compares
  // (started_at, id) row values, List's order.
  Statement q(db_, absl::StrCat("SELECT ", ListedColumns(),
                                " FROM runs WHERE (?2 = '' OR scenario = ?2) AND (?3 = '' OR "
                                "(started_at, id) <= (SELECT started_at, id FROM runs "
                                "WHERE id = ?3)) ORDER BY started_at DESC, id DESC LIMIT ?1;")
                       .c_str());
  if (!q.ok()) return absl::InternalError(sqlite3_errmsg(db_));
  sqlite3_bind_int(q.get(), 1, filter.limit);
  q.Text(2, filter.scenario);
  q.Text(3, filter.up_to_run);
  std::vector<StoredRun> out;
  while (sqlite3_step(q.get()) == SQLITE_ROW) out.push_back(Listed(q));
  return out;
}

absl::StatusOr<StoredRun> SqliteStore::Get(const std::string& id) {
  absl::MutexLock lock(&mu_);
  Statement q(db_, absl::StrCat("SELECT ", ListedColumns(), ", result_json FROM runs WHERE id = ?1;")
                       .c_str());
  if (!q.ok()) return absl::InternalError(sqlite3_errmsg(db_));
  q.Text(1, id);
  if (sqlite3_step(q.get()) != SQLITE_ROW) return absl::NotFoundError(absl::StrCat("no run ", id));
  StoredRun run = Listed(q);
  run.result_json = q.Column(kListedCount);
  return run;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SqliteStore::Histograms(
    const std::string& id) {
  absl::MutexLock lock(&mu_);
  Statement q(db_, "SELECT request, snapshot FROM histograms WHERE run_id = ?1 ORDER BY request;");
  if (!q.ok()) return absl::InternalError(sqlite3_errmsg(db_));
  q.Text(1, id);
  std::vector<std::pair<std::string, std::string>> out;
  while (sqlite3_step(q.get()) == SQLITE_ROW) out.emplace_back(q.Column(0), q.Column(1));
  return out;
}

}  // namespace barrage
