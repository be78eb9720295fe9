// Copyright 2026 The Barrage Authors.
//
// What the native client puts on the wire: URLs taken apart, templates
// checked, request bytes built. (That they equal libcurl's is checked
// against a real server in http1_driver_test.cc.)

#include "agent/http/http1_request.h"

#include <string>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

HttpUrl Parsed(const std::string& url) {
  INFO(url);
  absl::StatusOr<HttpUrl> out = ParseHttpUrl(url);
  REQUIRE(out.ok());
  return *out;
}

TEST_CASE("an http URL is taken apart into what a request needs") {
  HttpUrl u = Parsed("http://127.0.0.1:8080/a/b?q=1#frag");
  CHECK(u.authority == "127.0.0.1:8080");
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == "8080");
  CHECK(u.target == "/a/b?q=1");
  u = Parsed("HTTP://[::1]:9000");
  CHECK(u.authority == "[::1]:9000");
  CHECK(u.host == "::1");
  CHECK(u.port == "9000");
  CHECK(u.target == "/");
  u = Parsed("http://localhost?x");
  CHECK(u.port == "80");
  CHECK(u.target == "/?x");
  CHECK_FALSE(u.tls);
  u = Parsed("https://example.test/p");
  CHECK(u.tls);
  CHECK(u.port == "443");
  CHECK(u.authority == "example.test");
  u = Parsed("HTTPS://127.0.0.1:8443");
  CHECK(u.tls);
  CHECK(u.port == "8443");
}

TEST_CASE("URLs the native client does not take") {
  for (const char* url :
       {"http://", "https://", "http:///path", "http://user@host/",
        "http://host:0/", "http://host:65536/", "http://host:80x/", "http://[::1/",
        "http://[::1]x/", "http://host/a b", "http://host/\x7f", "ftp://host/"}) {
    INFO(url);
    absl::StatusOr<HttpUrl> u = ParseHttpUrl(url);
    REQUIRE_FALSE(u.ok());
    CHECK(u.status().message().find(url) != absl::string_view::npos);
  }
}

TEST_CASE("only methods and headers that are safe as written are sent natively") {
  HttpRequestTemplate t;
  t.method = "GET";
  t.headers = {{"X-Ok", "a value, with; punctuation"}};
  CHECK(IsSendableAsWritten(t));
  t.method = std::string("GE\0T", 4);
  CHECK_FALSE(IsSendableAsWritten(t));
  t.method = "GET /x";
  CHECK_FALSE(IsSendableAsWritten(t));
  t.method = "GET";
  t.headers = {{"Bad Name", "v"}};
  CHECK_FALSE(IsSendableAsWritten(t));
  t.headers = {{"X", "a\nInjected: yes"}};
  CHECK_FALSE(IsSendableAsWritten(t));
}

TEST_CASE("request bytes follow libcurl's defaults and the template's headers") {
  HttpRequestTemplate t;
  t.method = "POST";
  t.headers = {{"X-Trace", "7"}, {"Accept", ""}};
  t.body = "a=1";
  CHECK(BuildHttp1Request(t, Parsed("http://h:81/p?q")) ==
        "POST /p?q HTTP/1.1\r\nHost: h:81\r\nUser-Agent: barrage/0.1\r\nX-Trace: 7\r\n"
        "Content-Length: 3\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1");
  t.method = "GET";
  t.headers = {{"Content-Type", "text/plain"}, {"host", "other"}};
  t.body = "";
  CHECK(BuildHttp1Request(t, Parsed("http://h/")) ==
        "GET / HTTP/1.1\r\nhost: other\r\nUser-Agent: barrage/0.1\r\nAccept: */*\r\n"
        "Content-Type: text/plain\r\n\r\n");
}

}  // namespace
}  // namespace barrage
