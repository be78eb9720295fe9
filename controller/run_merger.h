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
// Views: the whole run per (request, outcome) series and per agent.
// Percentiles are computed from merged buckets only; never averaged.
//
// Thread safety: none; owned by the run's coordinating thread.
#ifndef BARRAGE_CONTROLLER_RUN_MERGER_H_
#define BARRAGE_CONTROLLER_RUN_MERGER_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "barrage/v1/stats.pb.h"
#include "common/histogram.h"
#include "common/latency_buckets.h"
#include "common/outcome.h"
#include "common/scenario.h"

namespace barrage {

struct SeriesTotals {
  Histogram response;  // us, from the intended send time
  Histogram service;   // us, from the actual send time
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  std::array<uint64_t, kLeBoundCount> le_cumulative{};  // responses <= bound
};

struct AgentTotals {
  uint64_t reports = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  uint64_t started = 0;
  uint64_t dropped = 0;
  uint64_t late = 0;
  uint64_t connections_opened = 0;
  double cpu_seconds = 0;
  uint32_t workers = 0;
  uint64_t saturated_intervals = 0;
  uint64_t last_seq = 0;
  bool final_seen = false;
  Histogram schedule_lag;
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
  const SeriesTotals* Find(size_t request, Outcome outcome) const;
  // Response (or service) times of one request over all outcomes, or of all
  // requests when `request` is npos.
  Histogram Responses(size_t request) const;
  Histogram Services(size_t request) const;
  uint64_t Requests(size_t request) const;  // results, any outcome
  uint64_t Errors(size_t request) const;    // results not ok
  uint64_t BytesReceived() const;
  uint64_t BytesSent() const;
  uint64_t Count(Outcome outcome) const;    // over all requests

  const std::map<std::string, AgentTotals>& agents() const { return agents_; }
  // Results per interval index (interval_start / interval_length).
  const std::vector<uint64_t>& requests_by_interval() const {
    return by_interval_;
  }
  int64_t interval_ns() const { return interval_ns_; }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t rejected() const { return rejected_; }
  uint64_t Dropped() const;

 private:
  absl::Status Validate(const v1::StatsReport& report,
                        std::vector<std::pair<size_t, Outcome>>& keys) const;

  const std::string run_id_;
  std::vector<std::string> request_names_;
  std::vector<std::unique_ptr<SeriesTotals>> series_;  // request x outcome
  std::map<std::string, AgentTotals> agents_;
  std::set<std::pair<std::string, uint64_t>> seen_;
  std::vector<uint64_t> by_interval_;
  int64_t interval_ns_ = 1'000'000'000;
  uint64_t duplicates_ = 0;
  uint64_t rejected_ = 0;
};

constexpr size_t kAllRequests = static_cast<size_t>(-1);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_MERGER_H_
