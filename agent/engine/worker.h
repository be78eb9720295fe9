// Copyright 2026 The Barrage Authors.
//
// Worker: one load-generating thread's logic. It owns an HttpClient, its
// slice of the arrival schedule (open model) or of the virtual users (closed
// model), a weighted request picker and its interval measurements. Nothing
// on its request path is shared, locked or allocated: in-flight requests
// live in a preallocated slot table, series are allocated once per run.
//
// The loop body is Step(now) / OnResult(result, now) with times in
// nanoseconds since the run's start, so tests drive it with a fake clock
// and a FakeHttpClient; Run() is the real loop around them.
//
// Open model: each arrival has an intended send time. When the in-flight
// cap is reached, due arrivals wait, and the wait counts in their response
// time; an arrival later than max_lag is counted dropped, never sent and
// never silently skipped. Closed model: each VU loops request -> response
// -> think; a ready VU that finds the cap full waits too. Either wait marks
// the interval in_flight_capped (a VU's also vus_capped): the controller
// tells the run it did not hold its planned concurrency.
//
// Flows (FlowProgram): an arrival, or a VU's next loop, picks a request or
// a flow by weight. A flow iteration runs its steps in order, one request
// in flight at a time: the next step is due at the response time plus the
// step's think (drawn per iteration: fixed, uniform or exponential), and
// waits for the in-flight cap like an arrival does (the wait counts in its
// response time). Captures fill the iteration's variables, checks judge the
// response (outcome check_failed), cookies live in a per-iteration jar; the
// first failed step ends the iteration failed. A VU thinks the stage's
// think after its whole iteration. Templated requests render into reused
// buffers and go out with StartWith(); static ones with Start(), as plain
// runs always did. An iteration (or a plain request) that uses data
// sources takes one row of each at its start; with no row it is not
// started and counted (data_exhausted), and once every item needs an
// exhausted source the worker stops starting iterations.
//
// Thread safety: Step, OnResult and Run belong to the worker thread.
// WaitClosed/TakeIntervals may be called from one reporter thread; the
// worker takes its lock once per interval to publish, never per request.
#ifndef BARRAGE_AGENT_ENGINE_WORKER_H_
#define BARRAGE_AGENT_ENGINE_WORKER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/status/status.h"
#include "agent/engine/arrival_scheduler.h"
#include "agent/engine/flow_program.h"
#include "agent/engine/flow_state.h"
#include "agent/http/http_client.h"
#include "agent/engine/interval_stats.h"
#include "agent/engine/request_picker.h"
#include "agent/engine/row_source.h"
#include "common/util/clock.h"
#include "common/scenario/scenario.h"

namespace barrage {

struct WorkerConfig {
  Scenario scenario;
  int64_t period = 1;                 // this agent's share: see schedule.h
  std::vector<int64_t> slots = {0};
  int worker = 0;                     // this worker's index
  int workers = 1;
  ArrivalMode arrivals = ArrivalMode::kUniform;
  uint64_t seed = 1;
  size_t max_in_flight = 1000;        // this worker's cap
  int64_t max_lag_ns = 5'000'000'000;   // later than this: dropped
  int64_t late_ns = 10'000'000;         // later than this: counted late
  int64_t interval_ns = 1'000'000'000;  // reporting interval
  // Joined mid-run: arrivals due before this run time are not this agent's.
  int64_t from_ns = 0;
  // One per scenario.data source, in order (borrowed; they outlive the
  // worker). Empty when the scenario has no data.
  std::vector<RowSource*> data;
};

class Worker {
 public:
  static constexpr int64_t kNever = ArrivalScheduler::kDone;

  Worker(WorkerConfig config, HttpClient& client);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts every request due at `now`, closes intervals that ended, and
  // returns when it next has something to do (kNever: only results).
  int64_t Step(int64_t now);
  // Records a completed request.
  void OnResult(const HttpResult& result, int64_t now);

  // The agent now owns `slots` (mod the run's period): it takes over the
  // arrivals of the slots it did not own, from run time `from_ns` on (which
  // may be in the past: the lost agent's unreported arrivals are caught up,
  // late, and recorded as late), and their VUs. Any thread.
  // With `period` (> 0) different from the current one, or slots given up,
  // the schedule is re-split from `from_ns` (in the future: an agent
  // joined): what was due before it keeps the old share, from it on the
  // new one (VUs move at once).
  void Reassign(std::vector<int64_t> slots, int64_t from_ns, int64_t period = 0);
  // Fires nothing due at or after run time `at_ns` (the agent leaves); the
  // worker stops issuing once everything due before it is sent. Any thread.
  void StopAt(int64_t at_ns);

  // Stops starting requests (graceful stop); in-flight ones finish.
  void StopIssuing() { stopped_ = true; }
  // Stopped, or past the run's end with nothing in flight and no flow step
  // still due (iterations begun before the end finish).
  bool Finished(int64_t now) const;
  // Closes the current (partial) interval; call once when finished. Flow
  // iterations still waiting for a step are counted aborted.
  void CloseFinal(int64_t now);
  // Not OK when the scenario's templates, captures or checks do not compile
  // or a data source it references is missing from the config: the worker
  // then sends nothing (RunExecutor::Create checks this first).
  const absl::Status& status() const { return status_; }

