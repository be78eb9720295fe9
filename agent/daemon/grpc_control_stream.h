// Copyright 2026 The Barrage Authors.
//
// The gRPC ControlStream: AgentControl.Connect on a channel to the
// controller, plaintext or TLS. With a CA only, the agent verifies the
// controller (TLS); with its own certificate and key too, the controller
// verifies the agent as well (mTLS, CN = agent id).
//
// The call opens on the first Write() (the Hello), so Dial() never blocks
// and Cancel() works before, during and after the call's setup.
#ifndef BARRAGE_AGENT_DAEMON_GRPC_CONTROL_STREAM_H_
#define BARRAGE_AGENT_DAEMON_GRPC_CONTROL_STREAM_H_

#include <memory>
#include <string>

#include "agent/daemon/control_stream.h"

namespace barrage {

struct AgentDaemonOptions;

struct GrpcControlLink {
  std::string controller;  // host:port of the controller's gRPC listener
  // PEM contents; all empty: plaintext. tls_ca_pem set: TLS.
  std::string tls_ca_pem;    // the CA that signed the controller's certificate
  std::string tls_cert_pem;  // this agent's certificate (CN = id), for mTLS
  std::string tls_key_pem;   // and its key
};

// A dialer whose every Dial() makes a fresh channel to `link.controller`.
std::unique_ptr<ControlStreamDialer> NewGrpcControlStreamDialer(GrpcControlLink link);

// The same, from the daemon options' controller and tls_* fields.
std::unique_ptr<ControlStreamDialer> GrpcDialerFor(const AgentDaemonOptions& options);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_GRPC_CONTROL_STREAM_H_
