// Copyright 2026 The Barrage Authors.
//
// Http1Driver: the native HttpClient for HTTP/1.1, cleartext or over TLS
// (TlsTransport, OpenSSL on the same socket), the common case
// of a load test and the one where the client's own cost decides how much
// load one core can make. libcurl spends about 9 µs of user-space CPU per request on
// this machine (its allocations, header parsing and extra poll() calls),
// more than wrk's whole cost; this driver does what wrk does per request:
// one send(), one epoll wakeup, one recv().
//
// Each template's request bytes are built once (StartWith renders its parts
// into the connection's own reused buffer instead); connections are kept alive
// per origin and reused last-in first-out; responses are framed by
// Http1ResponseParser; every request has a deadline from its start (connect
// included), kept in a per-template list ordered by deadline. A request
// that fails on a reused connection before any response byte (the server
// closed it while idle) is retried once on a fresh connection, as libcurl
// does. Host names are resolved once, when the driver is made.
//
// https:// origins: after connect, a TLS handshake (ALPN "http/1.1", SNI,
// certificate and host name checks as the options say, sessions resumed
// across this driver's connections to an origin); a failed handshake is a
// connect_error with a tls: reason. Each result carries the phases of a
// request that opened its connection: connect and TLS handshake time, and
// every request's time to first response byte.
//
// It speaks exactly what CurlMultiDriver sends for the same template (Host,
// User-Agent, Accept, the template's headers, Content-Length and curl's
// default Content-Type for bodies), so the two are interchangeable;
// Supports() says which templates it takes (http:// and https:// with
// HTTP/1.1); HTTP/2 goes to Http2Driver.
//
// keep_response templates: the connection's parser feeds a KeptResponse
// from the driver's pool, shown in the result and taken back once on_done
// returned; other templates keep nothing.
//
// Thread safety: one owner thread; Wakeup() from any thread.
#ifndef BARRAGE_AGENT_HTTP_HTTP1_DRIVER_H_
#define BARRAGE_AGENT_HTTP_HTTP1_DRIVER_H_

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/http/event_poller.h"
#include "agent/http/http1_response_parser.h"
#include "agent/http/http1_request.h"
#include "agent/http/http_client.h"
#include "agent/http/kept_response.h"
#include "agent/http/tls_transport.h"
#include "common/util/clock.h"

namespace barrage {

class Http1Driver final : public HttpClient {
 public:
  // Whether this driver can send every template: http:// or https:// URLs
  // without user info, HTTP/1.1, and no line breaks in the method or headers.
  static bool Supports(const std::vector<HttpRequestTemplate>& templates,
                       const HttpClientOptions& options);

  // `clock` (borrowed; outlives the driver) times deadlines and latencies.
  // InvalidArgument when the options' TLS material (CA, client certificate
  // or key) does not load.
  static absl::StatusOr<std::unique_ptr<Http1Driver>> Create(
      std::vector<HttpRequestTemplate> templates, HttpClientOptions options,
      Clock& clock);
  ~Http1Driver() override;

  Http1Driver(const Http1Driver&) = delete;
  Http1Driver& operator=(const Http1Driver&) = delete;

