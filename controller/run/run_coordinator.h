// Copyright 2026 The Barrage Authors.
//
// RunCoordinator: owns the controller's one active run. Everything that
// happens to a run arrives as an event (a start request, an agent's report,
// acceptance or loss, a stop request, the passage of time in Tick()); the
// coordinator applies it to the run's state machine and does what the
// transition says: split and start, merge, judge thresholds, stop agents,
// finish and write the result.
//
// Agents: a run plans over the idle agents whose labels match the
// scenario's agents.select.labels (agents.min counts those). An agent that
// refuses its StartRun is left out, with an `agent_left_out` event naming it
// and its reason, and its slots go to the others, when they still number
// agents.min and stay within their --max-rate and --max-in-flight; else the
// run fails to start with the agent's reason.
//
// Concurrency. The split gives no agent more VUs than its --max-in-flight
// (a plan the agents cannot hold fails to start, load_splitter.h). When a
// rebalance (an agent lost, leaving or joining) leaves an agent more VUs
// than it holds, or an agent reports ready VUs waiting for its in-flight
// budget (vus_capped), that is a `concurrency_not_held` event (agent,
// planned vs held), and the result's `concurrency_held` check fails: the
// run is "failed" (exit 99), never PASSED on fewer connections.
//
// Elastic agents. While a run is running, a matching idle agent that
// connects (a new replica) is an `agent_joined` event: under agents.on_join:
// rebalance the remaining schedule is re-split across all its agents from
// ~redistribute_delay_ns ahead (the others get UpdateShare with the new
// period, the newcomer a StartRun resuming there), so the run's total stays
// the plan's; under `ignore` it stays idle. An agent that says Leaving
// (SIGTERM) is an `agent_left` event: its slots go to the others from the
// run time it stops at, whatever on_loss says, and its final report is
// awaited as usual.
//
// Monitor. A scenario with `monitor:` is sampled from run time 0 by a
// MonitorSampler (controller/monitor/) on its own thread; each Tick takes
// its samples into the run's series and MonitorRecord, its errors become
// `monitor_error` events (once per query and kind). Thresholds on
// monitor.NAME judge the mean of the samples in their window (or the run);
// without samples they are not judged (no_data). The progress carries the
// latest value of up to 3 queries. The Prometheus token goes to no agent
// and into no result.
//
// Threads: entry points are thread-safe and serialized by one lock, taken
// by gRPC reactor threads (agent reports, heartbeats), the CLI's stream
// threads and the ticker. Nothing under it blocks or does I/O: agent
// handles queue their writes, CLI events go to an EventQueue, and the
// store and result files are written by the coordinator's own ResultWriter
// thread (result_writer.h), to which it hands each record built under the
// lock: a checkpoint every `checkpoint_interval_ns` (its series as what
// changed since the last one, rendered on the writer's thread) and the
// finished result.
// A finished run's result event reaches its EventQueue only once the result
// is written (so a client that saw it can read it back from the store);
// with neither a store nor a data_dir it is pushed at once. Tick() is
// called every ~100 ms by the controller's ticker thread, or by tests with
// a fake clock. Time (run time, run ids, started_at, updated_at) comes only
// from the injected Clock.
#ifndef BARRAGE_CONTROLLER_RUN_RUN_COORDINATOR_H_
#define BARRAGE_CONTROLLER_RUN_RUN_COORDINATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "barrage/v1/agent.pb.h"
#include "barrage/v1/control.pb.h"
#include "common/util/clock.h"
#include "common/scenario/scenario.h"
#include "controller/monitor/monitor_record.h"
#include "controller/monitor/monitor_sampler.h"
#include "controller/monitor/prometheus_client.h"
#include "controller/run/agent_registry.h"
#include "controller/run/data_dealer.h"
#include "controller/run/data_store.h"
#include "controller/run/event_queue.h"
#include "controller/run/load_splitter.h"
#include "common/metrics/registry.h"
#include "controller/report/result_store.h"
#include "controller/report/result_writer.h"
#include "controller/run/run_merger.h"
#include "controller/report/run_result.h"
#include "controller/run/run_state_machine.h"

