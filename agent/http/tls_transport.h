// Copyright 2026 The Barrage Authors.
//
// TLS for the native drivers (Http1Driver; Http2Driver over TLS), on
// OpenSSL, over sockets the driver connects and polls itself.
//
//   TlsContext  one per driver (per worker), built from the run's TLS
//               policy: trust (system store, a CA file or PEM, or no
//               verification), an optional client certificate (mTLS), the
//               ALPN list, and the client session cache that resumes
//               sessions (TLS 1.2 session ids and TLS 1.3 tickets) across
//               the driver's connections to one origin.
//   TlsSession  one per connection: a non-blocking client session over an
//               already-connected fd. The driver calls Handshake() on every
//               readiness event until it is kDone, then Read()/Write();
//               each returns kWantRead/kWantWrite when the socket must
//               become readable/writable first (register EPOLLIN/EPOLLOUT
//               accordingly) and never blocks. Read()/Write() make no C++
//               allocation (OpenSSL keeps its record buffers per session).
//   TlsTransport the Transport seam (transport.h) over an established
//               TlsSession, for Http2Driver's framing.
//
// A failed handshake is a measurement: Handshake() returns kError and
// failure() names why (hostname mismatch, expired, unknown CA, verify
// failed, handshake failed); the driver puts that in its HttpResult.
//
// Lifetimes: a TlsContext outlives its sessions. A TlsSession borrows its
// fd (the driver closes it, after Close()). Thread safety: none; both
// belong to the driver's owner thread.
#ifndef BARRAGE_AGENT_HTTP_TLS_TRANSPORT_H_
#define BARRAGE_AGENT_HTTP_TLS_TRANSPORT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/http/http_client.h"
#include "agent/http/transport.h"
#include "common/stats/error_reason.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

namespace barrage {

// What a driver's TLS connections trust and offer.
struct TlsClientConfig {
  bool verify = true;         // false: no certificate or host name checks
  std::string ca_file;        // CA bundle file trusted instead of the system store
  std::string ca_pem;         // CA certificates (PEM) trusted instead; wins over ca_file
  std::string cert_pem;       // client certificate chain (PEM), for mTLS; "" = none
  std::string key_pem;        // its private key (PEM); required with cert_pem
  std::vector<std::string> alpn;  // offered in order, e.g. {"h2", "http/1.1"}; {} = none
};

// The run's TLS policy (options' insecure, CA, client certificate) with
// `alpn` offered: what every native driver builds its TlsContext from.
TlsClientConfig TlsConfigFor(const HttpClientOptions& options, std::vector<std::string> alpn);

// The result of a step: done, or wait for the socket, or the end.
enum class TlsIo {
  kDone,       // the handshake finished / bytes were moved
  kWantRead,   // call again once the fd is readable
  kWantWrite,  // call again once the fd is writable
  kClosed,     // the peer closed (close_notify or EOF)
  kError,      // failed; see failure() (handshake) or errno (I/O)
};

class TlsContext {
 public:
  // InvalidArgument naming the part (CA, client certificate, key) that
  // OpenSSL refused.
  static absl::StatusOr<std::unique_ptr<TlsContext>> Create(const TlsClientConfig& config);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  bool verify() const { return verify_; }
  SSL_CTX* ctx() const { return ctx_; }

  // Sessions resumable per origin: `origin` is the caller's small index for
  // one (host, port), as given to TlsSession::Open. The newest session the
  // server gave is kept (owned). TlsSession uses these; callers need not.
  SSL_SESSION* CachedSession(size_t origin) const;
  void StoreSession(size_t origin, SSL_SESSION* session);  // takes a reference
  uint64_t resumed() const { return resumed_; }  // handshakes that resumed
  void CountResumed() { ++resumed_; }

 private:
  TlsContext() = default;

  SSL_CTX* ctx_ = nullptr;
  bool verify_ = true;
  std::vector<SSL_SESSION*> sessions_;  // per origin; null = none yet
  uint64_t resumed_ = 0;
};

// One transfer's count of bytes moved, or why none were.
struct TlsTransfer {
  TlsIo io = TlsIo::kDone;
  size_t bytes = 0;  // > 0 exactly when io == kDone
};

class TlsSession {
 public:
  TlsSession() = default;
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Starts a client session on `fd` (connected, non-blocking; borrowed) to
  // `host` (SNI when a name, not an IP literal; the name or IP the
  // certificate must match when verifying), resuming `origin`'s cached
  // session if there is one. Internal when OpenSSL cannot make a session.
  absl::Status Open(TlsContext& context, int fd, const std::string& host, size_t origin);
  bool open() const { return ssl_ != nullptr; }

  // One handshake step; kDone once established.
  TlsIo Handshake();
  // After Handshake() returned kError: why (a kTls* reason).
  ErrorReason failure() const { return failure_; }
  // After kDone: the ALPN protocol the server chose ("" = none), and
  // whether the session was resumed.
  std::string alpn() const;
  bool resumed() const;

  // Decrypts into `buffer` (up to `size` bytes; one TLS record at most).
  TlsTransfer Read(char* buffer, size_t size);
  // Encrypts and sends from `data`; may take fewer than `size` bytes (pass
  // the rest, from the same or another buffer, on the next call).
  TlsTransfer Write(const char* data, size_t size);
  // Whether decrypted bytes wait inside the session (no readiness event
  // will announce them).
  bool pending() const;

  // Frees the session (no close_notify: the driver closes the socket); its
  // TLS session stays resumable from the context's cache.
  void Close();

 private:
  TlsIo Classify(int rc);

  TlsContext* context_ = nullptr;
  SSL* ssl_ = nullptr;
  size_t origin_ = 0;
  ErrorReason failure_ = ErrorReason::kNone;
};

// Transport over `session` (borrowed; open and past its handshake, and
// outliving this): Read/Write as TlsSession's, with errno EAGAIN while the
// session waits for the socket (WantsRead/WantsWrite say which readiness),
// 0 on a close, -1 with errno on an error. No allocation.
class TlsTransport final : public Transport {
 public:
  explicit TlsTransport(TlsSession& session) : session_(session) {}
  ssize_t Read(char* data, size_t size) override;
  ssize_t Write(const char* data, size_t size) override;
  bool WantsRead() const override { return true; }
  bool WantsWrite() const override { return wants_write_; }
  // One TLS record per Read: a short read says nothing about the socket.
  bool ShortReadDrains() const override { return false; }

 private:
  ssize_t Map(TlsTransfer t);

  TlsSession& session_;
  bool wants_write_ = false;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_TLS_TRANSPORT_H_
