// Copyright 2026 The Barrage Authors.

#include "agent/http/transport.h"

#include <sys/socket.h>

#include <cerrno>

namespace barrage {

ssize_t PlainTransport::Read(char* data, size_t size) {
  ssize_t n;
  do {
    n = recv(fd_, data, size, 0);
  } while (n < 0 && errno == EINTR);
  return n;
}

ssize_t PlainTransport::Write(const char* data, size_t size) {
  ssize_t n;
  do {
    n = send(fd_, data, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  blocked_on_write_ = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  return n;
}

}  // namespace barrage
