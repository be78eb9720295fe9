// Copyright 2026 The Barrage Authors.
//
// RunMerger: merges one run's StatsReports from every agent, exactly.
//
// Reports are deltas keyed by (agent, seq). Merging is integer addition of
// histogram buckets and counters, so it is order-independent; a repeated
// (agent, seq) is ignored and counted, so it is idempotent. A report is
// validated as a whole before anything is added: a malformed one (unknown
// request, bad histogram, inconsistent le counts, wrong run) is rejected and
// counted, never partially merged.
//
// Views: the whole run per (request, outcome) series and per agent; and
// per-interval views for live progress and windowed thresholds. Interval k
// (reports whose interval starts at k * length) stays open until every agent
// of the run has reported it or a grace period past its end has gone by;
// then it is closed and kept (sparse) for the last 10 minutes. A report for
// an interval already closed is late: it still counts in the whole run, and
// it is counted as late. Percentiles are computed from merged buckets only;
// never averaged.
//
// Latency views (Responses, Services, RunView, Window) hold successful
// (outcome ok) requests only, so a service that fails fast does not pass
// latency thresholds more easily; ErrorResponses holds the failed ones.
// Aborted requests (abandoned at an immediate stop) count in Requests and
// Count(kAborted) but are neither errors nor in any latency view.
//
// Errors are also counted by cause (StatsReport.errors: "connect: refused",
// "http: 503", ...), at most kMaxReasons distinct reasons per request over
// the run (later new ones are added to "other"), and responses by HTTP
// status.
//
// Flows (StatsReport.flows, one FlowDelta per flow and interval) merge the
// same way: per flow name, exactly; a report naming a flow the scenario
// does not have, or a step not of that flow, is rejected like one naming an
// unknown request. Flow steps are requests named "FLOW.STEP" (after the
// scenario's requests, in flow and step order) and merge as requests. A
// flow's latency views hold its succeeded iterations' durations (think time
// excluded); its "requests" are its ended iterations (succeeded + failed)
// and its "errors" the failed ones, so thresholds judge flows like requests
// (ThresholdRunView, ThresholdWindow).
//
// The whole run's time series (series_recorder.h) is recorded beside: every
// accepted report is added to it, late ones too, so its requests sum to
// Requests(kAllRequests) exactly, warm-up intervals apart.
//
// Warm-up (Stage::warmup): a report whose interval starts in a warm-up
// stage goes to the time series (marked warmup there), the per-interval
// counts (requests_by_interval) and its agent's totals, and nowhere else:
// not the whole-run views, reasons or statuses, nor the windows (a window
// skips warm-up intervals). So thresholds, the summary's totals and the
// result's totals describe the measured stages only.
//
// Thread safety: none; owned by the run's coordinating thread.
#ifndef BARRAGE_CONTROLLER_RUN_RUN_MERGER_H_
#define BARRAGE_CONTROLLER_RUN_RUN_MERGER_H_

#include <array>
#include <deque>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/histogram.h"
#include "common/stats/latency_buckets.h"
#include "common/stats/outcome.h"
#include "common/stats/series_stats.h"
#include "common/scenario/scenario.h"
#include "controller/run/series_recorder.h"
#include "controller/run/thresholds.h"

namespace barrage {

struct AgentTotals {
  uint64_t reports = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  uint64_t started = 0;
  uint64_t dropped = 0;
  uint64_t late = 0;
  uint64_t connections_opened = 0;
  uint64_t h2_retries = 0;  // requests retried after an HTTP/2 GOAWAY
  double cpu_seconds = 0;
  uint32_t workers = 0;
  std::string http_client;  // as the agent last named it; "" unknown
  uint64_t saturated_intervals = 0;
  // Intervals whose in-flight budget was full with work due, and those in
  // which ready VUs waited for it (stats.proto); the budget (0: unknown).
  uint64_t in_flight_capped_intervals = 0;
  uint64_t vus_capped_intervals = 0;
  uint64_t max_in_flight = 0;
  uint64_t last_seq = 0;
  bool final_seen = false;
  int64_t last_active_vus = 0;  // gauge from the latest report
  Histogram schedule_lag;
};

// One flow's iterations over the run.
struct FlowTotals {
  uint64_t started = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  uint64_t aborted = 0;
  Histogram duration;             // succeeded iterations, think time excluded (us)
  Histogram duration_with_think;  // the same iterations, think time included (us)
  std::map<std::string, uint64_t> failures;  // failed iterations by step ("FLOW.STEP")
};

class RunMerger {
 public:
  RunMerger(std::string run_id, const Scenario& scenario);

