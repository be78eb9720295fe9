// Copyright 2026 The Barrage Authors.
#include "common/data/data_files.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "catch2/catch_test_macros.hpp"
#include "common/data/sha256.h"

namespace barrage {
namespace {

// A fresh directory under the test's temporary directory.
std::string TempDir() {
  std::string dir = "/tmp/barrage-data-files-XXXXXX";
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  return dir;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

Scenario WithData(const std::string& file, DataSource::Format format = DataSource::Format::kCsv) {
  Scenario s;
  DataSource d;
  d.name = "users";
  d.file = file;
  d.format = format;
  s.data.push_back(d);
  return s;
}

TEST_CASE("AttachDataFiles fills columns, rows, bytes and sha256 from the file") {
  const std::string dir = TempDir();
  const std::string csv = "user,pass\nalice,1\nbob,2\n";
  Write(dir + "/users.csv", csv);
  Scenario s = WithData("users.csv");
  DataContents contents;
  CHECK(AttachDataFiles(s, dir, &contents).empty());
  const DataSource& d = s.data[0];
  CHECK(d.columns == std::vector<std::string>{"user", "pass"});
  CHECK(d.rows == 2);
  CHECK(d.bytes == static_cast<int64_t>(csv.size()));
  CHECK(d.sha256 == Sha256Hex(csv));
  REQUIRE(contents.size() == 1);
  CHECK(contents[0].name == "users");
  CHECK(contents[0].sha256 == d.sha256);
  CHECK(contents[0].content == csv);
}

TEST_CASE("AttachDataFiles names the source and the file in its problems") {
  const std::string dir = TempDir();
  SECTION("missing") {
    Scenario s = WithData("users.csv");
    const std::vector<ScenarioProblem> p = AttachDataFiles(s, dir, nullptr);
    REQUIRE(p.size() == 1);
    CHECK(p[0].path == "data.users.file");
    CHECK(p[0].message == "users.csv: not found");
    CHECK(s.data[0].columns.empty());
  }
  SECTION("ragged") {
    Write(dir + "/users.csv", "a,b\n1\n");
    Scenario s = WithData("users.csv");
    const std::vector<ScenarioProblem> p = AttachDataFiles(s, dir, nullptr);
    REQUIRE(p.size() == 1);
    CHECK(p[0].message == "users.csv:2: row has 1 fields, the header has 2");
  }
  SECTION("empty") {
    Write(dir + "/users.jsonl", "");
    Scenario s = WithData("users.jsonl", DataSource::Format::kJsonLines);
    const std::vector<ScenarioProblem> p = AttachDataFiles(s, dir, nullptr);
    REQUIRE(p.size() == 1);
    CHECK(p[0].message == "users.jsonl: empty file");
  }
}

TEST_CASE("ScenarioDirectory is the scenario file's folder") {
  CHECK(ScenarioDirectory("s.yaml") == ".");
  CHECK(ScenarioDirectory("a/b/s.yaml") == "a/b");
  CHECK(ScenarioDirectory("/s.yaml") == "/");
}

TEST_CASE("sha256 of known inputs") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 sha;
  sha.Update("ab");
  sha.Update("c");
  CHECK(sha.FinishHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace barrage
