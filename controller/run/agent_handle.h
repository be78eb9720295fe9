// Copyright 2026 The Barrage Authors.
//
// AgentHandle: the controller's side of one agent's stream, as the registry
// and the coordinator see it. AgentSession (the gRPC reactor) implements it;
// tests use a fake that records what was sent.
//
// Thread safety: Send and Close may be called from any thread; they never
// block (messages are queued, one write in flight).
#ifndef BARRAGE_CONTROLLER_RUN_AGENT_HANDLE_H_
#define BARRAGE_CONTROLLER_RUN_AGENT_HANDLE_H_

#include "barrage/v1/agent.pb.h"

namespace barrage {

class AgentHandle {
 public:
  virtual ~AgentHandle() = default;
  virtual void Send(const v1::ControllerMessage& message) = 0;
  // Ends the stream (the agent will reconnect); idempotent.
  virtual void Close() = 0;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_AGENT_HANDLE_H_
