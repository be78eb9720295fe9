// Copyright 2026 The Barrage Authors.
//
// Per-connection state of the `barrage target` server (see target_server.h):
// the reusable input and output buffers, the request parser, and the queue of
// responses that keeps pipelined responses in request order. Plain data with
// small helpers; TargetWorker drives it from its event loop.
//
// Thread safety: owned and used by one worker thread.
#ifndef BARRAGE_TOOLS_TARGET_CONNECTION_H_
#define BARRAGE_TOOLS_TARGET_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/target/request_parser.h"

namespace barrage {

// How a response ends its Connection header.
enum class ConnectionMode : uint8_t {
  kKeepAlive11,  // HTTP/1.1 persistent: no Connection header
  kKeepAlive10,  // HTTP/1.0 asked to persist: "Connection: keep-alive"
  kClose,        // "Connection: close"; the server closes after sending
};
constexpr int kConnectionModes = 3;

// A complete response built once: bytes = head + body.
struct CannedResponse {
  std::string bytes;
  size_t head_size = 0;  // HEAD requests get only this prefix
};

// Reason phrase for a status code ("OK", "Internal Server Error", ...).
absl::string_view ReasonPhrase(int status);

// Status line and headers, blank line included. 204 and 304 carry neither
// Content-Length nor Content-Type (they have no body).
std::string ResponseHead(int status, ConnectionMode mode,
                         absl::string_view content_type, size_t content_length);

CannedResponse MakeCannedResponse(int status, ConnectionMode mode,
                                  absl::string_view body);

// One response owed to the client, in request order.
struct PendingResponse {
  enum class Kind : uint8_t { kCanned, kMetrics, kContinue, kBad };
  const CannedResponse* canned = nullptr;  // kCanned
  const char* reason = "";                 // kBad: why, for the body
  int status = 0;                          // counted status (kCanned, kBad)
  Kind kind = Kind::kCanned;
  ConnectionMode mode = ConnectionMode::kKeepAlive11;
  bool head_only = false;  // a HEAD request: no body
  bool close = false;      // the connection closes after this response
  bool ready = false;      // due time reached (or never delayed)
};

// FIFO ring of PendingResponse. Grows by doubling and never shrinks, so a
// connection's steady state allocates nothing.
class PendingQueue {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  PendingResponse& Front() { return slots_[head_]; }
  // i-th entry from the front, i < size().
  PendingResponse& At(size_t i) { return slots_[(head_ + i) & mask()]; }
  void Push(const PendingResponse& response);
  void PopFront();
  void Clear() { head_ = size_ = 0; }

 private:
  size_t mask() const { return slots_.size() - 1; }

  std::vector<PendingResponse> slots_;  // size 0 or a power of two
  size_t head_ = 0;
  size_t size_ = 0;
};

struct Connection {
  enum class State : uint8_t {
    kHead,      // reading a request head
    kBody,      // discarding body_left bytes of a request body
    kClosing,   // a closing response is queued: input is ignored
    kDraining,  // responses sent and write side shut: read until EOF
  };
  static constexpr size_t kInitialInput = 16 * 1024;

  // Prepares a reused object for a newly accepted socket, keeping buffers.
  void Reset(int new_fd);

  // Bytes of output not yet written to the socket.
  size_t Unsent() const { return out.size() - out_sent; }

  int fd = -1;
  uint32_t generation = 0;  // bumped on every close; stale timers compare it
  bool open = false;
  bool peer_eof = false;           // the client shut its write side
  bool close_after_flush = false;  // a kClose response is in `out`
  State state = State::kHead;
  uint32_t events = 0;  // epoll interest currently registered

  std::vector<char> in;  // input bytes are [in_begin, in_end)
  size_t in_begin = 0;
  size_t in_end = 0;
  Http1RequestParser parser;
  uint64_t body_left = 0;      // kBody: request body bytes still to discard
  PendingResponse after_body;  // kBody: queued when the body is done

  std::string out;  // bytes [out_sent, size) still to send
  size_t out_sent = 0;

  PendingQueue queue;
  uint64_t front_seq = 0;  // sequence number of queue.Front()
  size_t waiting_service = 0;  // capacity model: jobs queued for a slot
};

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_CONNECTION_H_