  // OK: merged. AlreadyExists: a duplicate (agent, seq), ignored.
  // InvalidArgument: malformed, rejected. Nothing is partially merged.
  absl::Status Apply(const v1::StatsReport& report);

  size_t request_count() const { return request_names_.size(); }
  const std::string& request_name(size_t i) const { return request_names_[i]; }
  // Null when the series never had a result.
  const SeriesStats* Find(size_t request, Outcome outcome) const;
  // Response (or service) times of one request's successful (ok) results,
  // or of all requests' when `request` is kAllRequests.
  Histogram Responses(size_t request) const;
  Histogram Services(size_t request) const;
  // Response times of the failed results (IsError outcomes).
  Histogram ErrorResponses(size_t request) const;
  // One connection phase (&SeriesStats::connect, ::tls, ::ttfb) over every
  // request and outcome of the run.
  Histogram Phase(Histogram SeriesStats::*phase) const;
  uint64_t Requests(size_t request) const;  // results, any outcome (aborted too)
  // Failures of one request (or kAllRequests, summed) by reason, the most
  // frequent first (ties by name).
  std::vector<std::pair<std::string, uint64_t>> ErrorReasons(size_t request) const;
  // Responses of one request (or kAllRequests) by HTTP status.
  std::map<uint32_t, uint64_t> Statuses(size_t request) const;
  static constexpr size_t kMaxReasons = 32;  // per request, over the run
  // The index of the request named `name`; kAllRequests for "" or unknown.
  size_t RequestIndex(const std::string& name) const;
  // The whole run of one request (or kAllRequests) as a threshold view
  // lasting `seconds` of run time less its warm-up (WarmupSeconds).
  MetricView RunView(size_t request, double seconds) const;
  // Seconds of warm-up stages within run time [0, through_s).
  double WarmupSeconds(double through_s) const;
  // Whether run time `at_ns` is in a warm-up stage.
  bool InWarmup(int64_t at_ns) const;
  uint64_t Errors(size_t request) const;    // results that are errors (IsError)
  uint64_t BytesReceived() const;
  uint64_t BytesSent() const;
  uint64_t Count(Outcome outcome) const;    // over all requests

  // --- flows ---
  size_t flow_count() const { return flow_names_.size(); }
  const std::string& flow_name(size_t i) const { return flow_names_[i]; }
  // The step request names of flow `i` ("FLOW.STEP"), in step order.
  const std::vector<std::string>& flow_steps(size_t i) const { return flow_steps_[i]; }
  const FlowTotals& flow(size_t i) const { return flows_[i]; }
  // The index of the flow named `name`; kNoFlow when there is none.
  size_t FlowIndex(const std::string& name) const;
  // The whole run of flow `flow` as a threshold view lasting `seconds`:
  // responses are succeeded durations, requests succeeded + failed, errors
  // failed.
  MetricView FlowRunView(size_t flow, double seconds) const;
  // The same over the last `intervals` closed intervals.
  MetricView FlowWindow(size_t flow, int64_t intervals) const;

  // --- a threshold's scope (Threshold::flow, else ::request) ---
  MetricView ThresholdRunView(const Threshold& t, double seconds) const;
  MetricView ThresholdWindow(const Threshold& t, int64_t intervals) const;
  // The scope's results over the run (a flow's ended iterations), for the
  // abort grace (Threshold::AbortGraceOver).
  uint64_t ThresholdResults(const Threshold& t) const;

