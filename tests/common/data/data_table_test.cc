// Copyright 2026 The Barrage Authors.
#include "common/data/data_table.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "catch2/catch_test_macros.hpp"

namespace barrage {
namespace {

using Format = DataSource::Format;

DataTable MustParse(const std::string& text, Format format = Format::kCsv) {
  absl::StatusOr<DataTable> table = DataTable::Parse("t", text, format);
  INFO(table.status().message());
  REQUIRE(table.ok());
  return *std::move(table);
}

std::string ErrorOf(const std::string& name, const std::string& text,
                    Format format = Format::kCsv) {
  absl::StatusOr<DataTable> table = DataTable::Parse(name, text, format);
  REQUIRE_FALSE(table.ok());
  CHECK(table.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(table.status().message());
}

TEST_CASE("a CSV file's header names the columns and its rows follow") {
  const DataTable t = MustParse("user,pass\nalice,a1\nbob,b2\n");
  CHECK(t.columns() == std::vector<std::string>{"user", "pass"});
  REQUIRE(t.rows() == 2);
  CHECK(t.Field(0, 0) == "alice");
  CHECK(t.Field(0, 1) == "a1");
  CHECK(t.Field(1, 0) == "bob");
  CHECK(t.Field(1, 1) == "b2");
}

TEST_CASE("CSV quoted fields hold commas, newlines and doubled quotes") {
  const DataTable t =
      MustParse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\n");
  REQUIRE(t.rows() == 2);
  CHECK(t.Field(0, 0) == "x, y");
  CHECK(t.Field(0, 1) == "say \"hi\"");
  CHECK(t.Field(1, 0) == "two\nlines");
  CHECK(t.Field(1, 1) == "");
}

TEST_CASE("CSV: the trailing newline is optional, LF or CRLF, BOM skipped") {
  SECTION("no trailing newline") {
    const DataTable t = MustParse("a\n1\n2");
    REQUIRE(t.rows() == 2);
    CHECK(t.Field(1, 0) == "2");
  }
  SECTION("CRLF without trailing newline") {
    const DataTable t = MustParse("a,b\r\n1,2");
    CHECK(t.Field(0, 1) == "2");
  }
  SECTION("byte order mark") {
    const DataTable t = MustParse("\xEF\xBB\xBFid\n7\n");
    CHECK(t.columns() == std::vector<std::string>{"id"});
  }
}

TEST_CASE("CSV errors name the file and the line") {
  CHECK(ErrorOf("users.csv", "a,b,c\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2\n") ==
        "users.csv:7: row has 2 fields, the header has 3");
  CHECK(ErrorOf("users.csv", "") == "users.csv: empty file");
  CHECK(ErrorOf("users.csv", "\n\n") == "users.csv: empty file");
  CHECK(ErrorOf("users.csv", "a,b\n") == "users.csv: no rows after the header");
  CHECK(ErrorOf("users.csv", "a,a\n1,2\n") == "users.csv:1: column 'a' appears twice");
  CHECK(ErrorOf("users.csv", "a,,c\n1,2,3\n") == "users.csv:1: column 2 has no name");
  CHECK(ErrorOf("users.csv", "a\n1\n\"open\n\n") == "users.csv:3: quoted field is not closed");
  CHECK(ErrorOf("users.csv", "a\n\"x\"y\n") ==
        "users.csv:2: text after a closing quote (write \"\" for a quote inside a quoted field)");
  SECTION("a quoted newline counts as a line") {
    CHECK(ErrorOf("u.csv", "a,b\n\"1\n2\",3\n4\n") == "u.csv:4: row has 1 fields, the header has 2");
  }
}

TEST_CASE("JSON lines: the first line's keys are the columns, in any order after") {
  const DataTable t = MustParse(
      "{\"user\": \"alice\", \"id\": 1, \"admin\": true}\n"
      "\n"
      "{\"id\": -2.5e3, \"admin\": null, \"user\": \"b\\\"o\\u00e9\\n\"}\r\n",
      Format::kJsonLines);
  CHECK(t.columns() == std::vector<std::string>{"user", "id", "admin"});
  REQUIRE(t.rows() == 2);
  CHECK(t.Field(0, 0) == "alice");
  CHECK(t.Field(0, 1) == "1");
  CHECK(t.Field(0, 2) == "true");
  CHECK(t.Field(1, 0) == "b\"o\xC3\xA9\n");
  CHECK(t.Field(1, 1) == "-2.5e3");
  CHECK(t.Field(1, 2) == "");
}

TEST_CASE("JSON lines errors name the file and the line") {
  const Format j = Format::kJsonLines;
  CHECK(ErrorOf("users.jsonl", "{\"a\":1}\n{\"a\":2}\n[1]\n", j) ==
        "users.jsonl:3: not a JSON object");
  CHECK(ErrorOf("users.jsonl", "{\"a\":1,\"b\":2}\n{\"a\":1}\n", j) ==
        "users.jsonl:2: key 'b' is missing");
  CHECK(ErrorOf("users.jsonl", "{\"a\":1}\n{\"a\":1,\"c\":3}\n", j) ==
        "users.jsonl:2: key 'c' is not a column (the first line has a)");
  CHECK(ErrorOf("users.jsonl", "{\"a\":{\"x\":1}}\n", j) ==
        "users.jsonl:1: 'a' is not a scalar (an object)");
  CHECK(ErrorOf("users.jsonl", "{\"a\":1,\"a\":2}\n", j) ==
        "users.jsonl:1: key 'a' appears twice");
  CHECK(ErrorOf("users.jsonl", "{\"a\":1} x\n", j) == "users.jsonl:1: text after the JSON object");
  CHECK(ErrorOf("users.jsonl", "{\"a\":tru}\n", j) == "users.jsonl:1: invalid JSON at column 6");
  CHECK(ErrorOf("users.jsonl", "", j) == "users.jsonl: empty file");
}

TEST_CASE("a 1,000,000-row table costs its file's size plus 4 bytes a field") {
  std::string csv = "id,email,password\n";
  for (int i = 0; i < 1'000'000; ++i) {
    absl::StrAppend(&csv, i, ",user", i, "@example.com,\"pw,", i, "\"\n");
  }
  const size_t file_bytes = csv.size();
  const DataTable t = MustParse(csv);
  REQUIRE(t.rows() == 1'000'000);
  CHECK(t.Field(999'999, 1) == "user999999@example.com");
  CHECK(t.Field(123, 2) == "pw,123");
  const size_t offsets = (3 * 1'000'000 + 1) * sizeof(uint32_t);
  INFO("file " << file_bytes << " B, table " << t.MemoryBytes() << " B");
  CHECK(t.MemoryBytes() <= file_bytes + offsets + 4096);
  CHECK(t.MemoryBytes() <= file_bytes + (size_t{50} << 20));
}

}  // namespace
}  // namespace barrage
