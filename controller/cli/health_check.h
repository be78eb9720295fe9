// Copyright 2026 The Barrage Authors.
//
// `barrage health ADDR`: is a daemon up and ready? Two clients and the
// command around them:
//   - CheckGrpcHealth asks grpc.health.v1.Health/Check (the standard gRPC
//     health checking protocol, proto/grpc/health/v1/health.proto): the
//     controller answers SERVING once ready (as its /readyz does) and
//     NOT_SERVING while it shuts down;
//   - CheckHttpHealth GETs /healthz (the agent's only listener is HTTP).
// The image's HEALTHCHECK runs the command; Kubernetes uses its own gRPC and
// HTTP probes against the same endpoints.
//
// Exit codes: 0 serving, 1 reachable but not serving (the status is
// printed), 2 bad usage, 3 no answer within --timeout (refused, unknown
// host, TLS failure, or silence).
//
// Thread safety: the functions share nothing; call them from any thread.
#ifndef BARRAGE_CONTROLLER_CLI_HEALTH_CHECK_H_
#define BARRAGE_CONTROLLER_CLI_HEALTH_CHECK_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace barrage {

struct HealthCheckOptions {
  std::string address;     // HOST:PORT (IPv6 bracketed)
  std::string service;     // gRPC only: the service asked about; "" = the server
  std::string token;       // gRPC only: sent as "authorization: Bearer TOKEN"; "" = none
  std::string tls_ca_pem;  // gRPC only: TLS, verifying the server with this CA
  bool insecure = false;   // allow plaintext gRPC to a non-loopback address
  absl::Duration timeout = absl::Seconds(2);  // the whole check, connect included
};

// What a reachable server said.
struct HealthAnswer {
  bool serving = false;
  // gRPC: "SERVING", "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN" (the
  // server does not know options.service) or "UNIMPLEMENTED" (no health
  // service); HTTP: "HTTP 200", "HTTP 503", ...
  std::string status;
};

// One Check call. Errors: FailedPrecondition for plaintext to a
// non-loopback address without `insecure`; Unavailable when the server
// cannot be reached or does not answer within the timeout (the message
// says which); any other gRPC error is an answer (not serving) naming its
// code.
absl::StatusOr<HealthAnswer> CheckGrpcHealth(const HealthCheckOptions& options);

// GET http://ADDRESS/healthz: serving on 200. Only address and timeout are
// read. Errors: InvalidArgument for a malformed address; Unavailable as
// for CheckGrpcHealth.
absl::StatusOr<HealthAnswer> CheckHttpHealth(const HealthCheckOptions& options);

// The command: `args` excludes "barrage health". Prints "ADDR: STATUS" to
// `out` on an answer, the reason to `err` otherwise; returns the exit code
// of the file comment.
int RunHealth(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_HEALTH_CHECK_H_
