// Copyright 2026 The Barrage Authors.

#include "agent/http/tls_transport.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

// Adds every certificate of `pem` to `store`; false when there is none.
bool AddPemCertificates(X509_STORE* store, const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return false;
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, cert) == 1) ++added;
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();  // the read that ended the loop
  return added > 0;
}

// The verify result of a failed handshake, as a reason.
ErrorReason VerifyReason(long result) {
  switch (result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return ErrorReason::kTlsHostname;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return ErrorReason::kTlsExpired;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return ErrorReason::kTlsUnknownCa;
    default:
      return ErrorReason::kTlsVerify;
  }
}

// The session cache's "new session" callback: the server issued a session
// (after a TLS 1.2 handshake, or a TLS 1.3 ticket, possibly while reading).
int OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* context = static_cast<TlsContext*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  const auto* origin = static_cast<const size_t*>(SSL_get_app_data(ssl));
  if (context == nullptr || origin == nullptr) return 0;
  context->StoreSession(*origin, session);
  return 1;  // the cache now holds the reference OpenSSL gave us
}

}  // namespace

TlsClientConfig TlsConfigFor(const HttpClientOptions& options, std::vector<std::string> alpn) {
  TlsClientConfig tls;
  tls.verify = !options.insecure;
  tls.ca_file = options.ca_file;
  tls.ca_pem = options.ca_pem;
  tls.cert_pem = options.cert_pem;
  tls.key_pem = options.key_pem;
  tls.alpn = std::move(alpn);
  return tls;
}

absl::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Create(const TlsClientConfig& config) {
  std::unique_ptr<TlsContext> c(new TlsContext());
  c->verify_ = config.verify;
  c->ctx_ = SSL_CTX_new(TLS_client_method());
  if (c->ctx_ == nullptr) return absl::InternalError("cannot create an SSL_CTX: " + OpenSslError());
  SSL_CTX* ctx = c->ctx_;
  SSL_CTX_set_app_data(ctx, c.get());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, &OnNewSession);
  if (config.verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (!config.ca_pem.empty()) {
      if (!AddPemCertificates(SSL_CTX_get_cert_store(ctx), config.ca_pem)) {
        return absl::InvalidArgumentError("tls: the CA PEM holds no certificate");
      }
    } else if (!config.ca_file.empty()) {
      if (SSL_CTX_load_verify_locations(ctx, config.ca_file.c_str(), nullptr) != 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("tls: cannot load CA file '", config.ca_file, "': ", OpenSslError()));
      }
    } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
      return absl::InternalError("tls: cannot load the system CA store: " + OpenSslError());
    }
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  if (!config.cert_pem.empty() || !config.key_pem.empty()) {
    if (config.cert_pem.empty() || config.key_pem.empty()) {
      return absl::InvalidArgumentError("tls: a client certificate needs both cert and key");
    }
    BIO* bio = BIO_new_mem_buf(config.cert_pem.data(), static_cast<int>(config.cert_pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    bool ok = cert != nullptr && SSL_CTX_use_certificate(ctx, cert) == 1;
    X509_free(cert);
    // The rest of the chain, if the file has one.
    while (ok) {
      X509* extra = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
      if (extra == nullptr) break;
      if (SSL_CTX_add_extra_chain_cert(ctx, extra) != 1) X509_free(extra);
    }
    ERR_clear_error();
    BIO_free(bio);
    if (!ok) return absl::InvalidArgumentError("tls: the client certificate is not PEM");
    bio = BIO_new_mem_buf(config.key_pem.data(), static_cast<int>(config.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ok = key != nullptr && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    EVP_PKEY_free(key);
    if (!ok) return absl::InvalidArgumentError("tls: the client key is not a PEM private key");
    if (SSL_CTX_check_private_key(ctx) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError("tls: the client key does not match its certificate");
    }
  }
  if (!config.alpn.empty()) {
    std::string wire;  // length-prefixed protocol names
    for (const std::string& p : config.alpn) {
      if (p.empty() || p.size() > 255) {
        return absl::InvalidArgumentError(absl::StrCat("tls: bad ALPN protocol '", p, "'"));
      }
      wire.push_back(static_cast<char>(p.size()));
      wire += p;
    }
    if (SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                                static_cast<unsigned>(wire.size())) != 0) {
      return absl::InternalError("tls: cannot set ALPN: " + OpenSslError());
    }
  }
  return c;
}

TlsContext::~TlsContext() {
  for (SSL_SESSION* s : sessions_) SSL_SESSION_free(s);
  SSL_CTX_free(ctx_);
}

SSL_SESSION* TlsContext::CachedSession(size_t origin) const {
  return origin < sessions_.size() ? sessions_[origin] : nullptr;
}

void TlsContext::StoreSession(size_t origin, SSL_SESSION* session) {
  if (origin >= sessions_.size()) sessions_.resize(origin + 1, nullptr);
  SSL_SESSION_free(sessions_[origin]);  // null-safe
  sessions_[origin] = session;
}

TlsSession::~TlsSession() { Close(); }

absl::Status TlsSession::Open(TlsContext& context, int fd, const std::string& host,
                              size_t origin) {
  Close();
  context_ = &context;
  origin_ = origin;
  failure_ = ErrorReason::kNone;
  ssl_ = SSL_new(context.ctx());
  if (ssl_ == nullptr) return absl::InternalError("tls: SSL_new: " + OpenSslError());
  SSL_set_app_data(ssl_, &origin_);
  SSL_set_fd(ssl_, fd);
  SSL_set_connect_state(ssl_);
  in6_addr ip6;
  in_addr ip4;
  const bool literal = inet_pton(AF_INET, host.c_str(), &ip4) == 1 ||
                       inet_pton(AF_INET6, host.c_str(), &ip6) == 1;
  if (!literal) SSL_set_tlsext_host_name(ssl_, host.c_str());  // SNI: names only
  if (context.verify()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int set = literal ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                            : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    if (set != 1) return absl::InternalError("tls: cannot set the host to verify");
  }
  if (SSL_SESSION* cached = context.CachedSession(origin)) SSL_set_session(ssl_, cached);
  return absl::OkStatus();
}

TlsIo TlsSession::Classify(int rc) {
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ: return TlsIo::kWantRead;
    case SSL_ERROR_WANT_WRITE: return TlsIo::kWantWrite;
    case SSL_ERROR_ZERO_RETURN: return TlsIo::kClosed;
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      // EOF without close_notify (errno 0) is a close, as for cleartext.
      if (errno == 0) return TlsIo::kClosed;
      return TlsIo::kError;
    default:
      ERR_clear_error();
      errno = EPROTO;
      return TlsIo::kError;
  }
}

TlsIo TlsSession::Handshake() {
  errno = 0;
  const int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    if (SSL_session_reused(ssl_)) context_->CountResumed();
    return TlsIo::kDone;
  }
  const int error = SSL_get_error(ssl_, rc);
  if (error == SSL_ERROR_WANT_READ) return TlsIo::kWantRead;
  if (error == SSL_ERROR_WANT_WRITE) return TlsIo::kWantWrite;
  const long verify = SSL_get_verify_result(ssl_);
  failure_ = verify != X509_V_OK ? VerifyReason(verify) : ErrorReason::kTlsHandshake;
  ERR_clear_error();
  return TlsIo::kError;
}

