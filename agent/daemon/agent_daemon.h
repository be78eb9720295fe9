// Copyright 2026 The Barrage Authors.
//
// AgentDaemon: barrage-agent's life. It dials the controller (one bidi
// ControlStream per session, see proto/barrage/v1/agent.proto), says Hello,
// waits for Welcome, heartbeats, and runs each StartRun the
// AssignmentPolicy accepts with a RunExecutor, streaming its reports. One
// run at a time: a second concurrent StartRun is refused ("already
// running"). StopRun and UpdateShare apply to the current run only.
//
// Dead-man switch: when the stream breaks, or nothing is heard from the
// controller for the lease (Welcome.lease_ms, on the Clock), the agent stops
// its run at once (abandoning in-flight requests) and never resumes it on
// its own. (A refused handshake: see Run().) It reconnects with jittered
// exponential backoff: the n-th quick
// failure waits a uniform time in [b/2, b], b = min(initial * 2^n, max); a
// session that lasted over 10 s resets b to the initial value.
//
// Threads. Run() is the session thread: it dials, handshakes and reads the
// controller's messages, handling each in turn. Per session, a writer
// thread is the stream's only writer after the Hello: every outgoing
// message (replies, heartbeats, reports) is queued and it drains the queue,
// so no lock is ever held across a blocking Write. A heartbeat thread sends
// the beats and watches the lease; it does no I/O itself. While a run with
// unique data sources is on, a data-use thread queues the rows taken every
// 100 ms (DataUsed, agent.proto), under mu_ as the report sink queues
// reports, so none follows the run's final report. Decisions
// (already running? which run?) are taken under mu_; name resolution,
// executor creation and writes happen outside it. Waits (next beat, lease
// end, backoff) go through the Waiter on the Clock and end at once on
// Shutdown() or the session's end; nothing sleep-polls.
//
// Thread safety: Run() on one thread; Shutdown() and accessors from any.
// The destructor must not race Run() (join it first).
#ifndef BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_
#define BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/daemon/agent_metrics.h"
#include "agent/daemon/assignment_policy.h"
#include "agent/daemon/control_stream.h"
#include "agent/daemon/run_data.h"
#include "agent/daemon/waiter.h"
#include "agent/engine/run_executor.h"
#include "barrage/v1/agent.pb.h"
#include "common/metrics/process_stats.h"
#include "common/util/clock.h"

