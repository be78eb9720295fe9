// Copyright 2026 The Barrage Authors.
//
// Http2Driver over TLS against a real nginx on loopback (ALPN h2), with a
// test CA and its certificates (TestCerts): multiplexing over exactly N
// connections, the measured phases, the refusals a load test must name
// (wrong host, unknown CA, expired, a server that does not speak h2), and
// session resumption across the driver's connections.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "agent/http/http2_driver.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/test_certs.h"

namespace barrage {
namespace {

using testing::NginxFixture;
using testing::TestCerts;

HttpRequestTemplate Get(const std::string& url) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = "GET";
  t.url = url;
  t.timeout = absl::Seconds(5);
  return t;
}

// Polls until `count` results have arrived (10 s at most).
std::vector<HttpResult> Await(HttpClient& client, size_t count) {
  std::vector<HttpResult> out;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (out.size() < count && absl::Now() < give_up) {
    client.Poll(5'000'000, [&out](const HttpResult& r) { out.push_back(r); });
  }
  REQUIRE(out.size() == count);
  return out;
}

// The certificates and an nginx serving `cert` over TLS, h2 by ALPN unless
// `http2` is false (skips without the tools).
struct Setup {
  TestCerts certs;
  NginxFixture nginx;
  HttpClientOptions options;

  explicit Setup(const std::string& cert, bool http2 = true) {
    if (absl::Status s = certs.Make(); !s.ok()) SKIP(s.message());
    NginxFixture::TlsFiles files{certs.Path(cert), certs.Path("server.key"), "", ""};
    files.http2 = http2;
    const absl::Status s = nginx.StartTls(files);
    if (absl::IsFailedPrecondition(s)) SKIP(s.message());
    REQUIRE(s.ok());
    options.http = HttpVersion::kHttp2;
    options.max_in_flight = 200;
    options.h2_connections = 1;
    options.h2_max_streams = 100;
    options.ca_pem = certs.Pem("ca.pem");
  }

  std::unique_ptr<Http2Driver> Driver() {
    absl::StatusOr<std::unique_ptr<Http2Driver>> c =
        Http2Driver::Create({Get(nginx.url() + "/")}, options, SystemClock());
    REQUIRE(c.ok());
    return std::move(*c);
  }
};

TEST_CASE("h2 over TLS multiplexes 50 streams over exactly 5 verified connections") {
  Setup setup("server.pem");
  setup.options.h2_connections = 5;
  setup.options.h2_max_streams = 10;
  auto client = setup.Driver();
  CHECK(std::string(client->name()) == "native-h2");
  std::vector<HttpResult> all;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 50; ++i) client->Start(0, static_cast<uint64_t>(round * 50 + i));
    CHECK(client->queued() == 0);  // 5 x 10 streams hold them all
    std::vector<HttpResult> got = Await(*client, 50);
    all.insert(all.end(), got.begin(), got.end());
  }
  int with_phases = 0;
  for (const HttpResult& r : all) {
    CHECK(r.outcome == Outcome::kOk);
    CHECK(r.status == 200);
    CHECK(r.ttfb_ns > 0);
    if (r.tls_ns >= 0) {
      // The request that opened its connection: TCP and handshake times.
      ++with_phases;
      CHECK(r.connect_ns >= 0);
      CHECK(r.tls_ns > 0);
      CHECK(r.ttfb_ns >= r.connect_ns + r.tls_ns);
    } else {
      CHECK(r.connect_ns == -1);
    }
  }
  CHECK(with_phases == 5);
  CHECK(client->connections_opened() == 5);
  CHECK(setup.nginx.AwaitAccessLogLines("HTTP/2.0", 200) == 200);
  CHECK(setup.nginx.DistinctConnections() == 5);
}

TEST_CASE("h2 over TLS refuses a certificate for another host name") {
  Setup setup("wrong.pem");
  auto client = setup.Driver();
  client->Start(0, 0);
  client->Start(0, 1);
  for (const HttpResult& r : Await(*client, 2)) {
    CHECK(r.outcome == Outcome::kConnectError);
    CHECK(r.reason == ErrorReason::kTlsHostname);
    CHECK(std::string(ErrorReasonName(r.reason)) == "tls: hostname mismatch");
  }
  CHECK(setup.nginx.AccessLogLines() == 0);  // no request was sent
}

TEST_CASE("h2 over TLS names an untrusted or expired certificate, or verifies nothing") {
  SECTION("unknown CA") {
    Setup setup("server.pem");
    setup.options.ca_pem.clear();
    auto client = setup.Driver();
    client->Start(0, 0);
    const HttpResult r = Await(*client, 1)[0];
    CHECK(r.outcome == Outcome::kConnectError);
    CHECK(r.reason == ErrorReason::kTlsUnknownCa);
  }
  SECTION("expired") {
    Setup setup("expired.pem");
    auto client = setup.Driver();
    client->Start(0, 0);
    CHECK(Await(*client, 1)[0].reason == ErrorReason::kTlsExpired);
  }
  SECTION("verify: false") {
    Setup setup("wrong.pem");
    setup.options.ca_pem.clear();
    setup.options.insecure = true;
    auto client = setup.Driver();
    client->Start(0, 0);
    CHECK(Await(*client, 1)[0].outcome == Outcome::kOk);
  }
}

TEST_CASE("a server that does not pick h2 in ALPN is a clear connect error") {
  Setup setup("server.pem", /*http2=*/false);
  auto client = setup.Driver();
  client->Start(0, 0);
  const HttpResult r = Await(*client, 1)[0];
  CHECK(r.outcome == Outcome::kConnectError);
  CHECK(r.reason == ErrorReason::kTlsNoH2);
  CHECK(std::string(ErrorReasonName(r.reason)) == "tls: server did not negotiate h2");
  CHECK(r.tls_ns > 0);  // the handshake itself finished
  CHECK(setup.nginx.AccessLogLines() == 0);
}

TEST_CASE("the driver's second h2 connection resumes the first one's TLS session") {
  Setup setup("server.pem");
  setup.options.h2_connections = 2;
  auto client = setup.Driver();
  // The first request opens connection 1; once it is answered (the session
  // ticket came with it), the next goes round robin to connection 2.
  client->Start(0, 0);
  CHECK(Await(*client, 1)[0].outcome == Outcome::kOk);
  client->Start(0, 1);
  const HttpResult second = Await(*client, 1)[0];
  CHECK(second.outcome == Outcome::kOk);
  CHECK(second.tls_ns > 0);
  CHECK(client->connections_opened() == 2);
  CHECK(client->tls_resumed() == 1);
  REQUIRE(setup.nginx.AwaitAccessLogLines("HTTP/2.0", 2) == 2);
  CHECK(setup.nginx.AccessLog() ==
        std::vector<std::string>{"HTTP/2.0 200 .", "HTTP/2.0 200 r"});
  CHECK(setup.nginx.DistinctConnections() == 2);
}

TEST_CASE("h2 over TLS goes to libcurl only when curl is asked for") {
  HttpClientOptions options;
  options.http = HttpVersion::kHttp2;
  options.insecure = true;
  auto native = MakeHttpClient({Get("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(native.ok());
  CHECK(std::string((*native)->name()) == "native-h2");
  options.engine = HttpEngine::kCurl;
  auto curl = MakeHttpClient({Get("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(curl.ok());
  CHECK(std::string((*curl)->name()) == "libcurl");
}

}  // namespace
}  // namespace barrage
