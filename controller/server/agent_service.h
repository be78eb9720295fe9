// Copyright 2026 The Barrage Authors.
//
// AgentService: the AgentControl gRPC service (callback API). Each agent
// stream gets one AgentSession reactor, which enforces the handshake (Hello
// first, then Welcome), registers the agent, forwards its messages to the
// coordinator and writes the controller's messages in order, one write in
// flight. It never blocks in a reaction. An agent that said Leaving has its
// stream closed (OK) once its final report for that run is in. See proto/barrage/v1/agent.proto
// for the grammar.
#ifndef BARRAGE_CONTROLLER_SERVER_AGENT_SERVICE_H_
#define BARRAGE_CONTROLLER_SERVER_AGENT_SERVICE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "barrage/v1/agent.grpc.pb.h"
#include "controller/run/agent_registry.h"
#include "controller/run/run_coordinator.h"

namespace barrage {

struct AgentServiceOptions {
  int64_t heartbeat_interval_ms = 1000;
  int64_t lease_ms = 5000;
  int64_t report_interval_ms = 1000;
  // mTLS: an agent must present a verified certificate that names the agent
  // id it says Hello with (CertificateAllows).
  bool require_certificates = false;
};

// Whether a verified agent certificate with common name `common_name` may
// speak for `agent_id`: the same name, or a fleet certificate "PREFIX*"
// (one trailing '*') for any id that starts with PREFIX and has at least one
// more character. A fleet certificate lets many agents (the replicas of one
// Deployment, ids = pod names) share one key pair.
bool CertificateAllows(absl::string_view common_name, absl::string_view agent_id);

class AgentService final : public v1::AgentControl::CallbackService {
 public:
  AgentService(AgentRegistry& registry, RunCoordinator& coordinator,
               AgentServiceOptions options);

  grpc::ServerBidiReactor<v1::AgentMessage, v1::ControllerMessage>* Connect(
      grpc::CallbackServerContext* context) override;

  uint64_t messages_rejected() const { return rejected_.load(); }

 private:
  friend class AgentSession;
  AgentRegistry& registry_;
  RunCoordinator& coordinator_;
  const AgentServiceOptions options_;
  std::atomic<uint64_t> rejected_{0};
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_SERVER_AGENT_SERVICE_H_
