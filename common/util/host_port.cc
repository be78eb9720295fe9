// Copyright 2026 The Barrage Authors.

#include "common/util/host_port.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace barrage {

absl::StatusOr<HostPort> ParseHostPort(absl::string_view text) {
  absl::string_view rest = text;
  absl::string_view host;
  if (absl::ConsumePrefix(&rest, "[")) {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("'", text, "': unclosed '['"));
    }
    host = rest.substr(0, close);
    rest.remove_prefix(close + 1);
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", text, "' is not HOST:PORT, like 127.0.0.1:8080 or [::1]:8080"));
    }
    host = rest.substr(0, colon);
    rest.remove_prefix(colon);
    if (host.find(':') != absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", text, "': write an IPv6 address in brackets, like [::1]:8080"));
    }
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' has no host"));
  }
  if (!absl::ConsumePrefix(&rest, ":")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not HOST:PORT, like 127.0.0.1:8080 or [::1]:8080"));
  }
  int port = -1;
  if (rest.empty() || !absl::SimpleAtoi(rest, &port) || port < 0 || port > 65535 ||
      !absl::ascii_isdigit(static_cast<unsigned char>(rest.front()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': '", rest, "' is not a port from 0 to 65535"));
  }
  return HostPort{std::string(host), port};
}

std::string FormatHostPort(absl::string_view host, int port) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  const std::string literal(host);
  unsigned char a[16];
  if (inet_pton(AF_INET, literal.c_str(), a) == 1) return a[0] == 127;
  if (inet_pton(AF_INET6, literal.c_str(), a) == 1) {
    static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                    0, 0, 0, 0, 0, 0, 0, 1};
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a, kLoopback, 16) == 0) return true;
    return std::memcmp(a, kMapped, 12) == 0 && a[12] == 127;
  }
  return false;
}

bool IsLoopbackAddress(absl::string_view text) {
  absl::StatusOr<HostPort> hp = ParseHostPort(text);
  return IsLoopbackHost(hp.ok() ? absl::string_view(hp->host) : text);
}

}  // namespace barrage
