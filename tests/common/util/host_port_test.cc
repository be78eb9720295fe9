// Copyright 2026 The Barrage Authors.

#include "common/util/host_port.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TEST_CASE("host:port addresses are taken apart") {
  struct Case {
    const char* text;
    const char* host;
    int port;
  };
  for (const Case& c : {Case{"127.0.0.1:7400", "127.0.0.1", 7400},
                        Case{"localhost:0", "localhost", 0},
                        Case{"[::1]:9401", "::1", 9401},
                        Case{"[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80},
                        Case{"controller.example:65535", "controller.example", 65535}}) {
    INFO(c.text);
    absl::StatusOr<HostPort> hp = ParseHostPort(c.text);
    REQUIRE(hp.ok());
    CHECK(hp->host == c.host);
    CHECK(hp->port == c.port);
  }
}

TEST_CASE("malformed addresses are refused, quoting the input") {
  for (const char* text : {"", "127.0.0.1", ":80", "[::1", "[::1]", "[::1]80", "::1:80",
                           "host:", "host:65536", "host:-1", "host:8o", "host: 80"}) {
    INFO(text);
    absl::StatusOr<HostPort> hp = ParseHostPort(text);
    REQUIRE_FALSE(hp.ok());
    CHECK(absl::IsInvalidArgument(hp.status()));
    CHECK_THAT(std::string(hp.status().message()), ContainsSubstring(std::string("'") + text));
  }
  CHECK_THAT(std::string(ParseHostPort("::1:80").status().message()),
             ContainsSubstring("brackets"));
}

TEST_CASE("host:port is written back with brackets around IPv6") {
  CHECK(FormatHostPort("127.0.0.1", 80) == "127.0.0.1:80");
  CHECK(FormatHostPort("::1", 8080) == "[::1]:8080");
  CHECK(FormatHostPort("localhost", 0) == "localhost:0");
}

TEST_CASE("the loopback check knows every loopback spelling and nothing else") {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.254",
                           "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    INFO(host);
    CHECK(IsLoopbackHost(host));
  }
  for (const char* host : {"128.0.0.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1",
                           "127.example.com", "localhost.example.com", "1.127.0.0", ""}) {
    INFO(host);
    CHECK_FALSE(IsLoopbackHost(host));
  }
  CHECK(IsLoopbackAddress("127.0.0.1:7400"));
  CHECK(IsLoopbackAddress("[::1]:7400"));
  CHECK(IsLoopbackAddress("localhost:7400"));
  CHECK(IsLoopbackAddress("localhost"));
  CHECK_FALSE(IsLoopbackAddress("192.0.2.1:7400"));
  CHECK_FALSE(IsLoopbackAddress("[2001:db8::1]:7400"));
}

}  // namespace
}  // namespace barrage
