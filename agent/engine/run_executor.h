// Copyright 2026 The Barrage Authors.
//
// RunExecutor: one agent's part of one run. It starts W Worker threads at a
// common start time, and a reporter thread that, once per interval, collects
// every worker's closed interval, merges them (integer addition) and hands
// one StatsReport of deltas to the sink. At the end, or on Stop(), workers
// drain (graceful) or abandon (immediate) in-flight requests and a last
// report with final=true follows.
//
// Thread safety: Start/Wait from the owner; Stop from any thread. The sink
// is called on the reporter thread, in seq order, never concurrently.
#ifndef BARRAGE_AGENT_ENGINE_RUN_EXECUTOR_H_
#define BARRAGE_AGENT_ENGINE_RUN_EXECUTOR_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/http/http_client.h"
#include "agent/engine/data_feed.h"
#include "agent/engine/worker.h"
#include "barrage/v1/stats.pb.h"
#include "common/util/clock.h"

namespace barrage {

struct AgentRunConfig {
  std::string run_id;
  std::string agent_id;
  Scenario scenario;
  int64_t period = 1;                // this agent's share (schedule.h)
  std::vector<int64_t> slots = {0};
  uint64_t seed = 1;
  int workers = 1;
  size_t max_in_flight = 1000;       // per agent, split across workers
  ArrivalMode arrivals = ArrivalMode::kUniform;
  int64_t max_lag_ns = 5'000'000'000;
  int64_t late_ns = 10'000'000;
  int64_t interval_ns = 1'000'000'000;
  HttpClientOptions http;
  // Joined mid-run: this agent's share begins at this run time (its first
  // report is for the interval holding it).
  int64_t from_ns = 0;
  // One per scenario.data source, in order (data_feed.h); each worker
  // reads source(worker) of each. Shared with the agent daemon, which
  // feeds unique leases and collects rows used; they outlive the workers.
  std::vector<std::shared_ptr<DataFeed>> data;
};

// Makes worker `worker`'s client; `clock` is the executor's (borrowed, it
// outlives the client).
using ClientFactory =
    std::function<absl::StatusOr<std::unique_ptr<HttpClient>>(int worker, Clock& clock)>;
using ReportSink = std::function<void(const v1::StatsReport&)>;

// The client for `templates`: where `options.engine` allows, Http1Driver
// (HTTP/1.1) or Http2Driver (HTTP/2, h2c or over TLS) when it can serve them
// all; CurlMultiDriver otherwise (several origins over HTTP/2, or
// --http-engine curl). Wrapped in ShapedHttpClient (network_shaper.h) when
// some template's network profile is enabled. `clock` is borrowed and
// outlives the client.
absl::StatusOr<std::unique_ptr<HttpClient>> MakeHttpClient(
    std::vector<HttpRequestTemplate> templates, const HttpClientOptions& options,
    Clock& clock);

// "auto" or "curl" (a flag's value) as an HttpEngine; InvalidArgument
// "'x' is not auto or curl" otherwise.
absl::StatusOr<HttpEngine> ParseHttpEngine(absl::string_view text);

// Real HTTP clients (MakeHttpClient) for `config`'s scenario, on the clock
// the executor passes them.
ClientFactory HttpClients(const AgentRunConfig& config);

class RunExecutor {
 public:
  // Builds the workers and their clients; nothing runs yet.
  static absl::StatusOr<std::unique_ptr<RunExecutor>> Create(
      AgentRunConfig config, Clock& clock, ClientFactory clients);
  ~RunExecutor();

  RunExecutor(const RunExecutor&) = delete;
  RunExecutor& operator=(const RunExecutor&) = delete;

  // Starts the threads; load begins at `run_start_ns` on the clock.
  void Start(int64_t run_start_ns, ReportSink sink);
  // Graceful: stop starting requests, let in-flight ones finish. Immediate:
  // abandon them too. Idempotent; any thread.
  void Stop(bool immediate);
  // From run time `from_ns` on, this agent owns `slots` (an agent was lost
  // and its share redistributed). Any thread.
  // With `period` > 0: the run was re-split (an agent joined), see
  // Worker::Reassign.
  void Reassign(const std::vector<int64_t>& slots, int64_t from_ns, int64_t period = 0);
  // Leaving: fires nothing due at or after run time `at_ns`; once the rest
  // is sent and in-flight requests end, the final report follows. Any thread.
  void StopAt(int64_t at_ns);
  // Run time now (ns since the run's start on the clock; < 0 before it).
  int64_t RunTimeNs() const { return clock_.NowNs() - run_start_ns_; }
  // Blocks until the final report has been delivered.
  void Wait();

  const AgentRunConfig& config() const { return config_; }

 private:
  RunExecutor(AgentRunConfig config, Clock& clock);
  void ReportLoop(ReportSink sink);
  // Waits until the clock reaches `run_start_ns_` or Stop() is called.
  void AwaitStart();
  v1::StatsReport BuildReport(const IntervalStats& stats, int64_t interval,
                              bool final);

  const AgentRunConfig config_;
  Clock& clock_;
  const std::vector<HttpRequestTemplate> templates_;
  std::vector<std::unique_ptr<HttpClient>> clients_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::thread reporter_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> abandon_{false};
  // Wakes workers waiting for the common start when Stop() is called.
  absl::Mutex stop_mu_;
  bool stop_requested_ ABSL_GUARDED_BY(stop_mu_) = false;
  int64_t run_start_ns_ = 0;
  std::atomic<int64_t> first_start_ns_{0};  // when the first worker began
  uint64_t seq_ = 0;
  double last_cpu_s_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_RUN_EXECUTOR_H_
