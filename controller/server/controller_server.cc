// Copyright 2026 The Barrage Authors.

#include "controller/server/controller_server.h"

#include <httplib.h>

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "barrage/v1/agent.grpc.pb.h"
#include "barrage/v1/control.grpc.pb.h"
#include "common/metrics/prometheus_text.h"
#include "common/util/host_port.h"
#include "common/util/listen.h"
#include "controller/report/run_metrics.h"

namespace barrage {
namespace {

CoordinatorOptions WithMetrics(CoordinatorOptions o, MetricsRegistry* metrics,
                               int64_t grace_ns, DataStore* data) {
  o.metrics = metrics;
  o.data = data;
  o.metrics_grace_ns = grace_ns;
  return o;
}

}  // namespace

ControllerServer::ControllerServer(ControllerOptions options)
    : options_(std::move(options)),
      registry_(clock_, 3 * options_.agents.heartbeat_interval_ms * 1'000'000),
      data_store_(options_.max_data_bytes),
      coordinator_(registry_, clock_,
                   WithMetrics(options_.coordinator, &metrics_, options_.metrics_grace_ns,
                               &data_store_)),
      agent_service_(registry_, coordinator_,
                     [this] {
                       AgentServiceOptions a = options_.agents;
                       a.require_certificates = !options_.tls_ca_pem.empty();
                       return a;
                     }()),
      run_service_(registry_, coordinator_, options_.token, options_.coordinator.store,
                   &data_store_) {}

ControllerServer::~ControllerServer() { Shutdown(); }

std::string ControllerServer::grpc_target() const {
  return absl::StrCat("127.0.0.1:", grpc_port_);
}

absl::Status ControllerServer::Start() {
  DeclareControllerMetrics(metrics_);
  const bool tls = !options_.tls_cert_pem.empty() || !options_.tls_key_pem.empty() ||
                   !options_.tls_ca_pem.empty();
  if (tls && (options_.tls_cert_pem.empty() || options_.tls_key_pem.empty() ||
              options_.tls_ca_pem.empty())) {
    return absl::InvalidArgumentError("TLS needs all of --tls-cert, --tls-key and --tls-ca");
  }
  if (!tls && !IsLoopbackAddress(options_.grpc_address) && !options_.insecure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing plaintext gRPC on non-loopback ", options_.grpc_address,
        ": give --tls-cert/--tls-key/--tls-ca, or --insecure"));
  }
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (tls) {
    // Request and verify client certificates; agents must present one (the
    // agent service checks), the CLI authenticates with its token instead.
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = options_.tls_ca_pem;
    ssl.pem_key_cert_pairs.push_back({options_.tls_key_pem, options_.tls_cert_pem});
    credentials = grpc::SslServerCredentials(ssl);
  }
  absl::StatusOr<HostPort> grpc_address = ParseHostPort(options_.grpc_address);
  // grpc.health.v1.Health (Check, Watch) on the same port, for `barrage
  // health` and Kubernetes' grpc probes. A process-wide switch, read when a
  // server is built.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second controller would bind the
  // same port and take half the connections. Refuse a busy port instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options_.grpc_address, credentials, &grpc_port_);
  builder.RegisterService(&agent_service_);
  builder.RegisterService(&run_service_);
  builder.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  grpc_ = builder.BuildAndStart();
  if (!grpc_ || grpc_port_ == 0) {
    grpc_.reset();
    if (grpc_address.ok()) {
      // gRPC does not say why; a probe of the same address does.
      if (absl::Status why = ProbeListen(grpc_address->host, grpc_address->port); !why.ok()) {
        return absl::Status(why.code(), absl::StrCat("--grpc: ", why.message()));
      }
    }
    return absl::UnavailableError(
        absl::StrCat("--grpc: cannot listen on ", options_.grpc_address));
  }
  // gRPC's health service knows only "" and starts it SERVING; each of our
  // services (and "") is SERVING only once the controller is ready (what
  // /readyz says), NOT_SERVING until then.
  if (grpc::HealthCheckServiceInterface* health = grpc_->GetHealthCheckService();
      health != nullptr) {
    for (const char* name : {v1::AgentControl::service_full_name(),
                             v1::RunControl::service_full_name()}) {
      health->SetServingStatus(name, false);
    }
  }
  SetServing(false);
  grpc_address_ = grpc_address.ok() ? FormatHostPort(grpc_address->host, grpc_port_)
                                    : options_.grpc_address;
  if (!options_.http_address.empty()) {
    absl::StatusOr<HostPort> address = ParseHostPort(options_.http_address);
    if (!address.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--http: ", address.status().message()));
    }
    const std::string& host = address->host;
    const int port = address->port;
    http_ = std::make_unique<httplib::Server>();
    http_->set_socket_options(SetListenSocketOptions);  // not httplib's SO_REUSEPORT
    http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      // Rendered outside the registry's lock; httplib gzips it when asked.
      res.set_content(RenderPrometheusText(metrics_.Snapshot()), kPrometheusContentType);
    });
    http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      res.status = ready_.load() ? 200 : 503;
      res.set_content(ready_.load() ? "ready\n" : "starting\n", "text/plain");
    });
    http_port_ = port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
    if (http_port_ <= 0) {
      if (absl::Status why = ProbeListen(host, port); !why.ok()) {
        return absl::Status(why.code(), absl::StrCat("--http: ", why.message()));
      }
      return absl::UnavailableError(
          absl::StrCat("--http: cannot listen on ", options_.http_address));
    }
    http_address_ = FormatHostPort(host, http_port_);
    http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  }
  ticker_ = std::thread([this] {
    int64_t last_ping = 0;
    do {
      coordinator_.Tick();
      const int64_t now = clock_.NowNs();
      if (now - last_ping >= options_.agents.heartbeat_interval_ms * 1'000'000) {
        last_ping = now;
        v1::ControllerMessage ping;
        ping.mutable_ping();
        const std::vector<AgentInfo> agents = registry_.Snapshot();
        for (const AgentInfo& a : agents) a.handle->Send(ping);
        PublishAgentMetrics(metrics_, agents);
      }
    } while (!stop_ticker_.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  });
  ready_.store(true);
  SetServing(true);
  return absl::OkStatus();
}

void ControllerServer::SetServing(bool serving) {
  if (grpc_ == nullptr) return;
  if (grpc::HealthCheckServiceInterface* health = grpc_->GetHealthCheckService();
      health != nullptr) {
    health->SetServingStatus(serving);
  }
}

void ControllerServer::Shutdown() {
  if (stopping_.exchange(true)) return;
  ready_.store(false);
  SetServing(false);  // health checks see NOT_SERVING while gRPC drains
  stop_ticker_.Notify();
  if (ticker_.joinable()) ticker_.join();
  if (grpc_) grpc_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  coordinator_.Shutdown();
}

}  // namespace barrage
