// Copyright 2026 The Barrage Authors.
//
// ControlStream: the agent's one bidi stream to its controller (see
// proto/barrage/v1/agent.proto for the grammar), behind a narrow seam so the
// daemon's session logic runs against a scripted controller in tests
// (tests/support/fake_control_stream.h). The real one is gRPC
// (grpc_control_stream.h).
//
// Threads: at most one thread writes and one thread reads at a time (they
// may be different threads, concurrently); Cancel() may be called from any
// thread at any time and never blocks; Finish() is called once, by the
// reader, after Read() has returned nullopt.
#ifndef BARRAGE_AGENT_DAEMON_CONTROL_STREAM_H_
#define BARRAGE_AGENT_DAEMON_CONTROL_STREAM_H_

#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "barrage/v1/agent.pb.h"

namespace barrage {

class ControlStream {
 public:
  virtual ~ControlStream() = default;

  // Sends one message; blocks until the transport has taken it. False when
  // the stream is over (closed, broken or cancelled): nothing more can be
  // written, and Finish() will say why.
  virtual bool Write(const v1::AgentMessage& message) = 0;

  // Blocks until the controller's next message arrives; nullopt when the
  // stream is over (the controller closed it, it broke, or Cancel()).
  virtual std::optional<v1::ControllerMessage> Read() = 0;

  // Ends the stream from this side: a blocked Read() or Write() returns at
  // once and later ones fail. Idempotent; any thread; never blocks.
  virtual void Cancel() = 0;

  // After Read() has returned nullopt: the controller's reason for ending
  // the stream (OK for a clean close), or the transport's, or CANCELLED.
  virtual absl::Status Finish() = 0;
};

// Opens one ControlStream per session. Dial() does not wait for the network
// (a refused or unreachable controller shows as a failed first Write/Read
// and Finish()'s reason); an error means no stream could even be set up.
// Thread safety: one caller at a time.
class ControlStreamDialer {
 public:
  virtual ~ControlStreamDialer() = default;
  virtual absl::StatusOr<std::unique_ptr<ControlStream>> Dial() = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_CONTROL_STREAM_H_
