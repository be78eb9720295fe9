// Copyright 2026 The Barrage Authors.

#include "agent/engine/json_scan.h"

#include <string>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

std::optional<std::string> Scan(const std::string& body, const std::string& path) {
  absl::StatusOr<JsonPath> p = ParseJsonPath(path);
  REQUIRE(p.ok());
  std::string scratch;
  std::optional<absl::string_view> v = ScanJson(body, *p, scratch);
  if (!v) return std::nullopt;
  return std::string(*v);
}

TEST_CASE("the JSON scanner finds fields, indexes and nested values") {
  const std::string body =
      R"({"a": 1, "token": "abc", "items": [{"id": 7}, {"id": 8, "tags": ["x", "y"]}],)"
      R"( "deep": {"k": {"v": true}}, "n": null, "neg": -1.5e3})";
  CHECK(Scan(body, "$.token") == "abc");
  CHECK(Scan(body, "$.a") == "1");
  CHECK(Scan(body, "$.items[0].id") == "7");
  CHECK(Scan(body, "$.items[1].tags[1]") == "y");
  CHECK(Scan(body, "$.deep.k.v") == "true");
  CHECK(Scan(body, "$.n") == "null");
  CHECK(Scan(body, "$.neg") == "-1.5e3");
  CHECK(Scan(body, "$['token']") == "abc");
}

TEST_CASE("the JSON scanner returns objects and arrays as their raw text") {
  const std::string body = R"({"o": {"x": [1, "]}"]}, "z": 0})";
  CHECK(Scan(body, "$.o") == R"({"x": [1, "]}"]})");
  CHECK(Scan(body, "$.o.x") == R"([1, "]}"])");
  CHECK(Scan(body, "$") == body);
}

TEST_CASE("the JSON scanner unescapes strings") {
  CHECK(Scan(R"({"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00"})", "$.s") ==
        "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(Scan(R"({"k\"ey": "v"})", R"($['k"ey'])") == "v");
}

TEST_CASE("the JSON scanner finds nothing where the path names nothing") {
  const std::string body = R"({"a": [1, 2], "s": "x"})";
  CHECK_FALSE(Scan(body, "$.b").has_value());
  CHECK_FALSE(Scan(body, "$.a[2]").has_value());
  CHECK_FALSE(Scan(body, "$.s.x").has_value());
  CHECK_FALSE(Scan(body, "$.a.x").has_value());
  CHECK_FALSE(Scan(body, "$.s[0]").has_value());
  CHECK_FALSE(Scan("not json", "$.a").has_value());
  CHECK_FALSE(Scan(R"({"a": )", "$.a").has_value());
  CHECK_FALSE(Scan("{}", "$.a").has_value());
  CHECK_FALSE(Scan("[]", "$[0]").has_value());
}

}  // namespace
}  // namespace barrage
