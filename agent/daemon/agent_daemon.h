// Copyright 2026 The Barrage Authors.
//
// AgentDaemon: barrage-agent's life. It dials the controller (one bidi
// stream, see proto/barrage/v1/agent.proto), says Hello, heartbeats, runs
// each StartRun with a RunExecutor and streams its reports. It refuses a
// second concurrent run and any assignment that breaks its --allow-target
// or --max-rate limits.
//
// Dead-man switch: when the stream breaks, or nothing is heard from the
// controller for the lease, the agent stops its run at once (abandoning
// in-flight requests) and never resumes it on its own. It reconnects with
// jittered exponential backoff.
//
// Thread safety: Run() on one thread; Shutdown() and accessors from any.
#ifndef BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_
#define BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/engine/run_executor.h"
#include "common/metrics/registry.h"
#include "barrage/v1/agent.grpc.pb.h"
#include "common/util/clock.h"

namespace barrage {

struct AgentDaemonOptions {
  std::string controller = "127.0.0.1:7400";
  std::string id;                        // required
  int workers = 0;                       // 0: number of cores
  int capacity = 0;                      // 0: workers
  size_t max_in_flight = 1000;
  double max_rate_per_s = 0;             // 0: no cap
  std::vector<std::string> allow_targets;  // globs or CIDRs; empty: any
  bool insecure_targets = false;         // https targets without verification
  HttpEngine http_engine = HttpEngine::kAuto;
  // TLS to the controller (PEM contents): the CA that signed the
  // controller's certificate, and this agent's certificate (CN = id) and key.
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  int64_t backoff_initial_ms = 100;
  int64_t backoff_max_ms = 5000;
  // Where the daemon says what happens to its link (main: stderr).
  std::function<void(const std::string&)> log;
  // Test seam: sees every report as it is sent.
  std::function<void(const v1::StatsReport&)> report_tap;
};

class AgentDaemon {
 public:
  AgentDaemon(AgentDaemonOptions options, Clock& clock);
  ~AgentDaemon();
  AgentDaemon(const AgentDaemon&) = delete;
  AgentDaemon& operator=(const AgentDaemon&) = delete;

  // Connects and serves until Shutdown().
  void Run();
  void Shutdown();

  bool connected() const { return connected_.load(); }
  // The agent's own series (requests by outcome, dropped, in flight,
  // schedule lag, connection state); process CPU and RSS are added by
  // RenderAgentMetrics().
  MetricsRegistry& metrics() { return metrics_; }
  bool running() const;

  // Why an assignment is refused, or "" when it may run. Pure policy.
  std::string CheckAssignment(const Scenario& scenario, double share) const;

 private:
  void Session();
  void Handle(const v1::ControllerMessage& message);
  void StartAssigned(const v1::StartRun& start);
  bool Write(const v1::AgentMessage& message);
  void Reap(bool force_stop);

  const AgentDaemonOptions options_;
  Clock& clock_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> last_heard_ns_{0};
  int64_t lease_ns_ = 5'000'000'000;
  int64_t heartbeat_ns_ = 1'000'000'000;

  std::mutex write_mu_;  // one writer at a time on the stream
  grpc::ClientReaderWriter<v1::AgentMessage, v1::ControllerMessage>* stream_ = nullptr;
  std::mutex ctx_mu_;
  grpc::ClientContext* context_ = nullptr;

  void Account(const v1::StatsReport& report);

  MetricsRegistry metrics_;
  std::mutex totals_mu_;
  std::array<uint64_t, 5> outcome_totals_{};
  uint64_t dropped_total_ = 0;

  mutable std::mutex run_mu_;
  std::unique_ptr<RunExecutor> executor_;
  std::string run_id_;
  std::atomic<bool> run_done_{false};
};

// The agent's /metrics page: its registry plus process CPU and RSS.
std::string RenderAgentMetrics(MetricsRegistry& metrics);

// Whether `host` (a name or an address literal) matches an --allow-target
// pattern: a case-insensitive glob ("*.staging.example.com", "127.0.0.1")
// or a CIDR ("10.0.0.0/8", "::1/128").
bool TargetAllowed(const std::string& pattern, const std::string& host);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_