  // The real loop: Step, then Poll until the next due time, until finished,
  // `stop` (graceful) or `abandon` (in-flight requests end as aborted and
  // are recorded so). `run_start_ns` is on
  // `clock`.
  void Run(Clock& clock, int64_t run_start_ns, const std::atomic<bool>& stop,
           const std::atomic<bool>& abandon);

  // --- reporter side ---
  // Waits until interval `index` (0-based) is closed or `timeout` (real
  // time) passes; true when closed.
  bool WaitClosed(int64_t index, absl::Duration timeout);
  // Adds everything published so far into `into` and clears it here.
  void TakeIntervals(IntervalStats& into);
  // Closed through this interval index (-1: none yet).
  int64_t closed_through();
  bool final_published();

  const IntervalStats& current() const { return current_; }

 private:
  struct Slot {
    int64_t intended_ns;
    int64_t sent_ns;
    uint32_t tpl;
    int32_t vu;    // -1 for open-model arrivals
    int32_t iter;  // the flow iteration (or rows of a plain request); -1 none
  };
  struct DueStep {
    int64_t due_ns;
    uint32_t iter;
  };
  static bool DueLater(const DueStep& a, const DueStep& b) { return a.due_ns > b.due_ns; }
  enum class VuState : uint8_t { kOff, kQueued, kBusy };
  struct VuEntry {
    int64_t ready_ns;
    uint32_t vu;
  };
  // Min-heap order on ready time.
  static bool ReadyLater(const VuEntry& a, const VuEntry& b) {
    return a.ready_ns > b.ready_ns;
  }

  // Picks an item and starts it (a request, or a flow's first step); false
  // when a data source had no row (counted; nothing sent).
  bool StartItem(int64_t intended, int64_t now, int32_t vu);
  void Send(uint32_t tpl, int32_t iter, int64_t intended, int64_t now, int32_t vu);
  int64_t StepDueSteps(int64_t now);
  bool CanStart() const {
    return !free_slots_.empty() && (iterations_.empty() || !free_iterations_.empty());
  }
  int64_t Think(const CompiledStep& step);
  void ReleaseIteration(uint32_t iter);
  void NoteDataExhausted();
  // Records the result in the series and counters; returns the outcome
  // after the step's captures and checks.
  Outcome Record(const Slot& slot, const HttpResult& result, int64_t now);
  // A flow step's result moves its iteration on; true when it ended.
  bool Advance(const Slot& slot, Outcome outcome, int64_t now);
  void TakeReassignment();
  void Publish(int64_t through);
  int64_t StepOpen(int64_t now);
  int64_t StepClosed(int64_t now);
  int64_t WorkerVusAt(int64_t now) const;
  void PushVu(uint32_t vu, int64_t ready_ns);

  const WorkerConfig config_;
  HttpClient& client_;
  ArrivalScheduler scheduler_;
  // Schedulers of slots taken over from lost agents, beside scheduler_; the
  // earliest due arrival of all of them goes next.
  std::vector<ArrivalScheduler> taken_over_;
  std::vector<int64_t> owned_slots_;           // current ownership (VUs)
  int64_t period_;                             // of owned_slots_
  int64_t stop_at_ns_ = kNever;                // StopAt, once taken
  std::atomic<bool> reassign_pending_{false};
  ArrivalScheduler* Earliest();
  int64_t peak_vus_ = 0;  // the plan's
  RequestPicker picker_;  // over the program's items
  absl::Status status_;
  FlowProgram program_;
  Renderer renderer_;
  SplitMix64 think_rng_;
  std::string scratch_;  // JSON unescaping for captures and checks
  // Flow iterations (and plain requests holding data rows), preallocated;
  // those waiting for their next step are in the min-heap due_steps_.
  std::vector<FlowIteration> iterations_;
  std::vector<uint32_t> free_iterations_;
  std::vector<DueStep> due_steps_;
  bool data_stopped_ = false;  // every item needs an exhausted source

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<int64_t> stage_end_ns_;
  std::vector<int64_t> think_ns_;     // per stage
  std::vector<bool> vu_ramp_;          // per stage
  int64_t run_end_ns_;

  // Closed model: VU states and a min-heap of queued VUs by ready time.
  std::vector<VuState> vu_state_;
  std::vector<VuEntry> vu_heap_;
  int64_t vu_target_ = 0;

  IntervalStats current_;
  int64_t interval_index_ = 0;   // the interval being recorded
  bool stopped_ = false;
  bool spin_window_ = false;      // polling out the end of a long sleep
  bool schedule_closed_ = false;  // the end was reached; leftovers counted
  uint64_t reported_connections_ = 0;  // client's cumulative count published
  uint64_t reported_h2_retries_ = 0;   // likewise

  absl::Mutex mu_;
  std::vector<int64_t> pending_slots_ ABSL_GUARDED_BY(mu_);
  int64_t pending_from_ns_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t pending_period_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t pending_stop_ns_ ABSL_GUARDED_BY(mu_) = kNever;
  IntervalStats published_ ABSL_GUARDED_BY(mu_);
  int64_t closed_through_ ABSL_GUARDED_BY(mu_) = -1;
  bool final_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_WORKER_H_
