// Copyright 2026 The Barrage Authors.

#include "common/util/http_token.h"

#include <string>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("token characters are exactly RFC 9110's tchar") {
  const std::string punct = "!#$%&'*+-.^_`|~";
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool expected = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                          (c >= 'A' && c <= 'Z') || (c != 0 && punct.find(ch) != std::string::npos);
    INFO(c);
    CHECK(IsHttpTokenChar(ch) == expected);
  }
}

TEST_CASE("a token is a non-empty run of token characters") {
  CHECK(IsHttpToken("GET"));
  CHECK(IsHttpToken("X-Request-Id"));
  CHECK(IsHttpToken("M-SEARCH"));
  CHECK_FALSE(IsHttpToken(""));
  CHECK_FALSE(IsHttpToken("Bad Header"));
  CHECK_FALSE(IsHttpToken("a:b"));
  CHECK_FALSE(IsHttpToken(std::string("GE\0T", 4)));
  CHECK_FALSE(IsHttpToken("caf\xc3\xa9"));
}

}  // namespace
}  // namespace barrage
