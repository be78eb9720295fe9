// Copyright 2026 The Barrage Authors.
//
// ResultWriter: the one thread that puts a controller's runs on disk, so
// whoever builds a record (the coordinator, under its lock) never waits on
// SQLite or the file system. Each write is a StoredRun with its histograms
// for the ResultStore and, for a finished run, also the result JSON file
// DATA_DIR/runs/RUN.json. That file is created, never replaced: if it
// exists already the write's status is AlreadyExists and the file is kept.
//
// Writes happen one at a time, in the order they were queued. A queued
// checkpoint (final = false) that has not begun is replaced by a newer
// checkpoint of the same run queued right behind it, so a slow disk holds
// at most one waiting checkpoint per run and the latest one wins. A final
// write is never replaced or dropped: Shutdown() writes everything queued
// before it returns, and a write queued after Shutdown() is done at once on
// the caller's thread.
//
// A checkpoint may carry its series as a SeriesDelta (series_delta.h)
// instead of inside its result JSON: the writer keeps a mirror of each
// running run's series, applies the delta to it and renders the series
// into the JSON on its own thread, so the enqueuer's cost is the delta's,
// not the series'. A checkpoint that replaces a waiting one takes over the
// waiting one's delta. A final write drops the run's mirror. The mirrors
// take as much memory as the series they mirror (at most the budget,
// series_budget.h, per running run).
//
// Thread safety: Enqueue, Flush and Shutdown from any thread. Writes and
// their `done` callbacks run on the writer's thread (or, after Shutdown, on
// the enqueuing thread), without the writer's lock held.
#ifndef BARRAGE_CONTROLLER_REPORT_RESULT_WRITER_H_
#define BARRAGE_CONTROLLER_REPORT_RESULT_WRITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "controller/report/result_store.h"
#include "controller/report/series_delta.h"

namespace barrage {

struct ResultWrite {
  StoredRun run;
  // (request name, serialized HistogramSnapshot) pairs, for the store.
  std::vector<std::pair<std::string, std::string>> histograms;
  bool final = false;  // a finished run's result (also written as a file)
  // When set (checkpoints only): run.result_json was rendered without its
  // series (ResultJson(..., with_series = false)) and this is what changed
  // in the series since the run's previous write that carried one.
  std::optional<SeriesDelta> series;
  // Called after the write with its outcome (the first error of the store
  // and the file); may be null. It must not wait for this writer.
  std::function<void(const absl::Status&)> done;
};

class ResultWriter {
 public:
  // `store` (borrowed, may be null: no database) outlives the writer.
  // `data_dir` "": no result files. Starts the thread.
  ResultWriter(ResultStore* store, std::string data_dir);
  ~ResultWriter();  // Shutdown()
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // Queues `write`; never blocks on I/O (before Shutdown).
  void Enqueue(ResultWrite write);
  // Waits until everything queued before the call is written and its
  // `done` has returned.
  void Flush();
  // Writes everything queued, then stops the thread. Idempotent.
  void Shutdown();

 private:
  void Loop();
  absl::Status Write(ResultWrite& write);  // on one thread at a time

  ResultStore* const store_;
  const std::string data_dir_;

  absl::Mutex mu_;
  std::deque<ResultWrite> queue_ ABSL_GUARDED_BY(mu_);  // not yet begun
  uint64_t queued_ ABSL_GUARDED_BY(mu_) = 0;   // entries ever queued
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;  // of them, done
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;  // the thread has drained and ended
  std::thread thread_;

  // Write's: each running run's series as its checkpoints' deltas built it.
  absl::Mutex write_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::map<std::string, SeriesDelta> mirrors_ ABSL_GUARDED_BY(write_mu_);
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_RESULT_WRITER_H_