  // --- intervals ---
  // Closes intervals as far as it can at `elapsed_ns` (run time): those
  // every agent in `agents` has reported, and those that ended more than
  // `grace_ns` ago. `all` closes every open interval (end of run).
  void CloseIntervals(int64_t elapsed_ns, const std::vector<std::string>& agents,
                      int64_t grace_ns, bool all = false);
  int64_t closed_through() const { return closed_through_; }
  // The highest interval `agent` has reported, or -1.
  int64_t LastInterval(const std::string& agent) const;
  // The last `intervals` closed intervals of one request (or kAllRequests),
  // merged: response times, requests, errors, and their length in seconds.
  MetricView Window(size_t request, int64_t intervals) const;
  // Results of closed interval `index` (0 if unknown).
  uint64_t IntervalRequests(int64_t index) const;
  uint64_t late_reports() const { return late_reports_; }

  const std::map<std::string, AgentTotals>& agents() const { return agents_; }
  // Results per interval index (interval_start / interval_length).
  const std::vector<uint64_t>& requests_by_interval() const {
    return by_interval_;
  }
  int64_t interval_ns() const { return interval_ns_; }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t rejected() const { return rejected_; }
  uint64_t Dropped() const;

  // The run's time series so far (its closed intervals); the coordinator
  // describes each closed interval through the mutable one.
  const SeriesRecorder& series() const { return series_recorder_; }
  SeriesRecorder& series() { return series_recorder_; }

 private:
  absl::Status Validate(const v1::StatsReport& report,
                        std::vector<std::pair<size_t, Outcome>>& keys) const;
  // The flows of a report (part of Validate).
  absl::Status ValidateFlows(const v1::StatsReport& report) const;
  // Adds the validated flows of a report for interval `k`; `flows` holds
  // each FlowDelta's flow index.
  // Flows of an accepted report for interval k; a warm-up interval's go to
  // the series only.
  void ApplyFlows(const v1::StatsReport& report, const std::vector<size_t>& flows, int64_t k,
                  bool warmup);
  // `which` histogram of request `request`'s series (kAllRequests: all) of
  // outcomes `errors` (IsError) or else ok, merged.
  Histogram MergedSeries(size_t request, Histogram SeriesStats::*which,
                         bool errors) const;

  const std::string run_id_;
  std::vector<std::string> request_names_;
  std::vector<std::string> flow_names_;
  std::vector<std::vector<std::string>> flow_steps_;  // per flow
  std::vector<FlowTotals> flows_;                     // per flow
  std::vector<std::pair<int64_t, int64_t>> warmup_ns_;  // [from, to) run times
  std::vector<std::unique_ptr<SeriesStats>> series_;  // request x outcome
  std::vector<std::map<std::string, uint64_t>> reasons_;  // per request
  std::vector<std::map<uint32_t, uint64_t>> statuses_;    // per request
  std::map<std::string, AgentTotals> agents_;
  std::set<std::pair<std::string, uint64_t>> seen_;
  std::vector<uint64_t> by_interval_;
  int64_t interval_ns_ = 1'000'000'000;

  struct OpenInterval {
    std::vector<std::unique_ptr<Histogram>> responses;  // per request
    std::vector<uint64_t> requests;
    std::vector<uint64_t> errors;
    // Per flow: succeeded durations, ended (succeeded + failed), failed.
    std::vector<std::unique_ptr<Histogram>> flow_durations;
    std::vector<uint64_t> flow_ended;
    std::vector<uint64_t> flow_failed;
  };
  struct ClosedInterval {
    int64_t index = 0;
    bool warmup = false;  // windows skip it
    std::vector<v1::HistogramSnapshot> responses;  // per request, sparse
    std::vector<uint64_t> requests;
    std::vector<uint64_t> errors;
    std::vector<v1::HistogramSnapshot> flow_durations;  // per flow, sparse
    std::vector<uint64_t> flow_ended;
    std::vector<uint64_t> flow_failed;
  };
  static constexpr size_t kKeptIntervals = 600;
  static constexpr size_t kMaxOpenIntervals = 120;
  std::map<int64_t, OpenInterval> open_;
  std::deque<ClosedInterval> closed_;
  int64_t closed_through_ = -1;
  std::map<std::string, int64_t> agent_interval_;  // highest interval reported
  uint64_t late_reports_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t rejected_ = 0;
  SeriesRecorder series_recorder_;
};

constexpr size_t kAllRequests = static_cast<size_t>(-1);
constexpr size_t kNoFlow = static_cast<size_t>(-1);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_RUN_MERGER_H_
