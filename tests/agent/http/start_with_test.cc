// Copyright 2026 The Barrage Authors.
//
// StartWith and keep_response on the HTTP/1.1 clients (native and libcurl)
// against a ScriptedServer on loopback: the server reads the rendered path,
// headers and body, byte for byte the same from both; kept responses show
// the final response's headers in order and its body, cut at kMaxKeptBody.

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "tests/support/scripted_server.h"

namespace barrage {
namespace {

using testing::ScriptedServer;

constexpr char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

ScriptedServer::Reply Answer(std::string bytes) {
  ScriptedServer::Reply r;
  r.pieces = {std::move(bytes)};
  return r;
}

HttpRequestTemplate Tpl(const std::string& url, const std::string& method,
                        HeaderList headers, const std::string& body, bool keep = false) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = method;
  t.url = url;
  t.headers = std::move(headers);
  t.body = body;
  t.timeout = absl::Seconds(5);
  t.keep_response = keep;
  return t;
}

std::unique_ptr<HttpClient> Make(HttpEngine engine, std::vector<HttpRequestTemplate> t) {
  HttpClientOptions options;
  options.engine = engine;
  options.max_in_flight = 16;
  absl::StatusOr<std::unique_ptr<HttpClient>> c =
      MakeHttpClient(std::move(t), options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
}

// What on_done saw of a result, copied while it ran.
struct Seen {
  HttpResult result;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

Seen AwaitOne(HttpClient& client) {
  std::vector<Seen> out;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (out.empty() && absl::Now() < give_up) {
    client.Poll(5'000'000, [&out](const HttpResult& r) {
      Seen s;
      s.result = r;
      for (const HeaderView& h : r.response_headers) s.headers.emplace_back(h.name, h.value);
      s.body = std::string(r.response_body);
      out.push_back(std::move(s));
    });
  }
  REQUIRE(out.size() == 1);
  return out[0];
}

TEST_CASE("StartWith sends the rendered path, headers and body, the same from both engines") {
  ScriptedServer server([](int) { return Answer(kOk); });
  REQUIRE(server.Start().ok());
  const std::vector<HttpRequestTemplate> templates = {
      Tpl(server.url() + "/tpl", "POST", {{"X-Tpl", "a"}}, "template"),
      Tpl(server.url() + "/get", "GET", {}, ""),
  };
  const std::vector<HeaderView> headers = {
      {"X-User", "u1"}, {"Content-Type", "application/json"}, {"X-Empty", ""},
      {"X-Bad", "a\r\nInjected: 1"}};
  const RequestParts post{"/orders/7?sku=x%20y", headers, R"({"id":7})"};
  const RequestParts get{"/items?page=2", {}, ""};
  std::vector<std::string> names;
  for (HttpEngine engine : {HttpEngine::kCurl, HttpEngine::kAuto}) {
    auto client = Make(engine, templates);
    names.push_back(client->name());
    client->StartWith(0, post, 1);
    CHECK(AwaitOne(*client).result.outcome == Outcome::kOk);
    client->StartWith(1, get, 2);
    CHECK(AwaitOne(*client).result.outcome == Outcome::kOk);
    client->Start(0, 3);  // the template as built, after rendered sends
    CHECK(AwaitOne(*client).result.outcome == Outcome::kOk);
  }
  CHECK(names == std::vector<std::string>{"libcurl", "native-http1"});
  const std::vector<std::string> seen = server.requests();
  REQUIRE(seen.size() == 6);
  const std::string& rendered = seen[3];
  CHECK(rendered.rfind("POST /orders/7?sku=x%20y HTTP/1.1\r\nHost: 127.0.0.1:", 0) == 0);
  CHECK(absl::StrContains(rendered, "\r\nX-User: u1\r\n"));
  CHECK(absl::StrContains(rendered, "\r\nContent-Type: application/json\r\n"));
  CHECK(absl::StrContains(rendered, "\r\nContent-Length: 8\r\n"));
  CHECK(!absl::StrContains(rendered, "X-Tpl"));
  CHECK(!absl::StrContains(rendered, "X-Empty"));
  CHECK(!absl::StrContains(rendered, "Injected"));
  CHECK(absl::EndsWith(rendered, "\r\n\r\n{\"id\":7}"));
  CHECK(seen[4].rfind("GET /items?page=2 HTTP/1.1\r\n", 0) == 0);
  CHECK(absl::EndsWith(seen[4], "\r\n\r\n"));
  CHECK(seen[5].rfind("POST /tpl HTTP/1.1\r\n", 0) == 0);
  CHECK(absl::StrContains(seen[5], "\r\nX-Tpl: a\r\n"));
  CHECK(absl::EndsWith(seen[5], "template"));
  for (size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(seen[3 + i] == seen[i]);  // native == libcurl, byte for byte
  }
}

TEST_CASE("keep_response shows the final response's headers in order and its body") {
  const std::string engine_name = GENERATE(std::string("libcurl"), std::string("native-http1"));
  const HttpEngine engine = engine_name == "libcurl" ? HttpEngine::kCurl : HttpEngine::kAuto;
  CAPTURE(engine_name);
  const std::string chunked =
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nX-Token:  abc \r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  std::string big(kMaxKeptBody + 10, 'b');
  big[kMaxKeptBody - 1] = 'e';
  const std::string long_response =
      absl::StrCat("HTTP/1.1 200 OK\r\nContent-Length: ", big.size(), "\r\n\r\n", big);
  ScriptedServer server([&](int i) {
    return Answer(i == 0 ? chunked : i == 1 ? long_response : std::string(kOk));
  });
  REQUIRE(server.Start().ok());
  auto client = Make(engine, {Tpl(server.url() + "/k", "GET", {}, "", /*keep=*/true),
                              Tpl(server.url() + "/n", "GET", {}, "")});
  REQUIRE(client->name() == engine_name);

  client->Start(0, 1);
  const Seen first = AwaitOne(*client);
  CHECK(first.result.status == 200);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"X-Token", "abc"}, {"Content-Type", "application/json"},
      {"Transfer-Encoding", "chunked"}};
  CHECK(first.headers == want);
  CHECK(first.body == "hello world");
  CHECK_FALSE(first.result.body_truncated);

  client->StartWith(0, RequestParts{"/k2", {}, ""}, 2);
  const Seen second = AwaitOne(*client);
  CHECK(second.result.outcome == Outcome::kOk);
  CHECK(second.body.size() == kMaxKeptBody);
  CHECK(second.body.back() == 'e');
  CHECK(second.result.body_truncated);
  CHECK(second.result.bytes_received >= big.size());

  client->Start(1, 3);  // no keep_response: nothing shown
  const Seen third = AwaitOne(*client);
  CHECK(third.result.outcome == Outcome::kOk);
  CHECK(third.headers.empty());
  CHECK(third.body.empty());
  CHECK_FALSE(third.result.body_truncated);
}

}  // namespace
}  // namespace barrage
