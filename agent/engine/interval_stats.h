// Copyright 2026 The Barrage Authors.
//
// What a worker measures in one reporting interval, and its wire form.
//
// Series are (request template x outcome), each a SeriesStats
// (common/stats/series_stats.h). A series is allocated the
// first time it is used and kept (Reset() keeps allocations), so steady
// recording allocates nothing. Beside them, counters allocated at
// construction: failures per (template, reason), responses per
// (template, HTTP status 100..599), flow steps' capture and check failures
// per (template, capture/check index), and per flow its iterations
// (started, succeeded, failed, aborted; durations) as named by a
// StatsLayout (flow_program.h makes it).
//
// Thread safety: none; a worker owns its IntervalStats and hands intervals
// over under its own lock (see Worker).
#ifndef BARRAGE_AGENT_ENGINE_INTERVAL_STATS_H_
#define BARRAGE_AGENT_ENGINE_INTERVAL_STATS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/http/http_client.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/error_reason.h"
#include "common/stats/histogram.h"
#include "common/stats/latency_buckets.h"
#include "common/stats/series_stats.h"

namespace barrage {

// What a run's flow counters are called: fixed per run, shared by every
// IntervalStats of the run.
struct StatsLayout {
  size_t templates = 0;  // requests, then every flow's steps
  // Per template: its capture and check failure reasons in index order
  // ("capture VAR", then "check NAME"); empty for plain requests.
  std::vector<std::vector<std::string>> reasons;
  std::vector<std::string> flows;                 // names
  std::vector<std::vector<uint32_t>> flow_steps;  // per flow: its steps' templates
};

// One flow's iterations in an interval (StatsReport.FlowDelta).
struct FlowStats {
  uint64_t started = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;   // ended at a failed step
  uint64_t aborted = 0;  // cut by the run's end or a stop
  // Succeeded iterations, us, from the first step's intended send to the
  // last response: think time excluded, and included.
  Histogram duration;
  Histogram duration_with_think;
};

class IntervalStats {
 public:
  // `layout` (may be null: no flows, no checks) sizes the flow and check
  // counters; templates are at least layout->templates.
  explicit IntervalStats(size_t templates = 0,
                         std::shared_ptr<const StatsLayout> layout = nullptr);

  IntervalStats(const IntervalStats&) = delete;
  IntervalStats& operator=(const IntervalStats&) = delete;
  IntervalStats(IntervalStats&&) = default;
  IntervalStats& operator=(IntervalStats&&) = default;

  // The series of (template, outcome), allocated on first use.
  SeriesStats& Series(size_t tpl, Outcome outcome) {
    std::unique_ptr<SeriesStats>& slot =
        series_[tpl * kOutcomeCount + static_cast<size_t>(outcome)];
    if (!slot) slot = std::make_unique<SeriesStats>();
    return *slot;
  }
  // Null when never used.
  const SeriesStats* Find(size_t tpl, Outcome outcome) const {
    return series_[tpl * kOutcomeCount + static_cast<size_t>(outcome)].get();
  }
  size_t templates() const { return series_.size() / kOutcomeCount; }

  // A response with `status` (outcome ok or http_error); statuses outside
  // 100..599 are not counted. Allocates nothing.
  void RecordStatus(size_t tpl, int status) {
    if (status < kFirstStatus || status >= kFirstStatus + static_cast<int>(kStatusSlots)) return;
    ++counts_[tpl * kSlots + kErrorReasonCount + static_cast<size_t>(status - kFirstStatus)];
  }
  // A failure other than an HTTP error (timeout, connect, other), by
  // cause; kNone counts as kOther. Allocates nothing.
  void RecordError(size_t tpl, ErrorReason reason) {
    if (reason == ErrorReason::kNone) reason = ErrorReason::kOther;
    ++counts_[tpl * kSlots + static_cast<size_t>(reason)];
  }
  uint64_t StatusCount(size_t tpl, int status) const;
  uint64_t ErrorCount(size_t tpl, ErrorReason reason) const;

  // A flow step's capture or check `index` (captures first, then checks,
  // as in StatsLayout::reasons) failed. Allocates nothing.
  void RecordCheckFailure(size_t tpl, size_t index) { ++checks_[check_offsets_[tpl] + index]; }
  uint64_t CheckFailures(size_t tpl, size_t index) const;
  // Flow `flow`'s counters; a flow's failed iterations by step (template).
  FlowStats& Flow(size_t flow) { return flows_[flow]; }
  const FlowStats& Flow(size_t flow) const { return flows_[flow]; }
  size_t flows() const { return flows_.size(); }
  void RecordStepFailure(size_t tpl) { ++step_failures_[tpl]; }
  uint64_t StepFailures(size_t tpl) const { return step_failures_[tpl]; }

  Histogram schedule_lag;       // us: actual send - intended send
  uint64_t started = 0;         // requests sent
  uint64_t completed = 0;       // results recorded
  uint64_t dropped = 0;         // later than max lag: never sent
  uint64_t late = 0;            // sent later than the late threshold
  uint64_t connections_opened = 0;
  uint64_t h2_retries = 0;      // requests retried after an HTTP/2 GOAWAY
  // Iterations (or requests) not started: a data source had no row.
  uint64_t data_exhausted = 0;
  int64_t in_flight = 0;        // gauge at interval end
  int64_t active_vus = 0;       // gauge at interval end
  // The in-flight cap was full while work was due (stats.proto); ready VUs
  // waited for it (closed model: fewer connections than VUs).
  bool in_flight_capped = false;
  bool vus_capped = false;

  // Adds counts and histograms; gauges take `other`'s values added (the sum
  // over workers).
  void Merge(const IntervalStats& other);
  // Clears counts, keeps series allocations.
  void Reset();
  uint64_t Requests() const;  // results over all series
  uint64_t Errors() const;    // results that are errors (IsError)

  // At most this many ErrorCount entries per request in a report; the
  // smallest of the rest are summed into reason "other".
  static constexpr size_t kMaxReasonsPerRequest = 16;

  // The report's series, counters, errors by reason (timeouts, connect
  // failures, ..., HTTP errors as "http: <status>" by the template's
  // expect, flow steps' "capture VAR" and "check NAME"), statuses and flows
  // (not its identity fields).
  void ToReport(const std::vector<HttpRequestTemplate>& templates,
                v1::StatsReport* report) const;

 private:
  static constexpr int kFirstStatus = 100;
  static constexpr size_t kStatusSlots = 500;  // 100..599
  static constexpr size_t kSlots = kErrorReasonCount + kStatusSlots;

  std::vector<std::unique_ptr<SeriesStats>> series_;
  // Per template: kErrorReasonCount failure counts, then kStatusSlots
  // response counts.
  std::vector<uint64_t> counts_;
  std::shared_ptr<const StatsLayout> layout_;
  std::vector<size_t> check_offsets_;  // per template, into checks_
  std::vector<uint64_t> checks_;
  std::vector<uint64_t> step_failures_;  // per template
  std::vector<FlowStats> flows_;

  void Adopt(const std::shared_ptr<const StatsLayout>& layout);
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_INTERVAL_STATS_H_
