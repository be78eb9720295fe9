// Copyright 2026 The Barrage Authors.
//
// RunData: the agent's side of scenario `data:`. It assembles the data
// files the controller sends before a StartRun (DataChunk, agent.proto),
// checks each one's SHA-256 and parses it (DataTable), keeping the tables
// by sha256 until the StartRun that follows; then it builds the run's feeds (one
// DataFeed per source, data_feed.h), or says why it cannot (the RunRefused
// reason: a file not received, a digest mismatch, a parse error). For
// unique sources it takes the controller's DataLeases, decides when to ask
// for more (about 3 s of this agent's take rate ahead, checked at each
// report) and moves the rows taken into each report, or into a DataUsed
// (TakeUsed) between reports. Each taken row goes out once, in whichever
// takes it first.
//
// Thread safety: OnChunk, Feeds, OnLease and Clear from the daemon's
// session thread; OnReport from the executor's reporter thread; TakeUsed
// from any; one internal mutex guards the tables and feeds (never held
// across I/O).
#ifndef BARRAGE_AGENT_DAEMON_RUN_DATA_H_
#define BARRAGE_AGENT_DAEMON_RUN_DATA_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/engine/data_feed.h"
#include "barrage/v1/agent.pb.h"
#include "common/data/data_chunks.h"
#include "common/data/data_table.h"
#include "common/scenario/scenario.h"

namespace barrage {

class RunData {
 public:
  // Files over `max_bytes` are refused.
  explicit RunData(int64_t max_bytes = int64_t{4} << 30);
  RunData(const RunData&) = delete;
  RunData& operator=(const RunData&) = delete;

  // A piece of a file; a file's last piece checks and parses it (errors are
  // kept and given by Feeds).
  void OnChunk(const v1::DataChunk& chunk);
  // The feeds of `scenario`'s sources (in order, `workers` sources each)
  // for run `run_id`, or FailedPrecondition "data 'users': ..." saying
  // what is wrong. `agents_in_run` sizes the first unique request. The
  // feeds are kept for OnLease and OnReport until Clear.
  absl::StatusOr<std::vector<std::shared_ptr<DataFeed>>> Feeds(
      const std::string& run_id, const Scenario& scenario, int workers, uint64_t seed,
      int agents_in_run);
  // The first DataRequests of the run's unique sources (send at once).
  std::vector<v1::AgentMessage> InitialRequests(int64_t now_ns);
  // A lease from the controller for the current run.
  void OnLease(const v1::DataLease& lease);
  // Moves the rows taken into `report` and returns the DataRequests due
  // now (a source below half of its target buffer).
  std::vector<v1::AgentMessage> OnReport(v1::StatsReport& report, int64_t now_ns);
  // Whether the current run has unique sources (whose use is reported).
  bool HasUnique();
  // A DataUsed with the rows taken since the last report, request or
  // DataUsed, or nothing when none were (or no run is on).
  std::optional<v1::AgentMessage> TakeUsed();
  // The run is over: its feeds (and so their tables, once the executor is
  // gone too) are dropped.
  void Clear();

 private:
  struct Unique {
    std::shared_ptr<DataFeed> feed;
    int64_t initial_rows = 1;
  };
  std::vector<v1::AgentMessage> Requests(int64_t now_ns) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_bytes_;
  absl::Mutex mu_;
  std::map<std::string, DataAssembler> assembling_ ABSL_GUARDED_BY(mu_);  // by sha256
  std::map<std::string, std::string> formats_ ABSL_GUARDED_BY(mu_);  // by sha256
  std::map<std::string, std::shared_ptr<const DataTable>> tables_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> errors_ ABSL_GUARDED_BY(mu_);  // sha256 -> why
  std::string run_id_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Unique> unique_ ABSL_GUARDED_BY(mu_);  // by source name
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_RUN_DATA_H_
