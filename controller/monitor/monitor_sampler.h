// Copyright 2026 The Barrage Authors.
//
// MonitorSampler: samples a run's monitor queries (README "Monitor") from a
// MonitorSource every interval, on its own thread, so a slow or dead
// Prometheus never stalls the run: each query is bounded by the source's
// timeout (2 s for PrometheusClient), and the coordinator only collects
// what was sampled (Take) under its lock.
//
// Rounds are at run times 0, interval, 2 x interval, ... (run time 0 is
// `zero_ns` on the clock); a round late by more than an interval skips to
// the next one due. In each round every query is asked once, as an instant
// query at the clock's wall time. A query without a value is a gap; its
// error is an event, "monitor cpu: connection refused or unreachable",
// once per query and kind of error (the message), not per round.
//
// Ownership: owns the source and the thread; the clock is borrowed and
// outlives the sampler. Threads: Start, Stop and the destructor from the
// owner; Take from any thread; SampleRound is the thread's loop body
// (tests call it with a fake clock instead of Start).
#ifndef BARRAGE_CONTROLLER_MONITOR_MONITOR_SAMPLER_H_
#define BARRAGE_CONTROLLER_MONITOR_MONITOR_SAMPLER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/scenario/scenario.h"
#include "common/util/clock.h"
#include "controller/monitor/prometheus_client.h"

namespace barrage {

struct MonitorSample {
  size_t query = 0;  // index into the spec's queries
  double run_s = 0;  // run time it was taken at, seconds
  double value = 0;
};

// What happened since the last Take.
struct MonitorTaken {
  std::vector<MonitorSample> samples;
  std::vector<size_t> gaps;          // one query index per gap
  std::vector<std::string> events;   // "monitor cpu: ..." (first of a kind)
};

class MonitorSampler {
 public:
  MonitorSampler(MonitorSpec spec, std::unique_ptr<MonitorSource> source,
                 Clock& clock, int64_t zero_ns);
  ~MonitorSampler();  // Stop, then joins the thread
  MonitorSampler(const MonitorSampler&) = delete;
  MonitorSampler& operator=(const MonitorSampler&) = delete;

  // Starts the thread (once).
  void Start();
  // Asks the thread to stop after the query in progress; does not wait.
  void Stop();

  // One round: every query once, at the clock's current time.
  void SampleRound();

  MonitorTaken Take();

 private:
  void Loop();

  const MonitorSpec spec_;
  const std::unique_ptr<MonitorSource> source_;  // used by one thread at a time
  Clock& clock_;
  const int64_t zero_ns_;
  std::thread thread_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  MonitorTaken taken_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> seen_events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_MONITOR_MONITOR_SAMPLER_H_