  void Start(size_t template_index, uint64_t token) override;
  void StartWith(size_t template_index, const RequestParts& parts,
                 uint64_t token) override;
  void Poll(int64_t timeout_ns,
            absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void Wakeup() override;
  size_t in_flight() const override { return in_flight_; }
  const char* name() const override { return "native-http1"; }
  uint64_t connections_opened() const override { return opened_; }
  // TLS handshakes that resumed a cached session (0 without https).
  uint64_t tls_resumed() const { return tls_ ? tls_->resumed() : 0; }

 private:
  enum class Phase { kClosed, kIdle, kConnecting, kHandshaking, kSending, kReceiving };
  enum class ConnectStep { kFailed, kPending, kConnected };

  struct Address {
    sockaddr_storage storage{};
    socklen_t size = 0;
  };

  struct Origin {
    std::vector<Address> addresses;  // empty: the host did not resolve
    size_t current = 0;              // the address that last answered
    std::vector<uint32_t> idle;      // connection indexes, last used on top
    bool tls = false;                // https://
    std::string host;                // for SNI and certificate checks
  };

  struct Template {
    std::string wire;  // the whole request, ready to send
    HttpUrl url;       // for rendering StartWith's parts
    size_t origin = 0;
    bool head = false;
    bool keep = false;  // keep_response
    int64_t timeout_ns = 0;
    const HttpRequestTemplate* source = nullptr;
    uint32_t first = kNone;  // in-flight list, earliest deadline first
    uint32_t last = kNone;
  };

  struct Connection {
    uint32_t index = 0;       // in connections_
    int fd = -1;
    uint32_t generation = 0;  // tells a closed socket's events from a new one's
    Phase phase = Phase::kClosed;
    size_t origin = 0;
    bool reused = false;      // has carried a response before
    bool want_write = false;  // EPOLLOUT registered
    // The request it carries, while it is in its template's in-flight list.
    size_t tpl = 0;
    uint64_t token = 0;
    int64_t deadline_ns = 0;
    const std::string* wire = nullptr;  // the template's or `rendered`
    std::string rendered;               // StartWith's request, reused
    KeptResponse* kept = nullptr;       // keep_response: from kept_pool_
    size_t sent = 0;
    uint64_t received = 0;
    bool retried = false;
    size_t attempts = 0;      // addresses tried for this connection
    int connect_errno = 0;    // the last address's connect failure
    uint32_t prev = kNone;
    uint32_t next = kNone;
    // Phases, ns on clock_: the request's start, and when it opened the
    // connection (fresh), its connect start, connect end and handshake end.
    int64_t start_ns = 0;
    int64_t first_byte_ns = 0;  // 0: nothing received yet
    bool fresh = false;
    int64_t connect_start_ns = 0;
    int64_t connected_ns = 0;
    int64_t handshaken_ns = 0;
    Http1ResponseParser parser;
    TlsSession tls;  // open on a connected https:// connection
  };

  static constexpr uint32_t kNone = ~uint32_t{0};

  Http1Driver(std::vector<HttpRequestTemplate> templates, HttpClientOptions options,
              Clock& clock);
  absl::Status Init();
  // Start() and StartWith(): `parts` null for the template as built.
  void Begin(size_t template_index, const RequestParts* parts, uint64_t token);
  // Hands delivered results' kept responses back to the pool.
  void ReleaseKept();
  uint32_t NewConnection(size_t origin);  // a closed one, to connect
  // Opens `c`'s socket to the origin's current address and starts
  // connecting, moving on to the next address when one refuses at once;
  // kFailed (c closed) when none is left.
  ConnectStep Connect(Connection& c);
  // Connects `index` and carries on once connected (handshake, send), or
  // finishes its request as a connect error.
  void Open(uint32_t index);
  // The TCP connection is up: the TLS handshake starts, or the request goes.
  void OnConnected(uint32_t index);
  // One handshake step; sends the request once it is done.
  void Handshake(uint32_t index);
  // recv() or TLS read into buffer_: bytes, 0 at the end, -1 with errno
  // (EAGAIN: nothing now).
  ssize_t Receive(Connection& c);
  void Close(Connection& c);
  void SetWantWrite(Connection& c, bool want);
  // Sends what remains of the request; finishes the request on failure.
  void Send(uint32_t index);
  void OnReadable(uint32_t index);
  void OnWritable(uint32_t index);
  // The request on a dead reused connection goes out again on a fresh one,
  // once; false when it may not.
  bool Retry(uint32_t index);
  void Link(uint32_t index);
  void Unlink(uint32_t index);
  // Ends `index`'s request: queues its result, frees or closes the
  // connection.
  void Finish(uint32_t index, Outcome outcome, int status, bool reusable,
              ErrorReason reason = ErrorReason::kNone);
  // Why connecting `c` failed: its last errno, or kDns for a host that
  // did not resolve.
  ErrorReason ConnectFailure(const Connection& c) const;
  void ExpireDeadlines(int64_t now);

  const std::vector<HttpRequestTemplate> sources_;
  const HttpClientOptions options_;
  Clock& clock_;
  std::vector<Origin> origins_;
  std::vector<Template> templates_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<uint32_t> free_connections_;  // closed, ready for a new socket
  std::vector<HttpResult> done_;            // finished, not yet delivered
  std::vector<HttpResult> delivering_;
  // Kept responses of done_'s and delivering_'s results, to give back.
  std::vector<KeptResponse*> done_kept_;
  std::vector<KeptResponse*> delivering_kept_;
  KeptPool kept_pool_;
  std::unique_ptr<char[]> buffer_;          // one read buffer for all sockets
  std::unique_ptr<TlsContext> tls_;         // null: no https:// origin
  EventPoller poller_;
  size_t in_flight_ = 0;
  uint64_t opened_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP1_DRIVER_H_
