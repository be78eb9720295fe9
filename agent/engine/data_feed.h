// Copyright 2026 The Barrage Authors.
//
// DataFeed: the agent's copy of one data source (scenario `data:`) for one
// run, and the RowSources (row_source.h) its workers read it through, one
// per worker. By the source's mode:
//   sequential  the agent walks the rows in file order across all its
//               workers: one atomic counter per source per agent (a fetch
//               add per iteration; no lock). Each agent walks the whole file
//               on its own, so agents repeat each other's rows. recycle
//               wraps to row 0; stop ends after the last row.
//   random      uniform with replacement; each worker has its own generator,
//               seeded from (seed, worker), so runs repeat.
//   unique      rows dealt by the controller in leases (first_row, count).
//               The feed keeps them in order; workers take the next row
//               under a short lock (no allocation, no waiting on I/O). The
//               agent's link asks for more (RowsWanted) to stay about 2 s
//               ahead of its take rate, and reports the rows taken
//               (TakeUsed) with every StatsReport and data request, and
//               every 100 ms between them (the daemon's DataUsed). Rows a
//               lease has not delivered yet are kNoRow (counted as
//               data_exhausted); once the controller says no more rows come
//               (SetFinal: on_end stop, all dealt) and the buffer is empty,
//               the source is Exhausted.
//
// Ownership: the feed owns its table (shared, immutable) and its sources;
// sources are valid while the feed lives, which must outlive the workers.
// Thread safety: each source is used by its worker's thread only; AddLease,
// SetFinal, RowsWanted and TakeUsed from any thread (the agent's link and
// the reporter).
#ifndef BARRAGE_AGENT_ENGINE_DATA_FEED_H_
#define BARRAGE_AGENT_ENGINE_DATA_FEED_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/engine/row_source.h"
#include "barrage/v1/stats.pb.h"
#include "common/data/data_table.h"
#include "common/scenario/scenario.h"

namespace barrage {

class DataFeed {
 public:
  // `spec` gives the name, mode and on_end; `table` its rows; `workers`
  // sources are made; `seed` seeds random mode.
  DataFeed(const DataSource& spec, std::shared_ptr<const DataTable> table,
           int workers, uint64_t seed);
  ~DataFeed();
  DataFeed(const DataFeed&) = delete;
  DataFeed& operator=(const DataFeed&) = delete;

  const std::string& name() const { return name_; }
  DataSource::Mode mode() const { return mode_; }
  const DataTable& table() const { return *table_; }
  // Worker `worker`'s source, in [0, workers).
  RowSource* source(int worker);

  // --- unique mode ---
  // Rows [first_row, first_row + count) are this agent's to take.
  void AddLease(int64_t first_row, int64_t count);
  // The controller deals no more rows: once the buffer is empty, the
  // sources are Exhausted.
  void SetFinal();
  // How many rows to ask for now, or 0: none while a request is
  // outstanding (cleared by AddLease) or while more than `ahead_s` seconds of
  // the take rate are buffered. The rate is rows taken per second since the
  // previous call (`now_ns` on the caller's clock); before any rows are
  // taken, `initial_rows`. Marks a request outstanding when it returns > 0.
  int64_t RowsWanted(int64_t now_ns, int64_t initial_rows, double ahead_s = 2.0);
  // The rows taken since the previous call, as ranges in dealing order,
  // appended to `out` (a StatsReport's data_used, a DataRequest's used, a
  // DataUsed's used).
  void TakeUsed(google::protobuf::RepeatedPtrField<v1::DataUse>* out);
  // Rows leased and not yet taken.
  int64_t Buffered() const;
  // Rows taken in all.
  int64_t Taken() const;

 private:
  class Source;
  friend class Source;
  struct Lease {
    int64_t first = 0;
    int64_t count = 0;
    int64_t taken = 0;     // rows of it handed to workers
    int64_t reported = 0;  // of those, reported by TakeUsed
  };
  int64_t NextSequential();
  int64_t NextUnique();
  bool SequentialExhausted() const;
  bool UniqueExhausted() const;

  const std::string name_;
  const DataSource::Mode mode_;
  const DataSource::OnEnd on_end_;
  const std::shared_ptr<const DataTable> table_;
  std::vector<std::unique_ptr<Source>> sources_;

  std::atomic<int64_t> next_{0};  // sequential: rows handed out so far

  mutable absl::Mutex mu_;  // unique mode
  std::deque<Lease> leases_ ABSL_GUARDED_BY(mu_);
  size_t cursor_ ABSL_GUARDED_BY(mu_) = 0;  // first lease with rows left
  int64_t buffered_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t taken_ ABSL_GUARDED_BY(mu_) = 0;
  bool final_ ABSL_GUARDED_BY(mu_) = false;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  int64_t rate_taken_ ABSL_GUARDED_BY(mu_) = 0;    // taken_ at the last RowsWanted
  int64_t rate_at_ns_ ABSL_GUARDED_BY(mu_) = -1;   // its time
  double rate_per_s_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_DATA_FEED_H_