namespace barrage {

struct CoordinatorOptions {
  int64_t start_delay_ns = 500'000'000;     // StartRun -> common start
  int64_t redistribute_delay_ns = 200'000'000;  // UpdateShare -> takeover
  int64_t accept_timeout_ns = 5'000'000'000;
  int64_t interval_grace_ns = 2'000'000'000;  // close a silent interval
  int64_t drain_extra_ns = 5'000'000'000;   // beyond the longest timeout
  std::string data_dir;  // results are written to DATA_DIR/runs/RUN.json ("": not)
  // Where run series go (null: none), and how long a finished run's series
  // stay before they are removed (so alerts resolve).
  MetricsRegistry* metrics = nullptr;
  int64_t metrics_grace_ns = 60'000'000'000;
  // Where runs are kept across restarts (null: not kept); borrowed, it
  // outlives the coordinator.
  ResultStore* store = nullptr;
  int64_t checkpoint_interval_ns = 5'000'000'000;
  // Where a run's monitor: queries are asked (null: a PrometheusClient for
  // the section's URL and token). Called under the coordinator's lock; it
  // must not block.
  std::function<std::unique_ptr<MonitorSource>(const MonitorSpec&)> monitor_source;
  // false: no sampler thread is started (tests call SampleMonitorRound).
  bool monitor_thread = true;
  // Uploaded data files (scenario `data:`); borrowed. Null: a scenario
  // with data is refused.
  DataStore* data = nullptr;
};

// What `barrage status` shows.
struct RunStatusView {
  std::string run_id;
  std::string scenario;
  std::string state;
  v1::Progress progress;
};

// The achieved rate (requests/s) of the progress line over the intervals
// `first`..`last` (each `interval_ns` long, closed together), which hold
// `requests` results: the requests over the part of those intervals that
// lies before `end_ns` (run time where the load ends: the plan's end, or the
// stop). An interval past the end holds only late completions of requests
// sent before it: they count, their time does not. nullopt when the
// intervals lie wholly past the end (keep the last rate).
std::optional<double> AchievedRps(uint64_t requests, int64_t first, int64_t last,
                                  int64_t interval_ns, int64_t end_ns);

// The seed of a run's `index`-th assignment (Assignment.seed): a pure
// function of the run id and the index (FNV-1a of the id plus a
// golden-ratio step per index).
uint64_t AssignmentSeed(const std::string& run_id, size_t index);

class RunCoordinator {
 public:
  // `registry` and `clock` are borrowed and outlive the coordinator.
  RunCoordinator(AgentRegistry& registry, Clock& clock,
                 CoordinatorOptions options);
  ~RunCoordinator();  // Shutdown()
  RunCoordinator(const RunCoordinator&) = delete;
  RunCoordinator& operator=(const RunCoordinator&) = delete;

  // Writes everything handed to the writer (the last checkpoint, a finished
  // result), then stops its thread; later writes happen on the calling
  // thread. Call once the services stop feeding events. Idempotent; not
  // under the coordinator's lock.
  void Shutdown();

  // Accepts a run, or FailedPrecondition naming the active one. Events for
  // it go to the returned queue, which is closed after the result.
  absl::StatusOr<std::shared_ptr<EventQueue>> StartRun(Scenario scenario,
                                                       std::string file);
  // NotFound unless `run_id` (or "" for the active run) is active.
  absl::Status StopRun(const std::string& run_id, bool immediate);

  void OnStats(const v1::StatsReport& report);
  void OnAccepted(const std::string& agent, const std::string& run_id);
  void OnRefused(const std::string& agent, const std::string& run_id,
                 const std::string& reason);
  void OnAgentGone(const std::string& agent);
  // `agent` asks for rows of a unique data source; answered with
  // DataLeases (agent.proto). See run_coordinator_data.cc.
  void OnDataRequest(const std::string& agent, const v1::DataRequest& request);
  // `agent` took these rows since its last report (agent.proto, DataUsed).
  void OnDataUse(const std::string& agent, const v1::DataUsed& used);
  // `agent` leaves the run gracefully and fires nothing due from run time
  // `stop_ms` on (agent.proto, Leaving).
  void OnLeaving(const std::string& agent, const std::string& run_id, int64_t stop_ms);

