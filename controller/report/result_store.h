// Copyright 2026 The Barrage Authors.
//
// ResultStore: the controller's runs on disk (SQLite, DIR/barrage.db), so a
// controller restart loses nothing: every finished run's result JSON and
// merged histograms, and a running run's latest checkpoint (every 5 s).
// Opening the store marks runs left "running" by a crash as "interrupted".
// Every write is one transaction. A corrupt or unreadable store is a clear
// error at Open(), never a crash.
//
// Thread safety: all methods are serialized by an internal lock.
#ifndef BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_
#define BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sqlite3;

namespace barrage {

struct StoredRun {
  std::string id;
  std::string scenario;
  std::string status;      // running | interrupted | passed | failed | aborted | error
  std::string started_at;  // RFC 3339
  std::string updated_at;
  std::string result_json;
};

class ResultStore {
 public:
  // Opens (creating if needed) DIR/barrage.db and marks crashed runs
  // interrupted; returns how many were.
  static absl::StatusOr<std::unique_ptr<ResultStore>> Open(const std::string& dir,
                                                           int* interrupted = nullptr);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  // Inserts or replaces a run with its result JSON and merged histograms
  // ((request name, serialized HistogramSnapshot) pairs).
  absl::Status Save(const StoredRun& run,
                    const std::vector<std::pair<std::string, std::string>>& histograms);
  // Newest first.
  absl::StatusOr<std::vector<StoredRun>> List(int limit = 100);
  absl::StatusOr<StoredRun> Get(const std::string& id);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Histograms(
      const std::string& id);

 private:
  ResultStore(sqlite3* db, std::string path) : path_(std::move(path)), db_(db) {}
  absl::Status Exec(const std::string& sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_
