// Copyright 2026 The Barrage Authors.

#include "common/util/files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace barrage {
namespace {

absl::Status OpenError(const std::string& path, int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(absl::StrCat(path, ": permission denied"));
    case EISDIR:
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a file"));
    default:
      return absl::InternalError(absl::StrCat(path, ": cannot read it: ", std::strerror(error)));
  }
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OpenError(path, errno);
  absl::Cleanup closer = [fd] { close(fd); };
  struct stat st {};
  if (fstat(fd, &st) != 0) return OpenError(path, errno);
  if (S_ISDIR(st.st_mode)) return OpenError(path, EISDIR);
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is over ", max_bytes, " bytes"));
  }
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return OpenError(path, errno);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": is over ", max_bytes, " bytes"));
    }
  }
  return out;
}

absl::Status CheckWritableFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return OpenError(path, EISDIR);
    if (access(path.c_str(), W_OK) != 0) return OpenError(path, errno);
    return absl::OkStatus();
  }
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return absl::NotFoundError(absl::StrCat(path, ": directory ", dir, " does not exist"));
    }
    return OpenError(dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", dir, " is not a directory"));
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": directory ", dir, " is not writable"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadNonEmptyFile(const std::string& path,
                                             bool strip_whitespace) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  if (strip_whitespace) *text = std::string(absl::StripAsciiWhitespace(*text));
  if (absl::StripAsciiWhitespace(*text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is empty"));
  }
  return text;
}

absl::Status ReadFlagFiles(std::initializer_list<FlagFile> files) {
  for (const FlagFile& f : files) {
    if (f.path->empty()) continue;
    absl::StatusOr<std::string> text = ReadNonEmptyFile(*f.path, f.strip_whitespace);
    if (!text.ok()) {
      return absl::Status(text.status().code(), absl::StrCat(f.flag, " ", text.status().message()));
    }
    *f.out = std::move(*text);
  }
  return absl::OkStatus();
}

}  // namespace barrage
