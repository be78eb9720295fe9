// Copyright 2026 The Barrage Authors.
//
// ResultStore: where the controller keeps its runs, so a controller
// restart loses nothing: every finished run's result JSON and merged
// histograms, and a running run's latest checkpoint (every 5 s).
//
// An interface: Open() gives the real one (SQLite, DIR/barrage.db), tests
// plug in their own. The coordinator never calls Save() itself: its
// ResultWriter thread does (result_writer.h), so a slow disk delays only
// the writes, never the run.
//
// Thread safety: implementations are safe to call from any thread.
#ifndef BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_
#define BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/util/clock.h"

namespace barrage {

struct StoredRun {
  std::string id;
  std::string scenario;
  std::string status;      // running | interrupted | passed | failed | aborted | error
  std::string started_at;  // RFC 3339 (UTC, seconds)
  std::string updated_at;  // RFC 3339: when the record was built
  std::string result_json;  // Get() only; List() leaves it empty
  // The numbers `barrage runs` and `barrage trend` list, read from the
  // result JSON once, when Save stores it, and kept as columns, so List
  // never reads a result JSON (0 when the JSON lacks them or does not
  // parse). Filled by List and Get; ignored by Save (it reads the JSON). Latencies are the whole run's
  // (all requests), in milliseconds.
  double duration_s = 0;
  uint64_t requests = 0;
  double error_rate = 0;    // fraction, 0..1
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double achieved_rps = 0;  // totals.rps: requests per second over the run
};

// Which runs List() returns.
struct RunFilter {
  int limit = 100;          // at most this many (the newest)
  std::string scenario;     // only this scenario's runs; "": every scenario
  // Only this run and the runs before it (in List's order); "": up to the
  // newest. A run id the store does not have lists nothing.
  std::string up_to_run;
};

class ResultStore {
 public:
  // The SQLite store: opens (creating if needed) DIR/barrage.db and marks
  // runs left "running" by a crash as "interrupted" (stamped with `clock`'s
  // wall time); `*interrupted` (when given) says how many were. A database
  // from before the listed numbers were columns gets them here, filled from
  // each row's result JSON once, in one transaction. Every write
  // is one transaction. A corrupt or unreadable file is a clear error here,
  // never a crash. Its methods are serialized by an internal lock. The
  // default clock is for main()'s wiring.
  static absl::StatusOr<std::unique_ptr<ResultStore>> Open(const std::string& dir,
                                                           int* interrupted = nullptr,
                                                           Clock& clock = SystemClock());
  virtual ~ResultStore() = default;

  // Inserts a run (its `updated_at` as given) with its result JSON and
  // merged histograms ((request name, serialized HistogramSnapshot) pairs),
  // or updates a stored run that is still "running" (its checkpoints, then
  // its final result). A stored run in any other status is never replaced:
  // saving its id again is AlreadyExists and changes nothing. May block on
  // I/O.
  virtual absl::Status Save(
      const StoredRun& run,
      const std::vector<std::pair<std::string, std::string>>& histograms) = 0;
  // The runs `filter` selects, newest first (by started_at, then id).
  virtual absl::StatusOr<std::vector<StoredRun>> List(const RunFilter& filter = RunFilter()) = 0;
  virtual absl::StatusOr<StoredRun> Get(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Histograms(
      const std::string& id) = 0;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RESULT_STORE_H_
