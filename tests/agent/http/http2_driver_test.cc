// Copyright 2026 The Barrage Authors.
//
// Http2Driver against real sockets on loopback: nginx (h2c) for
// multiplexing over a fixed set of connections, and an H2ScriptedServer for
// what nginx seldom does (GOAWAY mid-burst, RST_STREAM, a lowered
// MAX_CONCURRENT_STREAMS, large bodies under flow control), with libcurl's
// driver as the reference for the header block.

#include "agent/http/http2_driver.h"

#include <algorithm>
#include <memory>
#include <set>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "tests/support/h2_scripted_server.h"
#include "tests/support/nginx_fixture.h"

namespace barrage {
namespace {

using testing::FreeLoopbackPort;
using testing::H2ScriptedServer;
using testing::NginxFixture;

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

HttpClientOptions H2(int connections, int max_streams) {
  HttpClientOptions options;
  options.http = HttpVersion::kHttp2;
  options.max_in_flight = 200;
  options.h2_connections = connections;
  options.h2_max_streams = max_streams;
  return options;
}

std::unique_ptr<Http2Driver> Native(std::vector<HttpRequestTemplate> t,
                                    HttpClientOptions options = H2(1, 100)) {
  absl::StatusOr<std::unique_ptr<Http2Driver>> c =
      Http2Driver::Create(std::move(t), options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
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

// Every token from 0 to n-1 came back exactly once.
void CheckEachTokenOnce(const std::vector<HttpResult>& results, size_t n) {
  std::set<uint64_t> tokens;
  for (const HttpResult& r : results) tokens.insert(r.token);
  CHECK(results.size() == n);
  CHECK(tokens.size() == n);
  CHECK(*tokens.rbegin() == n - 1);
}

int CountOutcome(const std::vector<HttpResult>& results, Outcome outcome) {
  return static_cast<int>(std::count_if(results.begin(), results.end(),
                                        [outcome](const auto& r) { return r.outcome == outcome; }));
}

TEST_CASE("h2c multiplexes 50 streams over exactly 5 connections to nginx") {
  NginxFixture nginx;
  if (absl::Status s = nginx.Start(NginxFixture::Mode::kH2c); !s.ok()) SKIP(s.message());
  auto client = Native({Tpl(nginx.url() + "/")}, H2(5, 10));
  CHECK(client->connection_slots() == 5);
  std::vector<HttpResult> all;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 50; ++i) client->Start(0, static_cast<uint64_t>(round * 50 + i));
    CHECK(client->in_flight() == 50);
    CHECK(client->queued() == 0);  // 5 x 10 streams hold them all
    std::vector<HttpResult> got = Await(*client, 50);
    all.insert(all.end(), got.begin(), got.end());
  }
  CheckEachTokenOnce(all, 200);
  CHECK(CountOutcome(all, Outcome::kOk) == 200);
  CHECK(all[0].status == 200);
  CHECK(all[0].bytes_sent > 0);
  CHECK(all[0].bytes_received > 0);
  CHECK(client->connections_opened() == 5);
  CHECK(nginx.AwaitAccessLogLines("HTTP/2.0", 200) == 200);
  CHECK(nginx.DistinctConnections() == 5);
}

TEST_CASE("MakeHttpClient picks the native driver for h2c unless the engine is curl") {
  const std::vector<HttpRequestTemplate> t = {Tpl("http://127.0.0.1:1/")};
  HttpClientOptions options = H2(0, 100);
  auto native = MakeHttpClient(t, options, SystemClock());
  REQUIRE(native.ok());
  CHECK(std::string((*native)->name()) == "native-h2c");
  options.engine = HttpEngine::kCurl;
  auto curl = MakeHttpClient(t, options, SystemClock());
  REQUIRE(curl.ok());
  CHECK(std::string((*curl)->name()) == "libcurl");
  // https goes native too (ALPN h2), unless the engine is curl.
  options.insecure = true;
  auto curl_tls = MakeHttpClient({Tpl("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(curl_tls.ok());
  CHECK(std::string((*curl_tls)->name()) == "libcurl");
  options.engine = HttpEngine::kAuto;
  auto tls = MakeHttpClient({Tpl("https://127.0.0.1:1/")}, options, SystemClock());
  REQUIRE(tls.ok());
  CHECK(std::string((*tls)->name()) == "native-h2");
}

TEST_CASE("h2c connections default to enough for max_in_flight at max_streams each") {
  HttpClientOptions options = H2(0, 100);
  options.max_in_flight = 250;
  CHECK(Native({Tpl("http://127.0.0.1:1/")}, options)->connection_slots() == 3);
}

TEST_CASE("a GOAWAY mid-burst retries the unprocessed streams once on a fresh connection") {
  H2ScriptedServer::Options o;
  o.goaway_after = 3;
  o.delay = absl::Milliseconds(20);
  H2ScriptedServer server(o);
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")}, H2(1, 100));
  for (uint64_t i = 0; i < 20; ++i) client->Start(0, i);
  const std::vector<HttpResult> results = Await(*client, 20);
  CheckEachTokenOnce(results, 20);
  CHECK(CountOutcome(results, Outcome::kOk) == 20);
  // Streams 1, 3 and 5 were processed; the other 17 went again.
  CHECK(client->retries() == 17);
  CHECK(client->connections_opened() == 2);
  CHECK(server.connections() == 2);
  CHECK(server.answered() == 20);
  CHECK(client->in_flight() == 0);
}

TEST_CASE("RST_STREAM ends its request with the code as the reason") {
  H2ScriptedServer server({});
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/reset"), Tpl(server.url() + "/")});
  client->Start(0, 1);
  client->Start(1, 2);
  std::vector<HttpResult> results = Await(*client, 2);
  std::sort(results.begin(), results.end(),
            [](const auto& a, const auto& b) { return a.token < b.token; });
  CHECK(results[0].outcome == Outcome::kOther);
  CHECK(results[0].reason == ErrorReason::kH2ResetRefused);
  CHECK(std::string(ErrorReasonName(results[0].reason)) ==
        "http2: stream reset (REFUSED_STREAM)");
  CHECK(results[1].outcome == Outcome::kOk);
  // The connection outlives the reset stream.
  client->Start(1, 3);
  CHECK(Await(*client, 1)[0].outcome == Outcome::kOk);
  CHECK(client->connections_opened() == 1);
}

TEST_CASE("a lowered MAX_CONCURRENT_STREAMS queues the excess, failing none") {
  H2ScriptedServer::Options o;
  o.lower_to = 2;
  o.delay = absl::Milliseconds(10);
  H2ScriptedServer server(o);
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/")}, H2(1, 10));
  client->Start(0, 0);  // its answer follows the lowering SETTINGS
  REQUIRE(Await(*client, 1)[0].outcome == Outcome::kOk);
  for (uint64_t i = 0; i < 20; ++i) client->Start(0, i);
  CHECK(client->queued() == 18);
  const std::vector<HttpResult> results = Await(*client, 20);
  CheckEachTokenOnce(results, 20);
  CHECK(CountOutcome(results, Outcome::kOk) == 20);
  CHECK(server.max_open_streams() <= 2);
  CHECK(client->connections_opened() == 1);
}

TEST_CASE("1 MiB bodies both ways pass the flow-control windows") {
  H2ScriptedServer server({});
  REQUIRE(server.Start().ok());
  const std::string mib(1 << 20, 'x');
  auto client = Native({Tpl(server.url() + "/echo", "POST", {}, mib), Tpl(server.url() + "/big")});
  for (uint64_t i = 0; i < 8; ++i) client->Start(i % 2, i);
  const std::vector<HttpResult> results = Await(*client, 8);
  CHECK(CountOutcome(results, Outcome::kOk) == 8);
  for (const HttpResult& r : results) {
    if (r.token % 2 == 0) {
      CHECK(r.bytes_sent > (1u << 20));
    } else {
      CHECK(r.bytes_received > (1u << 20));
    }
  }
  for (size_t size : server.request_body_sizes()) {
    if (size > 0) CHECK(size == mib.size());
  }
  CHECK(server.request_body_sizes().size() == 8);
}

TEST_CASE("an h2c request times out from its start, and CancelAll aborts the rest") {
  H2ScriptedServer::Options o;
  o.delay = absl::Seconds(2);
  H2ScriptedServer server(o);
  REQUIRE(server.Start().ok());
  auto client = Native({Tpl(server.url() + "/", "GET", {}, "", absl::Milliseconds(100)),
                        Tpl(server.url() + "/")});
  const absl::Time start = absl::Now();
  client->Start(0, 1);
  client->Start(1, 2);
  const std::vector<HttpResult> timed_out = Await(*client, 1);
  CHECK(timed_out[0].token == 1);
  CHECK(timed_out[0].outcome == Outcome::kTimeout);
  CHECK(absl::Now() - start >= absl::Milliseconds(100));
  std::vector<HttpResult> aborted;
  client->CancelAll([&aborted](const HttpResult& r) { aborted.push_back(r); });
  REQUIRE(aborted.size() == 1);
  CHECK(aborted[0].token == 2);
  CHECK(aborted[0].outcome == Outcome::kAborted);
  CHECK(client->in_flight() == 0);
}

TEST_CASE("h2c to a closed port is a connect error") {
  auto client = Native({Tpl(absl::StrCat("http://127.0.0.1:", FreeLoopbackPort(), "/"))});
  client->Start(0, 7);
  const HttpResult r = Await(*client, 1)[0];
  CHECK(r.outcome == Outcome::kConnectError);
  CHECK(r.reason == ErrorReason::kConnectRefused);
}

TEST_CASE("the native h2c driver sends what libcurl sends over HTTP/2") {
  H2ScriptedServer server({});
  REQUIRE(server.Start().ok());
  const std::string base = server.url();
  const std::vector<HttpRequestTemplate> templates = {
      Tpl(base + "/plain?q=1&r=%20"),
      Tpl(base + "/h", "GET", {{"X-Trace", "abc"}, {"User-Agent", "mine"}, {"Accept", ""}}),
      Tpl(base + "/json", "POST", {{"Content-Type", "application/json"}}, R"({"a":1})"),
      Tpl(base + "/form", "POST", {}, "a=1&b=2"),
      Tpl(base + "/put", "PUT", {}, "body"),
      Tpl(base + "/head", "HEAD"),
      Tpl(base + "/del", "DELETE"),
      Tpl(base, "GET", {{"Host", "example.test"}}),
  };
  for (HttpEngine engine : {HttpEngine::kCurl, HttpEngine::kAuto}) {
    HttpClientOptions options = H2(1, 100);
    options.engine = engine;
    auto client = MakeHttpClient(templates, options, SystemClock());
    REQUIRE(client.ok());
    for (size_t i = 0; i < templates.size(); ++i) {
      CAPTURE(engine == HttpEngine::kCurl, i);
      (*client)->Start(i, i);
      const HttpResult r = Await(**client, 1)[0];
      CAPTURE(ErrorReasonName(r.reason));
      CHECK(r.outcome == Outcome::kOk);
    }
  }
  const std::vector<H2ScriptedServer::Headers> seen = server.request_headers();
  const std::vector<size_t> bodies = server.request_body_sizes();
  REQUIRE(seen.size() == 2 * templates.size());
  for (size_t i = 0; i < templates.size(); ++i) {
    CAPTURE(i);
    auto show = [](const H2ScriptedServer::Headers& h) {
      std::string out;
      for (const auto& [name, value] : h) absl::StrAppend(&out, name, ": ", value, "\n");
      return out;
    };
    CHECK(show(seen[templates.size() + i]) == show(seen[i]));
    CHECK(bodies[templates.size() + i] == bodies[i]);
  }
}

TEST_CASE("h2c StartWith sends the rendered path, headers and body; keep_response shows the answer") {
  H2ScriptedServer server({});
  REQUIRE(server.Start().ok());
  HttpRequestTemplate keep = Tpl(server.url() + "/tpl", "POST", {{"X-Tpl", "a"}}, "template");
  keep.keep_response = true;
  auto client = Native({keep, Tpl(server.url() + "/plain")});
  const std::vector<HeaderView> headers = {{"X-User", "u1"}, {"Connection", "close"}};
  client->StartWith(0, RequestParts{"/echo", headers, "12345"}, 1);
  std::vector<std::pair<std::string, std::string>> kept;
  std::string body;
  std::vector<HttpResult> out;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (out.empty() && absl::Now() < give_up) {
    client->Poll(5'000'000, [&](const HttpResult& r) {
      for (const HeaderView& h : r.response_headers) kept.emplace_back(h.name, h.value);
      body = std::string(r.response_body);
      out.push_back(r);
    });
  }
  REQUIRE(out.size() == 1);
  CHECK(out[0].outcome == Outcome::kOk);
  CHECK(body == "5");  // /echo answers with the body's size
  CHECK(kept == std::vector<std::pair<std::string, std::string>>{{"content-length", "1"}});
  client->Start(1, 2);  // no keep_response: nothing shown
  const HttpResult plain = Await(*client, 1)[0];
  CHECK(plain.outcome == Outcome::kOk);
  CHECK(plain.response_headers.empty());
  CHECK(plain.response_body.empty());

  const std::vector<H2ScriptedServer::Headers> seen = server.request_headers();
  REQUIRE(seen.size() == 2);
  auto value = [&](const std::string& name) {
    for (const auto& [n, v] : seen[0]) {
      if (n == name) return v;
    }
    return std::string("(none)");
  };
  CHECK(value(":method") == "POST");
  CHECK(value(":path") == "/echo");
  CHECK(value("x-user") == "u1");
  CHECK(value("x-tpl") == "(none)");
  CHECK(value("connection") == "(none)");
  CHECK(value("content-length") == "5");
  CHECK(server.request_body_sizes()[0] == 5);
}

}  // namespace
}  // namespace barrage