  // Advances timers: waits, interval closing, thresholds, progress, drains.
  void Tick();

  RunStatusView Status();

  uint64_t reports_rejected();
  // One sampling round of the active run's monitor now, on the calling
  // thread (for tests with monitor_thread false); nothing without one.
  void SampleMonitorRound();

 private:
  struct Active {
    std::string id;
    std::string file;
    Scenario scenario;
    RunState state = RunState::kWaitingForAgents;
    std::shared_ptr<EventQueue> events;
    int64_t created_ns = 0;
    int64_t start_sent_ns = 0;
    int64_t zero_ns = 0;          // run time 0 on the controller's clock
    int64_t stop_ns = 0;          // when stopping began
    absl::Time started_at;
    std::vector<std::string> agents;  // assigned, in split order
    std::set<std::string> live;       // assigned and still connected
    std::set<std::string> accepted;
    std::set<std::string> finals;
    std::map<std::string, int64_t> started_unix_ns;
    std::unique_ptr<RunMerger> merger;
    std::vector<RunEventRecord> log;
    std::vector<ThresholdResult> live_thresholds;  // window thresholds
    int64_t progress_through = -1;
    std::string error;
    uint64_t rejected = 0;
    v1::Progress last_progress;
    std::string published_state;
    bool reached_running = false;  // failing before this is "could not start"
    int64_t period = 1;                              // of the split
    int64_t checkpoint_ns = 0;                       // last checkpoint
    std::map<std::string, std::vector<int64_t>> slots;  // current shares
    std::set<std::string> leaving;      // said Leaving; in `live` until final
    std::map<std::string, int64_t> joined;  // joined mid-run -> from (run ms)
    std::set<std::string> passed_over;  // joined but not taken in (ignore, refused)
    std::map<std::string, int64_t> max_in_flight;  // each run agent's limit
    // Why the planned concurrency was not held (concurrency_not_held
    // events); any makes the result's concurrency_held check fail.
    std::vector<std::string> concurrency_failures;
    std::set<std::string> not_held;  // agents with a concurrency_not_held event
    std::map<std::string, std::string> versions;  // agent -> its Hello's version
    std::unique_ptr<MonitorSampler> sampler;  // null without monitor:
    std::unique_ptr<MonitorRecord> monitor;   // null without monitor:
    // Unique data sources by name: who holds and took which rows.
    std::map<std::string, std::unique_ptr<DataDealer>> dealers;
    bool data_used_up = false;  // a stop source ran out: the run was stopped
  };
  // --- monitor (run_coordinator_monitor.cc) ---
  // The StartRun scenario for agents: without the monitor's token.
  static v1::ScenarioSpec AgentSpec(const Scenario& scenario);
  // Creates (and starts) the run's sampler once zero_ns is known.
  void StartMonitor() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the sampler's samples, gaps and events into the run.
  void CollectMonitor() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stops the sampler; it is joined later, outside the lock.
  void StopMonitor() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A kMonitor threshold over the samples in [from_s, to_s] (run seconds).
  ThresholdResult JudgeMonitor(const Threshold& t, double from_s, double to_s) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Up to 3 latest monitor values into `p`.
  void MonitorProgress(v1::Progress& p) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // --- data files (run_coordinator_data.cc) ---
  // Every data source's file is in the store: else FailedPrecondition
  // naming the source.
  absl::Status CheckDataUploaded(const Scenario& scenario) const;
  // Sends `handle` the run's data files (DataChunks), before its StartRun.
  void SendDataFiles(AgentHandle& handle) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Builds the dealers of the run's unique sources.
  void StartDealers() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A report's data_used; stops the run when a stop source is used up.
  void OnDataUsed(const v1::StatsReport& report) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Rows `agent` reports taken (a report, a request or a DataUsed).
  void TakeRows(const std::string& agent,
                const google::protobuf::RepeatedPtrField<v1::DataUse>& used)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stops the run gracefully once a stop source is used up.
  void StopIfDataUsedUp() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `agent` takes no more rows: its final report is in (`graceful`: every
  // row it took was reported), or it was lost.
  void ReturnRows(const std::string& agent, bool graceful) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The result's "data".
  std::vector<DataSourceUse> DataUses() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Deals a lost agent's slots to the survivors and tells them, from
  // `from_ms` (run time; default: the end of its last reported interval).
  void Redistribute(const std::string& lost, std::optional<int64_t> from_ms = std::nullopt)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The agents that take slots: live and not leaving.
  std::set<std::string> Takers() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes in (or passes over) matching idle agents that joined a running run.
  void AdmitJoiners() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Re-splits the remaining schedule across the takers and `agent`.
  void Join(const AgentInfo& agent) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves `lost`'s slots in `slots` to `takers` within their in-flight
  // limits where they have room (load_splitter.h DealSlots); returns the
  // takers left above their limits.
  std::vector<OverLimit> DealSlotsWithin(const std::string& lost,
                                         const std::set<std::string>& takers,
                                         std::map<std::string, std::vector<int64_t>>& slots)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records that the planned concurrency is not held: a
  // concurrency_not_held event for `agent` (once per agent) and a failed
  // check.
  void NotHeld(const std::string& agent, const std::string& detail)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A starting run goes on without `agent` (which refused it) when the
  // others still number agents.min and can take its slots within their
  // --max-rate: they are told (UpdateShare) and OK is returned. Otherwise
  // why not, and nothing changes.
  absl::Status LeaveOut(const std::string& agent) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  void Apply(RunEventKind event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SplitAndStart() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendStop(bool immediate, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Finish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnIntervalsClosed() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Publish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Builds the stored record of `report` and hands it to the writer;
  // `series` set: `json` lacks its series, which the writer adds.
  void Persist(const RunReport& report, const std::string& json, bool final,
               std::function<void(const absl::Status&)> done,
               std::optional<SeriesDelta> series = std::nullopt)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Notices for checkpoints the writer could not save.
  void NoticeStoreErrors() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<ThresholdResult> CurrentThresholds() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Notice(const std::string& kind, const std::string& agent,
              const std::string& action) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  double ElapsedS() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // "r-YYYYMMDD-HHMMSS-XXXXXXXX": the Clock's wall time (UTC, so ids sort
  // by start time) and 32 random bits (so ids do not repeat after a restart
  // or on another host).
  std::string NewRunId() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AgentRegistry& registry_;
  Clock& clock_;
  const CoordinatorOptions options_;
  // Null when there is nothing to write (no store, no data_dir).
  const std::unique_ptr<ResultWriter> writer_;

  // Failed checkpoints (run id, why), from the writer's thread; noticed on
  // the next Tick. Taken after mu_ when both are held.
  absl::Mutex store_errors_mu_;
  std::vector<std::pair<std::string, std::string>> store_errors_
      ABSL_GUARDED_BY(store_errors_mu_);

  absl::Mutex mu_;
  std::unique_ptr<Active> run_ ABSL_GUARDED_BY(mu_);
  std::string last_run_id_ ABSL_GUARDED_BY(mu_);
  uint64_t rejected_total_ ABSL_GUARDED_BY(mu_) = 0;
  // Finished runs whose series are removed after the grace period.
  std::vector<std::pair<std::string, int64_t>> expiring_ ABSL_GUARDED_BY(mu_);
  // Stopped samplers, joined (destroyed) by Tick and Shutdown outside mu_.
  std::vector<std::unique_ptr<MonitorSampler>> retired_samplers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_RUN_COORDINATOR_H_
