// Copyright 2026 The Barrage Authors.

#include "common/util/files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/barrage-files-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::string path;
};

TEST_CASE("a file is read whole, bytes as they are") {
  TempDir dir;
  const std::string text("line 1\nline\0 2\n", 15);
  absl::StatusOr<std::string> read = ReadFile(dir.Write("a.txt", text));
  REQUIRE(read.ok());
  CHECK(*read == text);
  absl::StatusOr<std::string> empty = ReadFile(dir.Write("empty", ""));
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("a file that cannot be read says why") {
  TempDir dir;
  SECTION("not found") {
    absl::StatusOr<std::string> r = ReadFile(dir.path + "/missing.yaml");
    CHECK(absl::IsNotFound(r.status()));
    CHECK_THAT(std::string(r.status().message()), ContainsSubstring("missing.yaml: no such file"));
  }
  SECTION("a directory") {
    absl::StatusOr<std::string> r = ReadFile(dir.path);
    CHECK(absl::IsInvalidArgument(r.status()));
    CHECK_THAT(std::string(r.status().message()), ContainsSubstring("is a directory"));
  }
  SECTION("permission denied") {
    const std::string p = dir.Write("secret", "x");
    chmod(p.c_str(), 0);
    if (access(p.c_str(), R_OK) == 0) SKIP("running as root: permissions are not enforced");
    absl::StatusOr<std::string> r = ReadFile(p);
    CHECK(absl::IsPermissionDenied(r.status()));
    CHECK_THAT(std::string(r.status().message()), ContainsSubstring("permission denied"));
  }
  SECTION("too large") {
    absl::StatusOr<std::string> r = ReadFile(dir.Write("big", std::string(100, 'x')), 99);
    CHECK(absl::IsInvalidArgument(r.status()));
    CHECK_THAT(std::string(r.status().message()), ContainsSubstring("is over 99 bytes"));
  }
}

TEST_CASE("an output path is checked before anything is written there") {
  TempDir dir;
  CHECK(CheckWritableFile(dir.path + "/new.json").ok());
  CHECK(CheckWritableFile(dir.Write("old.json", "{}")).ok());
  const absl::Status missing = CheckWritableFile(dir.path + "/no/x.json");
  CHECK(absl::IsNotFound(missing));
  CHECK_THAT(std::string(missing.message()),
             ContainsSubstring("directory " + dir.path + "/no does not exist"));
  CHECK_THAT(std::string(CheckWritableFile(dir.path).message()),
             ContainsSubstring("is a directory"));
  CHECK_THAT(std::string(CheckWritableFile(dir.Write("f", "") + "/x.json").message()),
             ContainsSubstring("is not a directory"));
  CHECK(access((dir.path + "/new.json").c_str(), F_OK) != 0);  // nothing created
}

TEST_CASE("tokens and PEM files must not be empty") {
  TempDir dir;
  absl::StatusOr<std::string> token = ReadNonEmptyFile(dir.Write("t", "  s3cret\n"), true);
  REQUIRE(token.ok());
  CHECK(*token == "s3cret");
  absl::StatusOr<std::string> pem = ReadNonEmptyFile(dir.Write("p", "PEM\n"), false);
  REQUIRE(pem.ok());
  CHECK(*pem == "PEM\n");
  absl::StatusOr<std::string> blank = ReadNonEmptyFile(dir.Write("b", " \n\t"), true);
  CHECK(absl::IsInvalidArgument(blank.status()));
  CHECK_THAT(std::string(blank.status().message()), ContainsSubstring("b: is empty"));
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

TEST_CASE("flag files are read when given, and an error names the flag") {
  TempDir dir;
  const std::string cert = dir.Write("cert.pem", "CERT\n");
  const std::string missing = dir.path + "/key.pem";
  const std::string none;
  std::string cert_out, key_out, ca_out = "untouched";
  REQUIRE(ReadFlagFiles({{"--tls-cert", &cert, &cert_out}, {"--tls-ca", &none, &ca_out}}).ok());
  CHECK(cert_out == "CERT\n");
  CHECK(ca_out == "untouched");
  const absl::Status s = ReadFlagFiles({{"--tls-cert", &cert, &cert_out}, {"--tls-key", &missing, &key_out}});
  CHECK(absl::IsNotFound(s));
  CHECK_THAT(std::string(s.message()), ContainsSubstring("--tls-key " + missing + ": no such file"));
}

}  // namespace
}  // namespace barrage
