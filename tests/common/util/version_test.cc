// Copyright 2026 The Barrage Authors.

#include "common/util/version.h"

#include <string>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("the version line names the program, the version and the build type") {
  const std::string version = VersionNumber();
  const std::string type = BuildType();
  CHECK_FALSE(version.empty());
  CHECK(version != "unknown");  // CMake passed PROJECT_VERSION
  CHECK(VersionLine("barrage") ==
        "barrage " + version + " (" + (type.empty() ? "no build type" : type + " build") + ")");
}

}  // namespace
}  // namespace barrage
