// Copyright 2026 The Barrage Authors.

#include "common/util/listen.h"

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/util/host_port.h"

namespace barrage {

void SetListenSocketOptions(int fd) {
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

absl::Status ListenError(absl::string_view host, int port, int error) {
  std::string why = std::strerror(error);
  // "Address already in use" reads as part of a sentence after the colon.
  if (!why.empty()) why[0] = absl::ascii_tolower(static_cast<unsigned char>(why[0]));
  const std::string message =
      absl::StrCat("cannot listen on ", FormatHostPort(host, port), ": ", why);
  switch (error) {
    case EADDRINUSE:
    case EADDRNOTAVAIL:
    case EACCES:
      return absl::FailedPreconditionError(message);
    default:
      return absl::UnavailableError(message);
  }
}

absl::Status ProbeListen(absl::string_view host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string name(host);
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(name.empty() ? nullptr : name.c_str(), service.c_str(),
                                 &hints, &found);
      rc != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot listen on ", FormatHostPort(host, port), ": ", gai_strerror(rc)));
  }
  int error = 0;
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno;
  } else {
    SetListenSocketOptions(fd);
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 1) != 0) error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  return error == 0 ? absl::OkStatus() : ListenError(host, port, error);
}

}  // namespace barrage
