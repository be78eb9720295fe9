// Copyright 2026 The Barrage Authors.
//
// "HOST:PORT" addresses as the daemons and the CLI take them (listen and
// dial flags), and the one loopback check behind "plaintext only on
// loopback" and the network rule.
#ifndef BARRAGE_COMMON_UTIL_HOST_PORT_H_
#define BARRAGE_COMMON_UTIL_HOST_PORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

struct HostPort {
  std::string host;  // a name or an address literal, IPv6 without brackets
  int port = 0;      // 0..65535
};

// Parses "127.0.0.1:80", "localhost:80", "[::1]:80", "name.example:80".
// An IPv6 literal must be bracketed. InvalidArgument says what is wrong,
// quoting `text`.
absl::StatusOr<HostPort> ParseHostPort(absl::string_view text);

// "host:port", with brackets around an IPv6 literal.
std::string FormatHostPort(absl::string_view host, int port);

// True for "localhost", any 127.0.0.0/8 address, ::1 and ::ffff:127.x.y.z
// (brackets allowed). Names other than localhost are not loopback: they
// are not resolved.
bool IsLoopbackHost(absl::string_view host);

// IsLoopbackHost of the host part of "HOST:PORT" (or of `text` itself when
// it has no port).
bool IsLoopbackAddress(absl::string_view text);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_HOST_PORT_H_
