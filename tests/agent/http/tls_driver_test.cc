// Copyright 2026 The Barrage Authors.
//
// The native driver over TLS against a real nginx on loopback, with a test
// CA and its certificates (TestCerts): verification against the CA or off,
// the refusals a load test must name (wrong host, expired, unknown CA),
// session resumption seen in nginx's log, client certificates, and the
// measured phases (connect, handshake, first byte).

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "agent/http/http1_driver.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/test_certs.h"

namespace barrage {
namespace {

using testing::NginxFixture;
using testing::TestCerts;

HttpRequestTemplate Get(const std::string& url, HeaderList headers = {}) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = "GET";
  t.url = url;
  t.headers = std::move(headers);
  t.timeout = absl::Seconds(5);
  return t;
}

std::unique_ptr<Http1Driver> Native(std::vector<HttpRequestTemplate> t,
                                    const HttpClientOptions& options) {
  absl::StatusOr<std::unique_ptr<Http1Driver>> c =
      Http1Driver::Create(std::move(t), options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
}

// Fires template 0 `n` times, each after the previous one's result.
std::vector<HttpResult> OneByOne(HttpClient& client, int n) {
  std::vector<HttpResult> out;
  for (int i = 0; i < n; ++i) {
    client.Start(0, static_cast<uint64_t>(i));
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (out.size() < static_cast<size_t>(i + 1) && absl::Now() < give_up) {
      client.Poll(5'000'000, [&out](const HttpResult& r) { out.push_back(r); });
    }
    REQUIRE(out.size() == static_cast<size_t>(i + 1));
  }
  return out;
}

// The certificates and an nginx serving `cert` (skips without the tools).
struct Setup {
  TestCerts certs;
  NginxFixture nginx;
  HttpClientOptions options;

  explicit Setup(const std::string& cert, bool require_client_cert = false,
                 const std::string& protocols = "") {
    if (absl::Status s = certs.Make(); !s.ok()) SKIP(s.message());
    NginxFixture::TlsFiles files{certs.Path(cert), certs.Path("server.key"),
                                 require_client_cert ? certs.Path("ca.pem") : "", protocols};
    const absl::Status s = nginx.StartTls(files);
    if (absl::IsFailedPrecondition(s)) SKIP(s.message());
    REQUIRE(s.ok());
    options.max_in_flight = 16;
    options.ca_pem = certs.Pem("ca.pem");
  }
};

TEST_CASE("https verified against the scenario's CA keeps one connection alive") {
  Setup setup("server.pem");
  auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
  const std::vector<HttpResult> r = OneByOne(*client, 20);
  for (const HttpResult& result : r) {
    CHECK(result.outcome == Outcome::kOk);
    CHECK(result.status == 200);
    CHECK(result.ttfb_ns > 0);
  }
  CHECK(client->connections_opened() == 1);
  // The phases of the request that opened the connection, none after.
  CHECK(r[0].connect_ns >= 0);
  CHECK(r[0].tls_ns > 0);
  CHECK(r[0].ttfb_ns >= r[0].connect_ns + r[0].tls_ns);
  CHECK(r[1].connect_ns == -1);
  CHECK(r[1].tls_ns == -1);
  CHECK(r[0].bytes_received == r[1].bytes_received);  // plaintext HTTP bytes
  CHECK(setup.nginx.AwaitAccessLogLines("HTTP/1.1", 20) == 20);
}

TEST_CASE("https by host name: SNI and the certificate's DNS name") {
  Setup setup("server.pem");
  auto client = Native({Get("https://localhost:" + std::to_string(setup.nginx.port()) + "/")},
                       setup.options);
  CHECK(OneByOne(*client, 1)[0].outcome == Outcome::kOk);
}

TEST_CASE("an untrusted certificate is refused unless the scenario turns verify off") {
  Setup setup("server.pem");
  SECTION("the system store does not know the test CA") {
    setup.options.ca_pem.clear();
    auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
    const HttpResult r = OneByOne(*client, 1)[0];
    CHECK(r.outcome == Outcome::kConnectError);
    CHECK(r.reason == ErrorReason::kTlsUnknownCa);
    CHECK(std::string(ErrorReasonName(r.reason)) == "tls: unknown CA");
  }
  SECTION("verify: false") {
    setup.options.ca_pem.clear();
    setup.options.insecure = true;
    auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
    CHECK(OneByOne(*client, 1)[0].outcome == Outcome::kOk);
  }
}

TEST_CASE("a certificate for another host name is refused as a hostname mismatch") {
  Setup setup("wrong.pem");
  auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
  const std::vector<HttpResult> r = OneByOne(*client, 2);
  for (const HttpResult& result : r) {
    CHECK(result.outcome == Outcome::kConnectError);
    CHECK(result.reason == ErrorReason::kTlsHostname);
    CHECK(result.status == 0);
  }
  CHECK(std::string(ErrorReasonName(ErrorReason::kTlsHostname)) == "tls: hostname mismatch");
  CHECK(setup.nginx.AccessLogLines() == 0);  // no request was sent
}

TEST_CASE("an expired certificate is refused") {
  Setup setup("expired.pem");
  auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
  const HttpResult r = OneByOne(*client, 1)[0];
  CHECK(r.outcome == Outcome::kConnectError);
  CHECK(r.reason == ErrorReason::kTlsExpired);
  CHECK(std::string(ErrorReasonName(r.reason)) == "tls: certificate expired");
}

TEST_CASE("new connections of a driver resume its TLS session") {
  Setup setup("server.pem");
  // Connection: close makes every request open (and handshake) anew.
  auto client = Native({Get(setup.nginx.url() + "/", {{"Connection", "close"}})},
                       setup.options);
  const std::vector<HttpResult> r = OneByOne(*client, 6);
  for (const HttpResult& result : r) {
    CHECK(result.outcome == Outcome::kOk);
    CHECK(result.tls_ns > 0);
  }
  CHECK(client->connections_opened() == 6);
  CHECK(client->tls_resumed() == 5);
  REQUIRE(setup.nginx.AwaitAccessLogLines("HTTP/1.1", 6) == 6);
  const std::vector<std::string> log = setup.nginx.AccessLog();
  REQUIRE(log.size() == 6);
  CHECK(log[0] == "HTTP/1.1 200 .");
  for (size_t i = 1; i < log.size(); ++i) CHECK(log[i] == "HTTP/1.1 200 r");
}

TEST_CASE("TLS 1.2 targets are verified and their sessions resumed too") {
  Setup setup("server.pem", false, "TLSv1.2");
  auto client = Native({Get(setup.nginx.url() + "/", {{"Connection", "close"}})},
                       setup.options);
  const std::vector<HttpResult> r = OneByOne(*client, 3);
  for (const HttpResult& result : r) CHECK(result.outcome == Outcome::kOk);
  CHECK(client->tls_resumed() == 2);
  REQUIRE(setup.nginx.AwaitAccessLogLines("HTTP/1.1", 3) == 3);
  const std::vector<std::string> log = setup.nginx.AccessLog();
  CHECK(log == std::vector<std::string>{"HTTP/1.1 200 .", "HTTP/1.1 200 r", "HTTP/1.1 200 r"});
}

TEST_CASE("a target that requires a client certificate gets one") {
  Setup setup("server.pem", /*require_client_cert=*/true);
  SECTION("with the scenario's cert and key") {
    setup.options.cert_pem = setup.certs.Pem("client.pem");
    setup.options.key_pem = setup.certs.Pem("client.key");
    auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
    const HttpResult r = OneByOne(*client, 1)[0];
    CHECK(r.outcome == Outcome::kOk);
    CHECK(r.status == 200);
  }
  SECTION("without: nginx refuses the request") {
    auto client = Native({Get(setup.nginx.url() + "/")}, setup.options);
    const HttpResult r = OneByOne(*client, 1)[0];
    CHECK(r.outcome == Outcome::kHttpError);
    CHECK(r.status == 400);
  }
  SECTION("libcurl sends the same certificate") {
    setup.options.cert_pem = setup.certs.Pem("client.pem");
    setup.options.key_pem = setup.certs.Pem("client.key");
    setup.options.engine = HttpEngine::kCurl;
    auto client = MakeHttpClient({Get(setup.nginx.url() + "/")}, setup.options, SystemClock());
    REQUIRE(client.ok());
    CHECK(std::string((*client)->name()) == "libcurl");
    CHECK(OneByOne(**client, 1)[0].status == 200);
  }
}

TEST_CASE("a client certificate without its key is refused when the driver is made") {
  HttpClientOptions options;
  options.cert_pem = "-----BEGIN CERTIFICATE-----\n";
  absl::StatusOr<std::unique_ptr<Http1Driver>> c =
      Http1Driver::Create({Get("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() == "tls: a client certificate needs both cert and key");
}

TEST_CASE("https over HTTP/1.1 goes to the native driver unless curl is asked for") {
  HttpClientOptions options;
  options.insecure = true;
  auto native = MakeHttpClient({Get("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(native.ok());
  CHECK(std::string((*native)->name()) == "native-http1");
  options.engine = HttpEngine::kCurl;
  auto curl = MakeHttpClient({Get("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(curl.ok());
  CHECK(std::string((*curl)->name()) == "libcurl");
}

}  // namespace
}  // namespace barrage
