// Copyright 2026 The Barrage Authors.
//
// Reading whole files, with errors that name the cause. Every file the
// binaries read (scenarios, certificates, tokens) goes through here.
#ifndef BARRAGE_COMMON_UTIL_FILES_H_
#define BARRAGE_COMMON_UTIL_FILES_H_

#include <cstddef>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

// The file's bytes. Errors start with `path` and say why:
//   NotFound          "PATH: no such file"
//   PermissionDenied  "PATH: permission denied"
//   InvalidArgument   "PATH: is a directory, not a file" / "PATH: is over N bytes"
//   Internal          "PATH: cannot read it: <strerror>"
// Files over `max_bytes` are refused before they are read.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes = size_t{64} << 20);

// ReadFile, then strips surrounding whitespace; an empty result is
// InvalidArgument "PATH: is empty". For tokens and PEM files.
absl::StatusOr<std::string> ReadNonEmptyFile(const std::string& path,
                                             bool strip_whitespace);

// Whether a file can later be written at `path` (created or replaced),
// checked before work whose result goes there: `path` is not a directory,
// its directory exists and is writable, and an existing file is writable.
//   NotFound          "PATH: directory DIR does not exist"
//   InvalidArgument   "PATH: is a directory, not a file" / "DIR is not a directory"
//   PermissionDenied  "PATH: permission denied" / "directory DIR is not writable"
// Nothing is created.
absl::Status CheckWritableFile(const std::string& path);

// A file named by a flag (--tls-cert F): read into `*out` unless `*path`
// is empty.
struct FlagFile {
  absl::string_view flag;          // "--tls-cert"
  const std::string* path;         // borrowed
  std::string* out;                // borrowed
  bool strip_whitespace = false;   // true for tokens, false for PEM
};
// ReadNonEmptyFile of each; the first error is prefixed with its flag
// ("--tls-ca /x.pem: no such file").
absl::Status ReadFlagFiles(std::initializer_list<FlagFile> files);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_FILES_H_
