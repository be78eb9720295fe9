// Copyright 2026 The Barrage Authors.

#include "common/util/version.h"

#include "absl/strings/str_cat.h"

// Set by common/util/CMakeLists.txt; the fallbacks keep a stray build honest.
#ifndef BARRAGE_VERSION
#define BARRAGE_VERSION "unknown"
#endif
#ifndef BARRAGE_BUILD_TYPE
#define BARRAGE_BUILD_TYPE ""
#endif

namespace barrage {

const char* VersionNumber() { return BARRAGE_VERSION; }

const char* BuildType() { return BARRAGE_BUILD_TYPE; }

std::string VersionLine(absl::string_view program) {
  const absl::string_view type = BuildType();
  return absl::StrCat(program, " ", VersionNumber(), " (",
                      type.empty() ? "no build type" : absl::StrCat(type, " build"),
                      ")");
}

}  // namespace barrage
