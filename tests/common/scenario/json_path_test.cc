// Copyright 2026 The Barrage Authors.

#include "common/scenario/json_path.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

std::string Error(absl::string_view text) {
  absl::StatusOr<JsonPath> p = ParseJsonPath(text);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

TEST_CASE("a JSON path names fields and indexes in order") {
  absl::StatusOr<JsonPath> p = ParseJsonPath("$.items[0].id");
  REQUIRE(p.ok());
  REQUIRE(p->parts.size() == 3);
  CHECK_FALSE(p->parts[0].is_index);
  CHECK(p->parts[0].field == "items");
  CHECK(p->parts[1].is_index);
  CHECK(p->parts[1].index == 0);
  CHECK(p->parts[2].field == "id");
}

TEST_CASE("the root alone is the whole document") {
  absl::StatusOr<JsonPath> p = ParseJsonPath("$");
  REQUIRE(p.ok());
  CHECK(p->parts.empty());
}

TEST_CASE("quoted names may hold any character but their quote") {
  absl::StatusOr<JsonPath> p = ParseJsonPath("$['odd key.x'][\"a]b\"][12]");
  REQUIRE(p.ok());
  REQUIRE(p->parts.size() == 3);
  CHECK(p->parts[0].field == "odd key.x");
  CHECK(p->parts[1].field == "a]b");
  CHECK(p->parts[2].index == 12);
  // Field names after '.' take letters, digits, '_' and '-'.
  p = ParseJsonPath("$.user_id.x-y.0");
  REQUIRE(p.ok());
  CHECK(p->parts[2].field == "0");
  CHECK_FALSE(p->parts[2].is_index);
}

TEST_CASE("a malformed JSON path names the byte") {
  CHECK(Error("") == "at byte 0: a JSON path starts with '$'");
  CHECK(Error("items") == "at byte 0: a JSON path starts with '$'");
  CHECK(Error("$.") == "at byte 2: expected a field name after '.'");
  CHECK(Error("$..a") == "at byte 2: expected a field name after '.'");
  CHECK(Error("$items") == "at byte 1: expected '.' or '['");
  CHECK(Error("$.a b") == "at byte 3: expected '.' or '['");
  CHECK(Error("$[x]") == "at byte 2: expected an index (0, 1, ...) or a quoted name");
  CHECK(Error("$[-1]") == "at byte 2: expected an index (0, 1, ...) or a quoted name");
  CHECK(Error("$[1") == "at byte 3: expected ']'");
  CHECK(Error("$['a'") == "at byte 5: expected ']'");
  CHECK(Error("$['abc") == "at byte 2: unterminated quoted field name");
  CHECK(Error("$[99999999999999999]") == "at byte 2: index too large");
  CHECK(Error("$.*") == "at byte 2: expected a field name after '.'");
}

}  // namespace
}  // namespace barrage
