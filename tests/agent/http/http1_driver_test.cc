// Copyright 2026 The Barrage Authors.
//
// Http1Driver against real sockets on loopback: a ScriptedServer whose
// replies are written byte for byte (bodies cut into pieces, closes at every
// point, garbage, silence), with libcurl's driver as the reference for what
// goes on the wire.

#include "agent/http/http1_driver.h"

#include <cerrno>
#include <memory>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "agent/http/error_reasons.h"
#include "tools/target/target_server.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/scripted_server.h"
#include "tests/support/test_certs.h"

namespace barrage {
namespace {

using testing::FreeLoopbackPort;
using testing::ScriptedServer;
using Reply = ScriptedServer::Reply;

constexpr char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

// A reply of `pieces`, after `delay`, closing the connection if `close`.
Reply Answer(std::vector<std::string> pieces, absl::Duration delay = absl::ZeroDuration(),
             bool close = false) {
  Reply r;
  r.pieces = std::move(pieces);
  r.delay = delay;
  r.close = close;
  return r;
}

HttpRequestTemplate Tpl(const std::string& url, const std::string& method = "GET",
                        HeaderList headers = {}, const std::string& body = "",
                        absl::Duration timeout = absl::Seconds(5)) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = method;
  t.url = url;
  t.headers = std::move(headers);
  t.body = body;
  t.timeout = timeout;
  return t;
}

std::unique_ptr<HttpClient> Make(HttpEngine engine, std::vector<HttpRequestTemplate> t) {
  HttpClientOptions options;
  options.engine = engine;
  options.max_in_flight = 64;
  absl::StatusOr<std::unique_ptr<HttpClient>> c =
      MakeHttpClient(std::move(t), options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
}

std::unique_ptr<HttpClient> Native(std::vector<HttpRequestTemplate> t) {
  HttpClientOptions options;
  options.max_in_flight = 64;
  absl::StatusOr<std::unique_ptr<Http1Driver>> c =
      Http1Driver::Create(std::move(t), options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
}

// Polls until `more` results have been added to `out` (10 s at most).
void Await(HttpClient& client, size_t more, std::vector<HttpResult>& out) {
  const size_t count = out.size() + more;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (out.size() < count && absl::Now() < give_up) {
    client.Poll(5'000'000, [&out](const HttpResult& r) { out.push_back(r); });
  }
  REQUIRE(out.size() == count);
}

std::vector<HttpResult> Await(HttpClient& client, size_t count) {
  std::vector<HttpResult> out;
  Await(client, count, out);
  return out;
}

// Fires template `tpl` `n` times, each after the previous one's result.
std::vector<HttpResult> OneByOne(HttpClient& client, int n, size_t tpl = 0) {
  std::vector<HttpResult> out;
  for (int i = 0; i < n; ++i) {
    client.Start(tpl, static_cast<uint64_t>(i));
    Await(client, 1, out);
  }
  return out;
}

int CountOutcome(const std::vector<HttpResult>& results, Outcome outcome) {
  int n = 0;
  for (const HttpResult& r : results) n += r.outcome == outcome ? 1 : 0;
  return n;
}

// Sends every template once with each engine to `server`, and compares
// the bytes the server read.
void CheckSameWire(ScriptedServer& server, const HttpClientOptions& base) {
  const std::string url = server.url();
  const std::vector<HttpRequestTemplate> templates = {
      Tpl(url + "/plain?q=1&r=%20"),
      Tpl(url + "/h", "GET", {{"X-Trace", "abc"}, {"User-Agent", "mine"}, {"Accept", ""}}),
      Tpl(url + "/json", "POST", {{"Content-Type", "application/json"}}, R"({"a":1})"),
      Tpl(url + "/form", "POST", {}, "a=1&b=2"),
      Tpl(url + "/put", "PUT", {}, "body"),
      Tpl(url + "/head", "HEAD"),
      Tpl(url + "/del", "DELETE"),
      Tpl(url, "GET", {{"Host", "example.test"}}),
  };
  std::vector<std::string> names;
  for (HttpEngine engine : {HttpEngine::kCurl, HttpEngine::kAuto}) {
    HttpClientOptions options = base;
    options.engine = engine;
    options.max_in_flight = 64;
    absl::StatusOr<std::unique_ptr<HttpClient>> client =
        MakeHttpClient(templates, options, SystemClock());
    REQUIRE(client.ok());
    names.push_back((*client)->name());
    for (size_t i = 0; i < templates.size(); ++i) {
      (*client)->Start(i, i);
      CHECK(Await(**client, 1)[0].outcome == Outcome::kOk);
    }
  }
  CHECK(names == std::vector<std::string>{"libcurl", "native-http1"});
  const std::vector<std::string> seen = server.requests();
  REQUIRE(seen.size() == 2 * templates.size());
  for (size_t i = 0; i < templates.size(); ++i) {
    INFO(templates[i].method << " " << templates[i].url);
    CHECK(seen[templates.size() + i] == seen[i]);
  }
  CHECK(seen[0].rfind("GET /plain?q=1&r=%20 HTTP/1.1\r\nHost: 127.0.0.1:", 0) == 0);
}

TEST_CASE("the native driver sends what libcurl sends") {
  ScriptedServer server([](int) { return Answer({kOk}); });
  REQUIRE(server.Start().ok());
  CheckSameWire(server, HttpClientOptions());
}

TEST_CASE("over https the native driver sends what libcurl sends") {
  testing::TestCerts certs;
  if (absl::Status s = certs.Make(); !s.ok()) SKIP(s.message());
  ScriptedServer server([](int) { return Answer({kOk}); });
  REQUIRE(server.StartTls(certs.Path("server.pem"), certs.Path("server.key")).ok());
  HttpClientOptions options;
  options.ca_pem = certs.Pem("ca.pem");
  CheckSameWire(server, options);
}

TEST_CASE("results carry status, outcome and exact byte counts") {
  const std::string response = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello";
  ScriptedServer server([&](int) { return Answer({response}); });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/p", "POST", {}, "xyz")});
  const std::vector<HttpResult> r = OneByOne(*client, 1);
  CHECK(r[0].outcome == Outcome::kOk);
  CHECK(r[0].status == 201);
  CHECK(r[0].bytes_sent == server.requests()[0].size());
  CHECK(r[0].bytes_received == response.size());
}

TEST_CASE("sequential requests share one kept-alive connection") {
  ScriptedServer server([](int) { return Answer({kOk}); });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  const std::vector<HttpResult> r = OneByOne(*client, 50);
  CHECK(CountOutcome(r, Outcome::kOk) == 50);
  CHECK(server.connections() == 1);
  CHECK(client->connections_opened() == 1);
}

TEST_CASE("concurrent requests get a connection each, reused afterwards") {
  ScriptedServer server([](int) { return Answer({kOk}, absl::Milliseconds(20)); });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  for (int round = 0; round < 3; ++round) {
    for (uint64_t i = 0; i < 8; ++i) client->Start(0, i);
    CHECK(client->in_flight() == 8);
    CHECK(CountOutcome(Await(*client, 8), Outcome::kOk) == 8);
  }
  CHECK(server.connections() == 8);
  CHECK(client->in_flight() == 0);
}

TEST_CASE("responses cut into pieces are reassembled") {
  const Reply reply = GENERATE(
      Answer({"HTTP/1.1 200 OK\r\nTransfer-", "Encoding: chunked\r\n\r\n4\r\nwi",
              "ki\r\n5\r\npedia\r\n0", "\r\n\r\n"}),
      Answer({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", "56789"}),
      Answer({"HTTP/1.1 100 Continue\r\n\r\n",
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}));
  ScriptedServer server([&](int) { return reply; });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  const std::vector<HttpResult> r = OneByOne(*client, 3);
  CHECK(CountOutcome(r, Outcome::kOk) == 3);
  CHECK(server.connections() == 1);
  size_t size = 0;
  for (const std::string& piece : reply.pieces) size += piece.size();
  CHECK(r[0].bytes_received == size);
}

TEST_CASE("large bodies are read through, in any framing") {
  const std::string body(3 * 1024 * 1024 + 17, 'b');
  const std::string chunk(100'000, 'c');
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "186a0\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  const std::string response = GENERATE_COPY(
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
      chunked);
  ScriptedServer server([&](int) { return Answer({response}); });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  const std::vector<HttpResult> r = OneByOne(*client, 3);
  CHECK(CountOutcome(r, Outcome::kOk) == 3);
  for (const HttpResult& result : r) CHECK(result.bytes_received == response.size());
  CHECK(server.connections() == 1);
}

TEST_CASE("a server that ends connections is followed") {
  SECTION("Connection: close") {
    ScriptedServer server([](int) {
      return Answer({"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"},
                    absl::ZeroDuration(), true);
    });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(CountOutcome(OneByOne(*client, 5), Outcome::kOk) == 5);
    CHECK(server.connections() == 5);
  }
  SECTION("HTTP/1.0, body until the close") {
    const std::string response = "HTTP/1.0 200 OK\r\n\r\nuntil close";
    ScriptedServer server([&](int) {
      return Answer({response}, absl::ZeroDuration(), true);
    });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    const std::vector<HttpResult> r = OneByOne(*client, 3);
    CHECK(CountOutcome(r, Outcome::kOk) == 3);
    CHECK(r[0].bytes_received == response.size());
    CHECK(server.connections() == 3);
  }
}

TEST_CASE("a kept-alive connection the server closed is not a failed request") {
  // The server answers as if it kept the connection, then closes it, like
  // an idle timeout. However the close is noticed (idle, or on the next
  // send), every request succeeds, each on a fresh connection.
  ScriptedServer server([](int) {
    return Answer({kOk}, absl::ZeroDuration(), true);
  });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  SECTION("noticed while idle") {
    CHECK(CountOutcome(OneByOne(*client, 5), Outcome::kOk) == 5);
  }
  SECTION("noticed only when the next request goes out on it") {
    std::vector<HttpResult> r;
    for (int i = 0; i < 5; ++i) {
      const absl::Time give_up = absl::Now() + absl::Seconds(10);
      while (server.closed() < i && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
      REQUIRE(server.closed() == i);
      client->Start(0, static_cast<uint64_t>(i));  // no Poll since the close
      Await(*client, 1, r);
    }
    CHECK(CountOutcome(r, Outcome::kOk) == 5);
  }
  CHECK(server.connections() == 5);
  CHECK(server.requests().size() == 5);
}

TEST_CASE("failures are classified and never retried on a fresh connection") {
  SECTION("closed before any response") {
    ScriptedServer server([](int) { return Answer({}, absl::ZeroDuration(), true); });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(CountOutcome(OneByOne(*client, 3), Outcome::kOther) == 3);
    CHECK(server.requests().size() == 3);  // one try each
  }
  SECTION("closed mid-body") {
    ScriptedServer server([](int) {
      return Answer({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"},
                    absl::ZeroDuration(), true);
    });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(CountOutcome(OneByOne(*client, 3), Outcome::kOther) == 3);
    CHECK(server.requests().size() == 3);
  }
  SECTION("garbage") {
    ScriptedServer server([](int) { return Answer({"SSH-2.0-OpenSSH\r\n"}); });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(CountOutcome(OneByOne(*client, 3), Outcome::kOther) == 3);
    CHECK(server.connections() == 3);  // a connection that spoke garbage is dropped
  }
  SECTION("an unexpected status") {
    ScriptedServer server([](int) {
      return Answer({"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"});
    });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    const std::vector<HttpResult> r = OneByOne(*client, 3);
    CHECK(CountOutcome(r, Outcome::kHttpError) == 3);
    CHECK(r[0].status == 503);
    CHECK(server.connections() == 1);  // an error response keeps the connection
  }
  SECTION("a refused connection") {
    auto client = Native({Tpl(absl::StrCat("http://127.0.0.1:", FreeLoopbackPort(), "/"))});
    const std::vector<HttpResult> r = OneByOne(*client, 3);
    CHECK(CountOutcome(r, Outcome::kConnectError) == 3);
    CHECK(r[0].status == 0);
  }
}

TEST_CASE("a silent server times out at the request's deadline") {
  ScriptedServer server([](int request) {
    return request == 0 ? Answer({kOk}, absl::Milliseconds(600)) : Answer({kOk});
  });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/", "GET", {}, "", absl::Milliseconds(150))});
  const absl::Time start = absl::Now();
  const std::vector<HttpResult> first = OneByOne(*client, 1);
  const absl::Duration took = absl::Now() - start;
  CHECK(first[0].outcome == Outcome::kTimeout);
  CHECK(took >= absl::Milliseconds(150));
  CHECK(took < absl::Milliseconds(550));  // not the server's 600 ms
  // The late reply never leaks into the next request: its connection is gone.
  const std::vector<HttpResult> next = OneByOne(*client, 1);
  CHECK(next[0].outcome == Outcome::kOk);
  CHECK(server.connections() == 2);
}

TEST_CASE("CancelAll ends in-flight requests as aborted, with their bytes sent") {
  for (HttpEngine engine : {HttpEngine::kAuto, HttpEngine::kCurl}) {
    CAPTURE(engine == HttpEngine::kCurl);
    ScriptedServer server([](int) { return Answer({kOk}, absl::Milliseconds(1000)); });
    REQUIRE(server.Start().ok());
    auto client = Make(engine, {Tpl(server.url() + "/")});
    for (uint64_t i = 0; i < 4; ++i) client->Start(0, i);
    // Until the server holds all four (they are sent; it has not answered).
    const absl::Time give_up = absl::Now() + absl::Seconds(5);
    while (server.requests().size() < 4 && absl::Now() < give_up) {
      client->Poll(5'000'000, [](const HttpResult&) { FAIL("no result before the cancel"); });
    }
    REQUIRE(server.requests().size() == 4);
    std::vector<HttpResult> aborted;
    client->CancelAll([&](const HttpResult& r) { aborted.push_back(r); });
    CHECK(client->in_flight() == 0);
    REQUIRE(aborted.size() == 4);
    for (const HttpResult& r : aborted) {
      CHECK(r.outcome == Outcome::kAborted);
      CHECK(r.reason == ErrorReason::kAborted);
      CHECK(r.bytes_sent > 0);
      CHECK(r.status == 0);
    }
    int results = 0;
    for (int i = 0; i < 3; ++i) client->Poll(50'000'000, [&](const HttpResult&) { ++results; });
    CHECK(results == 0);
  }
}

TEST_CASE("failures carry their reason") {
  SECTION("a refused connection") {
    auto client = Native({Tpl(absl::StrCat("http://127.0.0.1:", FreeLoopbackPort(), "/"))});
    const std::vector<HttpResult> r = OneByOne(*client, 1);
    CHECK(r[0].reason == ErrorReason::kConnectRefused);
    auto curl = Make(HttpEngine::kCurl,
                     {Tpl(absl::StrCat("http://127.0.0.1:", FreeLoopbackPort(), "/"))});
    CHECK(OneByOne(*curl, 1)[0].reason == ErrorReason::kConnectRefused);
  }
  SECTION("a timeout") {
    ScriptedServer server([](int) { return Answer({kOk}, absl::Milliseconds(600)); });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/", "GET", {}, "", absl::Milliseconds(100))});
    CHECK(OneByOne(*client, 1)[0].reason == ErrorReason::kTimeout);
  }
  SECTION("a malformed response") {
    ScriptedServer server([](int) { return Answer({"SSH-2.0-OpenSSH\r\n"}); });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(OneByOne(*client, 1)[0].reason == ErrorReason::kBadResponse);
  }
  SECTION("closed before any response") {
    ScriptedServer server([](int) { return Answer({}, absl::ZeroDuration(), true); });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    CHECK(OneByOne(*client, 1)[0].reason == ErrorReason::kClosed);
  }
  SECTION("an HTTP error has no reason but its status") {
    ScriptedServer server([](int) {
      return Answer({"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"});
    });
    REQUIRE(server.Start().ok());
    auto client = Native({Tpl(server.url() + "/")});
    const HttpResult r = OneByOne(*client, 1)[0];
    CHECK(r.reason == ErrorReason::kNone);
    CHECK(r.status == 503);
  }
}

TEST_CASE("errno and curl codes map to short reasons") {
  CHECK(ConnectReason(ECONNREFUSED) == ErrorReason::kConnectRefused);
  CHECK(ConnectReason(EHOSTUNREACH) == ErrorReason::kConnectUnreachable);
  CHECK(ConnectReason(ENETUNREACH) == ErrorReason::kConnectUnreachable);
  CHECK(ConnectReason(ETIMEDOUT) == ErrorReason::kConnectTimeout);
  CHECK(ConnectReason(EADDRNOTAVAIL) == ErrorReason::kConnectFailed);
  CHECK(IoReason(ECONNRESET, false) == ErrorReason::kReset);
  CHECK(IoReason(EPIPE, true) == ErrorReason::kReset);
  CHECK(IoReason(EIO, true) == ErrorReason::kSendFailed);
  CHECK(IoReason(EIO, false) == ErrorReason::kRecvFailed);
  CHECK(CurlReason(CURLE_PEER_FAILED_VERIFICATION, 0) == ErrorReason::kTlsVerify);
  CHECK(CurlReason(CURLE_SSL_CONNECT_ERROR, 0) == ErrorReason::kTlsHandshake);
  CHECK(CurlReason(CURLE_COULDNT_CONNECT, ECONNREFUSED) == ErrorReason::kConnectRefused);
  CHECK(CurlReason(CURLE_COULDNT_RESOLVE_HOST, 0) == ErrorReason::kDns);
  CHECK(CurlReason(CURLE_OPERATION_TIMEDOUT, 0) == ErrorReason::kTimeout);
  CHECK(CurlReason(CURLE_HTTP2, 0) == ErrorReason::kH2Protocol);
  CHECK(CurlReason(CURLE_HTTP2_STREAM, 0) == ErrorReason::kH2Protocol);
  CHECK(CurlReason(CURLE_GOT_NOTHING, 0) == ErrorReason::kClosed);
  CHECK(CurlReason(CURLE_RECV_ERROR, ECONNRESET) == ErrorReason::kReset);
  CHECK(CurlReason(CURLE_OUT_OF_MEMORY, 0) == ErrorReason::kOther);
  CHECK(std::string(ErrorReasonName(ErrorReason::kTlsVerify)) ==
        "tls: certificate verify failed");
  CHECK(std::string(ErrorReasonName(ErrorReason::kConnectRefused)) == "connect: refused");
}

TEST_CASE("Wakeup ends a long Poll from another thread") {
  ScriptedServer server([](int) { return Answer({kOk}); });
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")});
  std::thread waker([&] {
    absl::SleepFor(absl::Milliseconds(50));
    client->Wakeup();
  });
  const absl::Time start = absl::Now();
  client->Poll(30'000'000'000, [](const HttpResult&) {});
  waker.join();
  CHECK(absl::Now() - start < absl::Seconds(20));
}

TEST_CASE("IPv6 loopback targets work") {
  TargetServer::Options options;
  options.host = "::1";
  options.port = 0;
  TargetServer target(options);
  if (!target.Start().ok()) SKIP("no IPv6 loopback here");
  auto client = Native({Tpl(absl::StrCat("http://[::1]:", target.port(), "/v6"))});
  CHECK(CountOutcome(OneByOne(*client, 5), Outcome::kOk) == 5);
  CHECK(target.Stats().requests == 5);
  CHECK(client->connections_opened() == 1);
}

TEST_CASE("the native driver takes HTTP/1.1 over http and https") {
  HttpClientOptions h11;
  HttpClientOptions h2;
  h2.http = HttpVersion::kHttp2;
  CHECK(Http1Driver::Supports({Tpl("http://127.0.0.1:8080/x")}, h11));
  CHECK(Http1Driver::Supports({Tpl("http://[::1]:8080")}, h11));
  CHECK(Http1Driver::Supports({Tpl("http://localhost/x?y#frag")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://127.0.0.1:8080/x")}, h2));
  CHECK(Http1Driver::Supports({Tpl("https://127.0.0.1/x")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("https://127.0.0.1/x")}, h2));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://user:pw@127.0.0.1/x")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://127.0.0.1:99999/")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://127.0.0.1/a b")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://127.0.0.1/", "GET\r\nX")}, h11));
  CHECK_FALSE(Http1Driver::Supports({Tpl("http://127.0.0.1/", "GET", {{"X", "a\r\nY: b"}})}, h11));
  CHECK_FALSE(Http1Driver::Supports({}, h11));
  // Anything else (HTTP/2) stays with libcurl.
  CHECK(Http1Driver::Create({Tpl("https://127.0.0.1/")}, h2, SystemClock()).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("the native driver against nginx: exact counts over few connections") {
  testing::NginxFixture nginx;
  const absl::Status started = nginx.Start();
  if (started.code() == absl::StatusCode::kFailedPrecondition) SKIP(started.message());
  REQUIRE(started.ok());
  auto client = Native({Tpl(nginx.url() + "/a"), Tpl(nginx.url() + "/b", "POST", {}, "x=1")});
  std::vector<HttpResult> r;
  for (int i = 0; i < 300; ++i) {
    client->Start(static_cast<size_t>(i % 2), static_cast<uint64_t>(i));
    if (client->in_flight() == 10) Await(*client, 10, r);
  }
  Await(*client, 300 - r.size(), r);
  CHECK(CountOutcome(r, Outcome::kOk) == 300);
  CHECK(nginx.AwaitAccessLogLines("HTTP/1.1", 300) == 300);
  CHECK(client->connections_opened() <= 20);
}

}  // namespace
}  // namespace barrage
