// Copyright 2026 The Barrage Authors.
//
// Http2Driver: the native HttpClient for HTTP/2, cleartext (h2c by prior
// knowledge) or over TLS (https://: through TlsTransport, with the same
// trust, client certificate and session cache policy as Http1Driver; ALPN
// offers "h2" then "http/1.1", so a server without h2 still finishes the
// handshake and is a connect_error with kTlsNoH2; a failed handshake is one
// with its tls: reason), framed by nghttp2 and driven by the same epoll loop
// as Http1Driver. Requests are streams
// multiplexed over a fixed set of N connections (options.h2_connections; 0:
// ceil(max_in_flight / h2_max_streams)), opened on first need and kept for
// the run: the driver never opens a connection per request. Each connection
// carries at most min(h2_max_streams, the server's
// SETTINGS_MAX_CONCURRENT_STREAMS) streams, also when the server lowers its
// setting mid-connection; a request that finds no room waits in a queue (its
// timeout runs from Start()) and is never failed for it. New streams go
// round robin to the connections.
//
// Per request: Start() submits the prebuilt header block (no allocation of
// ours on a warm connection; StartWith() renders its parts into the
// request slot's reused buffers and submits those) and marks the connection; Poll() writes each
// marked connection's frames with one send. Windows: 16 MiB per stream and
// 1 GiB per connection, with data consumed (WINDOW_UPDATE) as it arrives.
// Failures: RST_STREAM ends that request with its code as the reason
// (ErrorReason::kH2Reset*); GOAWAY retires the connection (a fresh one takes
// its place) and every stream the server did not process (above
// last_stream_id, or not sent yet) is retried once there (retries() counts
// them), else ends with kH2GoAway; a dead socket ends its streams as
// Http1Driver would. CancelAll() closes every connection.
//
// keep_response templates: response header fields (lower case, as HTTP/2
// has them; :status not among them) and DATA go into a KeptResponse from
// the driver's pool, shown in the result while on_done runs; without such
// templates the sessions have no DATA callback at all.
//
// Phases: the request whose stream opened a connection carries its connect
// and TLS handshake times (HttpResult connect_ns, tls_ns); every request its
// time from Start() to its response's HEADERS (ttfb_ns).
//
// It sends what CurlMultiDriver sends over HTTP/2 for the same template
// (BuildHttp2Headers). Supports() says which templates it takes.
//
// Thread safety: one owner thread; Wakeup() from any thread.
#ifndef BARRAGE_AGENT_HTTP_HTTP2_DRIVER_H_
#define BARRAGE_AGENT_HTTP_HTTP2_DRIVER_H_

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/http/event_poller.h"
#include "agent/http/http2_request.h"
#include "agent/http/http_client.h"
#include "agent/http/kept_response.h"
#include "agent/http/tls_transport.h"
#include "agent/http/transport.h"
#include "common/util/clock.h"

struct nghttp2_session;

namespace barrage {

class Http2Driver final : public HttpClient {
 public:
  // Whether this driver can send every template: HTTP/2, http:// or
  // https:// URLs of one origin without user info, and methods and headers
  // sendable as written.
  static bool Supports(const std::vector<HttpRequestTemplate>& templates,
                       const HttpClientOptions& options);

  // `clock` (borrowed; outlives the driver) times deadlines and phases.
  // InvalidArgument when the options' TLS material (CA, client certificate
  // or key) does not load.
  static absl::StatusOr<std::unique_ptr<Http2Driver>> Create(
      std::vector<HttpRequestTemplate> templates, HttpClientOptions options,
      Clock& clock);
  ~Http2Driver() override;

  Http2Driver(const Http2Driver&) = delete;
  Http2Driver& operator=(const Http2Driver&) = delete;

