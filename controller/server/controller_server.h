// Copyright 2026 The Barrage Authors.
//
// ControllerServer: a whole controller in one object: the agent registry,
// the run coordinator, the gRPC server (AgentControl for agents, RunControl
// for the CLI, and grpc.health.v1.Health), the HTTP endpoint (/healthz,
// /readyz) and the ticker thread that drives timers and keeps agents'
// leases alive. barrage-controller's main() and `barrage run --local` both
// use it. It owns the RealClock that its registry, coordinator and ticker
// read.
//
// Thread safety: Start/Shutdown from the owner; the rest is internally
// synchronized. Threads: gRPC's, httplib's listener, the ticker (a Tick
// every 100 ms, woken at once by Shutdown) and the coordinator's result
// writer.
#ifndef BARRAGE_CONTROLLER_SERVER_CONTROLLER_SERVER_H_
#define BARRAGE_CONTROLLER_SERVER_CONTROLLER_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "common/util/clock.h"
#include "common/metrics/registry.h"
#include "controller/run/agent_registry.h"
#include "controller/server/agent_service.h"
#include "controller/run/data_store.h"
#include "controller/run/run_coordinator.h"
#include "controller/server/run_service.h"

namespace httplib {
class Server;
}
namespace grpc {
class Server;
}

namespace barrage {

struct ControllerOptions {
  std::string grpc_address = "127.0.0.1:7400";  // port 0: pick one
  std::string http_address = "127.0.0.1:9400";  // "": no HTTP endpoint
  std::string data_dir;                         // "": results not stored
  std::string token;                            // "": no CLI token
  bool insecure = false;  // allow plaintext on a non-loopback address
  // TLS (PEM file contents). With all three set, gRPC speaks TLS; agents
  // must present a certificate signed by `tls_ca_pem` that names their
  // agent id (CertificateAllows: the same name, or a fleet "PREFIX*"; mutual
  // TLS); CLI clients verify the server and send
  // the bearer token.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string tls_ca_pem;
  int64_t metrics_grace_ns = 60'000'000'000;  // finished runs' series stay
  // The largest data file (scenario `data:`) a run may upload.
  int64_t max_data_bytes = kDefaultMaxDataBytes;
  AgentServiceOptions agents;
  CoordinatorOptions coordinator;
};

class ControllerServer {
 public:
  explicit ControllerServer(ControllerOptions options);
  ~ControllerServer();
  ControllerServer(const ControllerServer&) = delete;
  ControllerServer& operator=(const ControllerServer&) = delete;

  // Listens and starts serving. A listen address another process holds is
  // refused (never shared): FailedPrecondition "--grpc: cannot listen on
  // HOST:PORT: address already in use" (or --http). The gRPC health
  // service (every service name, and "") answers SERVING from the moment
  // Start returns OK, as /readyz answers 200; NOT_SERVING before.
  absl::Status Start();
  // Turns the health service to NOT_SERVING and /readyz to 503, stops the
  // ticker, gRPC (within 500 ms) and HTTP, then waits for the coordinator's
  // queued result writes. Idempotent.
  void Shutdown();

  int grpc_port() const { return grpc_port_; }
  int http_port() const { return http_port_; }
  std::string grpc_target() const;  // "127.0.0.1:PORT"
  // Where it listens, after Start(): the host as given (IPv6 bracketed) and
  // the bound port, e.g. "[::1]:7400"; http_address() is "" without HTTP.
  const std::string& grpc_address() const { return grpc_address_; }
  const std::string& http_address() const { return http_address_; }
  AgentRegistry& registry() { return registry_; }
  MetricsRegistry& metrics() { return metrics_; }
  RunCoordinator& coordinator() { return coordinator_; }
  DataStore& data_store() { return data_store_; }  // uploaded data files
  Clock& clock() { return clock_; }  // the server's RealClock

 private:
  // The health service's status for every service; no-op before gRPC runs.
  void SetServing(bool serving);

  ControllerOptions options_;
  RealClock clock_;
  MetricsRegistry metrics_;
  AgentRegistry registry_;
  DataStore data_store_;  // uploaded data files, for the coordinator's runs
  RunCoordinator coordinator_;
  AgentService agent_service_;
  RunService run_service_;
  std::unique_ptr<grpc::Server> grpc_;
  std::unique_ptr<httplib::Server> http_;
  std::thread http_thread_;
  std::thread ticker_;
  absl::Notification stop_ticker_;  // notified once, by Shutdown
  std::atomic<bool> stopping_{false};
  std::atomic<bool> ready_{false};
  int grpc_port_ = 0;
  int http_port_ = 0;
  std::string grpc_address_;
  std::string http_address_;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_SERVER_CONTROLLER_SERVER_H_
