// Copyright 2026 The Barrage Authors.
//
// What `--version` prints, and what an agent reports in its Hello: the
// project version from CMake's PROJECT_VERSION and the build type from
// CMAKE_BUILD_TYPE, both fixed at compile time (compile definitions on
// version.cc only, so a new version rebuilds one file).
#ifndef BARRAGE_COMMON_UTIL_VERSION_H_
#define BARRAGE_COMMON_UTIL_VERSION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace barrage {

// "0.1.0". Static storage.
const char* VersionNumber();

// "Release", "Debug", "RelWithDebInfo", ...; "" when no build type was set.
// Static storage.
const char* BuildType();

// "PROGRAM 0.1.0 (Release build)", or "PROGRAM 0.1.0 (no build type)".
std::string VersionLine(absl::string_view program);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_VERSION_H_