  void Start(size_t template_index, uint64_t token) override;
  void StartWith(size_t template_index, const RequestParts& parts,
                 uint64_t token) override;
  void Poll(int64_t timeout_ns,
            absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void Wakeup() override;
  size_t in_flight() const override { return in_flight_; }
  // "native-h2c" (cleartext) or "native-h2" (over TLS).
  const char* name() const override { return tls_ ? "native-h2" : "native-h2c"; }
  uint64_t connections_opened() const override { return opened_; }
  uint64_t h2_retries() const override { return retries_; }

  // Requests sent again on a fresh connection after a GOAWAY, since Create.
  uint64_t retries() const { return retries_; }
  // The connections a request may use (N), and requests waiting for room.
  size_t connection_slots() const { return slots_.size(); }
  size_t queued() const { return queued_; }
  // TLS handshakes that resumed a cached session (0 for h2c).
  uint64_t tls_resumed() const { return tls_ ? tls_->resumed() : 0; }

 private:
  struct Connection;
  struct Request;
  struct Template;

  static constexpr uint32_t kNone = ~uint32_t{0};

  Http2Driver(std::vector<HttpRequestTemplate> templates, HttpClientOptions options,
              Clock& clock);
  absl::Status Init();
  // Start() and StartWith(): `parts` null for the template as built.
  void Begin(size_t template_index, const RequestParts* parts, uint64_t token);
  void ReleaseKept();  // delivered results' kept responses, back to the pool

  // Request placement.
  void Dispatch(uint32_t req);            // to a connection with room, or the queue
  bool TrySubmit(uint32_t req);           // false: no connection has room
  void Submit(uint32_t req, Connection& c);
  void Enqueue(uint32_t req, bool front);
  void Dequeue(uint32_t req);
  void PumpQueue();
  size_t Room(const Connection& c) const;

  // Connections.
  // Connects a fresh connection into `slot`: kNone, or why connecting
  // failed at once (the slot stays empty).
  ErrorReason OpenConnection(size_t slot);
  // The TCP connection is up: TLS starts, or frames may go.
  void OnConnected(Connection& c);
  // One TLS handshake step; on success checks ALPN and lets frames go.
  void Handshake(Connection& c);
  void OnReadable(Connection& c);
  void Flush(Connection& c);
  void MarkDirty(Connection& c);
  void FlushDirty();
  void SetEvents(Connection& c);
  void Retire(Connection& c);  // GOAWAY: no new streams; a fresh one in its slot
  // Closes `c`: every stream on it ends with `outcome` and `reason`
  // (after a GOAWAY, those the server did not process are retried once).
  void Kill(Connection& c, Outcome outcome, ErrorReason reason);
  void CloseIfDone(Connection& c);

  // Stream ends.
  void OnStreamClose(Connection& c, int32_t stream_id, uint32_t error_code);
  void Detach(Request& r);  // from its connection and stream
  bool RetryAfterGoAway(uint32_t req);  // false: already retried once
  void Finish(uint32_t req, Outcome outcome, int status, ErrorReason reason);
  void ExpireDeadlines(int64_t now);
  void Link(uint32_t req);
  void Unlink(uint32_t req);
  Request* Find(Connection& c, int32_t stream_id);

  friend struct Http2Callbacks;  // nghttp2's callbacks (the .cc)

  const std::vector<HttpRequestTemplate> sources_;
  const HttpClientOptions options_;
  Clock& clock_;
  size_t max_streams_ = 100;
  bool keeps_ = false;  // some template has keep_response
  sockaddr_storage address_{};
  socklen_t address_size_ = 0;  // 0: the host did not resolve
  std::string host_;            // for SNI and certificate checks
  std::unique_ptr<TlsContext> tls_;  // null: h2c
  std::vector<Template> templates_;
  std::vector<std::unique_ptr<Request>> requests_;
  std::vector<uint32_t> free_requests_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<uint32_t> free_connections_;
  std::vector<uint32_t> slots_;       // N connection indexes (kNone: not open)
  size_t cursor_ = 0;                 // next slot to try, round robin
  uint32_t queue_head_ = kNone;       // waiting for room, oldest first
  uint32_t queue_tail_ = kNone;
  size_t queued_ = 0;
  std::vector<uint32_t> dirty_;       // connections with frames to send
  std::vector<HttpResult> done_;
  std::vector<HttpResult> delivering_;
  std::vector<KeptResponse*> done_kept_;  // done_'s and delivering_'s kept ones
  std::vector<KeptResponse*> delivering_kept_;
  KeptPool kept_pool_;
  std::unique_ptr<char[]> buffer_;    // one read buffer for all sockets
  EventPoller poller_;
  size_t in_flight_ = 0;
  uint64_t opened_ = 0;
  uint64_t retries_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP2_DRIVER_H_