namespace barrage {

struct AgentDaemonOptions {
  // The link to the controller, for the gRPC dialer (GrpcDialerFor()).
  std::string controller = "127.0.0.1:7400";
  std::string id;                        // required
  int workers = 0;                       // 0: number of cores
  int capacity = 0;                      // 0: workers
  size_t max_in_flight = 1000;
  double max_rate_per_s = 0;             // 0: no cap
  std::vector<std::string> allow_targets;  // globs or CIDRs; empty: any
  // Deprecated --insecure-targets: the scenario's defaults.tls decides;
  // this only refuses a scenario that verifies (AssignmentPolicy).
  bool insecure_targets = false;
  bool require_tls_verify = false;       // refuse defaults.tls.verify: false
  std::map<std::string, std::string> labels;  // --label k=v, sent in Hello
  HttpEngine http_engine = HttpEngine::kAuto;
  // TLS to the controller (PEM contents), for the gRPC dialer: the CA that
  // signed the controller's certificate, and this agent's certificate
  // (CN = id) and key.
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  int64_t backoff_initial_ms = 100;
  int64_t backoff_max_ms = 5000;
  // Where the daemon says what happens to its link (main: stderr). Called
  // with no lock held.
  std::function<void(const std::string&)> log;
  // Test seam: sees every report as it is sent.
  std::function<void(const v1::StatsReport&)> report_tap;
  // Test seam: the feeds of each run it accepts (one per scenario.data
  // source), before its workers start; called on the session thread.
  std::function<void(const std::vector<std::shared_ptr<DataFeed>>&)> data_tap;
  // Test seam: sees every DataRequest as it is queued (its `used` rows are
  // reported there, not in a report).
  std::function<void(const v1::DataRequest&)> request_tap;
  // Test seam: sees every DataUsed as it is queued.
  std::function<void(const v1::DataUsed&)> data_used_tap;
};

class AgentDaemon {
 public:
  // Opens sessions with `dialer`; times, paces and waits on `clock`, which
  // must pass by itself (a RealClock).
  AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
              Clock& clock);
  // Waits through `waiter` instead: for a fake clock in tests. `clock` and
  // `waiter` must outlive the daemon.
  AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
              Clock& clock, Waiter& waiter);
  ~AgentDaemon();
  AgentDaemon(const AgentDaemon&) = delete;
  AgentDaemon& operator=(const AgentDaemon&) = delete;

  // Connects and serves, session after session, until Shutdown() (OK) or
  // a permanent refusal of the handshake (the error, naming the reason: a
  // malformed id, a certificate that does not match it, a layout the
  // controller cannot merge). A duplicate id (AlreadyExists: another agent
  // with this id is connected) is not permanent, as that agent may go: it
  // is logged with its hint each time and retried after the longest
  // backoff.
  absl::Status Serve();
  // Serve(), for embedders that need no reason (run --local).
  void Run() { Serve().IgnoreError(); }
  // Ends Run() promptly: cancels the stream, stops any run, cuts the
  // backoff short. Idempotent; any thread.
  void Shutdown();
  // A graceful leave (SIGTERM): with a run on, tells the controller
  // (Leaving), fires nothing due after ~200 ms from now, lets in-flight
  // requests finish (abandoned past half of `grace`), sends the final
  // report and waits (up to `grace`) for the controller to close the
  // stream; then Shutdown(). Without a run, Shutdown() at once. Serve()
  // returns afterwards and does not reconnect. Call from one thread.
  void Leave(absl::Duration grace);

  // Whether a session has passed its handshake and not ended.
  bool connected() const { return connected_.load(); }
  // The agent's own series (agent_metrics.h); RenderAgentMetrics() adds
  // process CPU and RSS.
  MetricsRegistry& metrics() { return metrics_.registry(); }
  bool running() const;

 private:
  AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
              Clock& clock, std::unique_ptr<Waiter> own_waiter, Waiter* waiter);

  // One session; the controller's refusal of its handshake, else OK.
  absl::Status Session();
  v1::AgentMessage Hello() const;
  // --workers, or the machine's cores.
  int Workers() const { return options_.workers > 0 ? options_.workers : CpuCores(); }
  void WriteLoop(ControlStream& stream);
  void HeartbeatLoop(ControlStream& stream, int64_t lease_ns, int64_t heartbeat_ns);
  // The data-use thread of a run with unique sources, until Reap.
  void DataUseLoop();
  void Handle(const v1::ControllerMessage& message);
  void StartAssigned(const v1::StartRun& start);
  // Queues `message` for the writer; dropped when no session is open.
  void Send(v1::AgentMessage message);
  void Refuse(const std::string& run_id, const absl::Status& why);
  // Takes the current run and waits for its threads: always when
  // `force_stop` (stopping it first, abandoning in-flight requests), else
  // only once its final report is out.
  void Reap(bool force_stop);

  const AgentDaemonOptions options_;
  const AssignmentPolicy policy_;
  const std::unique_ptr<ControlStreamDialer> dialer_;
  Clock& clock_;
  const std::unique_ptr<Waiter> own_waiter_;  // null when one was given
  Waiter& waiter_;
  AgentMetrics metrics_;
  RunData data_;  // data files and the current run's feeds (run_data.h)
  std::atomic<bool> connected_{false};

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The current session's stream, so Shutdown() can cancel it; owned by
  // Session(), which clears this before destroying it.
  ControlStream* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  // True outside a session's handshake-to-end span, and once the lease has
  // expired: nothing more is sent and no run may start.
  bool session_over_ ABSL_GUARDED_BY(mu_) = true;
  std::deque<v1::AgentMessage> outbox_ ABSL_GUARDED_BY(mu_);  // for WriteLoop
  int64_t last_heard_ns_ ABSL_GUARDED_BY(mu_) = 0;           // Clock::NowNs()
  // The current run. Shared so Stop/Reassign are called outside mu_.
  std::shared_ptr<RunExecutor> executor_ ABSL_GUARDED_BY(mu_);
  std::string run_id_ ABSL_GUARDED_BY(mu_);
  bool run_done_ ABSL_GUARDED_BY(mu_) = false;  // its final report is out
  int64_t period_ ABSL_GUARDED_BY(mu_) = 1;     // the current run's, as updated
  bool leaving_ ABSL_GUARDED_BY(mu_) = false;    // Leave(): no reconnecting
  // The current run's data-use thread (DataUseLoop), joined by Reap.
  std::thread data_use_ ABSL_GUARDED_BY(mu_);
  bool data_use_stop_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_AGENT_DAEMON_H_