std::string TlsSession::alpn() const {
  const unsigned char* p = nullptr;
  unsigned int n = 0;
  if (ssl_ != nullptr) SSL_get0_alpn_selected(ssl_, &p, &n);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}

bool TlsSession::resumed() const { return ssl_ != nullptr && SSL_session_reused(ssl_) == 1; }

TlsTransfer TlsSession::Read(char* buffer, size_t size) {
  errno = 0;
  size_t n = 0;
  const int rc = SSL_read_ex(ssl_, buffer, size, &n);
  if (rc == 1) return {TlsIo::kDone, n};
  return {Classify(rc), 0};
}

TlsTransfer TlsSession::Write(const char* data, size_t size) {
  errno = 0;
  size_t n = 0;
  const int rc = SSL_write_ex(ssl_, data, size, &n);
  if (rc == 1) return {TlsIo::kDone, n};
  return {Classify(rc), 0};
}

bool TlsSession::pending() const { return ssl_ != nullptr && SSL_has_pending(ssl_) == 1; }

void TlsSession::Close() {
  if (ssl_ == nullptr) return;
  // Marked as shut down, or SSL_free would make its session (the one in
  // the cache, for TLS 1.3) not resumable.
  SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(ssl_);
  ssl_ = nullptr;
}

ssize_t TlsTransport::Map(TlsTransfer t) {
  switch (t.io) {
    case TlsIo::kDone: return static_cast<ssize_t>(t.bytes);
    case TlsIo::kClosed: return 0;
    case TlsIo::kWantRead:
    case TlsIo::kWantWrite:
      wants_write_ = t.io == TlsIo::kWantWrite;
      errno = EAGAIN;
      return -1;
    case TlsIo::kError: break;
  }
  if (errno == 0 || errno == EAGAIN) errno = EPROTO;
  return -1;
}

ssize_t TlsTransport::Read(char* data, size_t size) { return Map(session_.Read(data, size)); }

ssize_t TlsTransport::Write(const char* data, size_t size) {
  wants_write_ = false;
  return Map(session_.Write(data, size));
}

}  // namespace barrage
