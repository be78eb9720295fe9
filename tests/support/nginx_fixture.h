// Copyright 2026 The Barrage Authors.
//
// NginxFixture: a private nginx (Debian's nginx-light) on a free loopback
// port, with its own prefix, config, logs and pid in a temporary directory.
// Its access log records the protocol of every request, so tests can count
// exactly what arrived and how. Started and stopped by the test itself.
#ifndef BARRAGE_TESTS_SUPPORT_NGINX_FIXTURE_H_
#define BARRAGE_TESTS_SUPPORT_NGINX_FIXTURE_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace barrage::testing {

class NginxFixture {
 public:
  NginxFixture() = default;
  ~NginxFixture();
  NginxFixture(const NginxFixture&) = delete;
  NginxFixture& operator=(const NginxFixture&) = delete;

  enum class Mode {
    kHttp11,  // plain HTTP/1.1
    kH2c,     // plain HTTP/2 with prior knowledge
    kTls,     // https with HTTP/2 by ALPN (and 1.1), self-signed for 127.0.0.1
  };
  // FailedPrecondition when nginx (or openssl, for kTls) is not installed;
  // tests then skip.
  absl::Status Start(Mode mode = Mode::kHttp11);
  // https over HTTP/1.1 only (http2: HTTP/2 by ALPN too), with these PEM
  // files (TestCerts); client_ca
  // set: clients must present a certificate it signed (ssl_verify_client
  // on; nginx answers 400 without one). TLS sessions are cached server-side
  // and by tickets, so clients can resume them.
  struct TlsFiles {
    std::string cert;
    std::string key;
    std::string client_ca;
    std::string protocols;  // ssl_protocols, e.g. "TLSv1.2"; "" = nginx's default
    bool http2 = false;     // offer h2 in ALPN as well
  };
  absl::Status StartTls(const TlsFiles& files);
  void Stop();

  int port() const { return port_; }
  std::string url() const;  // http:// or https://127.0.0.1:PORT
  // kTls: the PEM certificate (its own CA) to verify the server with.
  std::string ca_file() const { return dir_ + "/cert.pem"; }
  // The access log, a line per request: "$server_protocol $status
  // $ssl_session_reused" ("r" on a resumed TLS session, "." otherwise). (The
  // file also logs each request's $connection, which DistinctConnections
  // counts.)
  std::vector<std::string> AccessLog() const;
  // Lines in the access log (one per request), and those whose protocol
  // field equals `protocol` ("HTTP/1.1", "HTTP/2.0").
  int AccessLogLines(const std::string& protocol = "") const;
  // How many different connections the logged requests came on.
  int DistinctConnections() const;
  // nginx logs a request just after answering it: the lines once `want`
  // have been written, or what there is after 5 s.
  int AwaitAccessLogLines(const std::string& protocol, int want) const;

 private:
  std::string dir_;
  int port_ = 0;
  bool tls_ = false;
  TlsFiles files_;  // StartTls: cert set
  pid_t pid_ = -1;
};

// A loopback TCP port that was free a moment ago (bound, then closed).
int FreeLoopbackPort();

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_NGINX_FIXTURE_H_
