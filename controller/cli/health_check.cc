// Copyright 2026 The Barrage Authors.

#include "controller/cli/health_check.h"

#include <httplib.h>

#include <chrono>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/scenario/fields.h"
#include "common/util/exit_codes.h"
#include "common/util/host_port.h"
#include "controller/cli/commands.h"
#include "controller/cli/remote_run.h"
#include "controller/cli/run_command.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace barrage {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Reachable, but not serving. Not kExitInternal's meaning, the same number:
// what health checkers (Docker's HEALTHCHECK) read as "unhealthy".
constexpr int kExitNotServing = 1;

}  // namespace

absl::StatusOr<HealthAnswer> CheckGrpcHealth(const HealthCheckOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ControllerCredentials(options.address, options.tls_ca_pem, options.insecure);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<Health::Stub> stub =
      Health::NewStub(grpc::CreateChannel(options.address, *credentials));
  grpc::ClientContext context;
  // Fail fast (no wait_for_ready): a refused connection is an answer now,
  // not a retry until the deadline.
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  if (!options.token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options.token);
  }
  HealthCheckRequest request;
  request.set_service(options.service);
  HealthCheckResponse response;
  const grpc::Status s = stub->Check(&context, request, &response);
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return HealthAnswer{response.status() == HealthCheckResponse::SERVING,
                          HealthCheckResponse::ServingStatus_Name(response.status())};
    case grpc::StatusCode::NOT_FOUND:  // the protocol's "unknown service"
      return HealthAnswer{false, "SERVICE_UNKNOWN"};
    case grpc::StatusCode::UNIMPLEMENTED:
      return HealthAnswer{false, "UNIMPLEMENTED (no grpc.health.v1.Health service)"};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::UnavailableError(absl::StrCat("no answer from ", options.address,
                                                 " within ", absl::FormatDuration(options.timeout)));
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError(
          absl::StrCat("cannot reach ", options.address, ": ", s.error_message()));
    default:
      return HealthAnswer{false, absl::StrCat("gRPC error ", s.error_code(), ": ",
                                              s.error_message())};
  }
}

absl::StatusOr<HealthAnswer> CheckHttpHealth(const HealthCheckOptions& options) {
  absl::StatusOr<HostPort> address = ParseHostPort(options.address);
  if (!address.ok()) return address.status();
  httplib::Client client(address->host, address->port);
  const std::chrono::microseconds timeout = absl::ToChronoMicroseconds(options.timeout);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  httplib::Result res = client.Get("/healthz");
  if (!res) {
    const httplib::Error e = res.error();
    if (e == httplib::Error::ConnectionTimeout || e == httplib::Error::Read) {
      return absl::UnavailableError(absl::StrCat("no answer from ", options.address,
                                                 "/healthz within ", absl::FormatDuration(options.timeout)));
    }
    return absl::UnavailableError(absl::StrCat(
        "cannot reach ", options.address,
        e == httplib::Error::Connection ? ": cannot connect (refused or unreachable)"
                                        : absl::StrCat(": ", httplib::to_string(e))));
  }
  return HealthAnswer{res->status == 200, absl::StrCat("HTTP ", res->status)};
}

int RunHealth(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagSet flags = CommandFlags("health");
  bool http = false;
  std::string timeout_text;
  std::string service;
  RemoteFlags remote_flags;
  flags.Bool("http", &http, "GET http://ADDR/healthz instead (an agent's HTTP port)");
  flags.String("timeout", &timeout_text, "2s", "D",
               "give up after D, like 500ms (exit 3)");
  flags.String("service", &service, "", "NAME",
               "the gRPC service to ask about (default: the server as a whole)");
  DefineRemoteFlags(flags, remote_flags, "allow plaintext gRPC to a non-loopback address",
                    /*with_controller=*/false);
  const ParsedCommand parsed = ParseCommand("health", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 1) {
    return UsageError("health",
                      parsed.positional.empty()
                          ? std::string("give the address to check, HOST:PORT")
                          : absl::StrCat("unexpected argument '", parsed.positional[1], "'"),
                      err);
  }
  HealthCheckOptions options;
  options.address = parsed.positional[0];
  options.service = service;
  if (absl::Status s = ParseHostPort(options.address).status(); !s.ok()) {
    return UsageError("health", absl::StrCat(options.address, ": ", s.message()), err);
  }
  absl::StatusOr<absl::Duration> timeout = ParseDurationField(timeout_text);
  if (!timeout.ok() || *timeout <= absl::ZeroDuration()) {
    return UsageError("health",
                      absl::StrCat("--timeout: ",
                                   timeout.ok() ? std::string("must be > 0")
                                                : std::string(timeout.status().message())),
                      err);
  }
  options.timeout = *timeout;
  if (http) {
    for (const char* grpc_only : {"service", "token-file", "tls-ca"}) {
      if (flags.Given(grpc_only)) {
        return UsageError("health", absl::StrCat("--", grpc_only, " is for gRPC, not --http"),
                          err);
      }
    }
  }
  RemoteOptions remote;
  if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
    err << "barrage health: " << s.message() << "\n";
    return kExitUsage;
  }
  options.token = remote.token;
  options.tls_ca_pem = remote.tls_ca_pem;
  options.insecure = remote.insecure;

  absl::StatusOr<HealthAnswer> answer =
      http ? CheckHttpHealth(options) : CheckGrpcHealth(options);
  if (!answer.ok()) {
    err << "barrage health: " << answer.status().message() << "\n";
    return absl::IsUnavailable(answer.status()) ? kExitCannotStart : kExitUsage;
  }
  out << options.address << (http ? "/healthz" : "") << ": " << answer->status << "\n";
  return answer->serving ? kExitPassed : kExitNotServing;
}

}  // namespace barrage
