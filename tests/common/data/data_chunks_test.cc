// Copyright 2026 The Barrage Authors.
#include "common/data/data_chunks.h"

#include <string>
#include <vector>

#include "catch2/catch_test_macros.hpp"

namespace barrage {
namespace {

std::vector<v1::DataChunk> Cut(const std::string& content) {
  std::vector<v1::DataChunk> chunks;
  ForEachDataChunk("users", Sha256Hex(content), content, "csv", [&](const v1::DataChunk& c) {
    chunks.push_back(c);
    return true;
  });
  return chunks;
}

TEST_CASE("a file travels in 1 MiB pieces and is put back together, checked") {
  std::string content(2 * kDataChunkBytes + 10, 'x');
  content[kDataChunkBytes] = 'y';
  const std::vector<v1::DataChunk> chunks = Cut(content);
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].name() == "users");
  CHECK(chunks[0].total_bytes() == content.size());
  CHECK(chunks[0].format() == "csv");
  CHECK(chunks[1].offset() == kDataChunkBytes);
  CHECK(chunks[2].bytes().size() == 10);
  CHECK_FALSE(chunks[1].last());
  CHECK(chunks[2].last());
  DataAssembler file(int64_t{64} << 20);
  for (const v1::DataChunk& c : chunks) REQUIRE(file.Add(c).ok());
  REQUIRE(file.done());
  absl::StatusOr<std::string> back = file.Finish();
  REQUIRE(back.ok());
  CHECK(*back == content);
}

TEST_CASE("an empty file is one last piece") {
  const std::vector<v1::DataChunk> chunks = Cut("");
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].last());
}

TEST_CASE("the assembler refuses pieces out of order, too big or not matching the digest") {
  const std::string content(kDataChunkBytes + 5, 'z');
  std::vector<v1::DataChunk> chunks = Cut(content);
  SECTION("out of order") {
    DataAssembler file(int64_t{64} << 20);
    CHECK(file.Add(chunks[1]).code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("over the limit, from the first piece") {
    DataAssembler file(1000);
    CHECK(file.Add(chunks[0]).code() == absl::StatusCode::kResourceExhausted);
  }
  SECTION("a corrupted piece") {
    chunks[1].mutable_bytes()->at(0) = 'q';
    DataAssembler file(int64_t{64} << 20);
    REQUIRE(file.Add(chunks[0]).ok());
    REQUIRE(file.Add(chunks[1]).ok());
    absl::StatusOr<std::string> back = file.Finish();
    REQUIRE_FALSE(back.ok());
    CHECK(back.status().message().find("SHA-256 is") != absl::string_view::npos);
  }
  SECTION("ended early") {
    DataAssembler file(int64_t{64} << 20);
    REQUIRE(file.Add(chunks[0]).ok());
    CHECK_FALSE(file.Finish().ok());
  }
}

}  // namespace
}  // namespace barrage
