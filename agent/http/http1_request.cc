// Copyright 2026 The Barrage Authors.

#include "agent/http/http1_request.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/util/http_token.h"

namespace barrage {
namespace {

bool IsFieldValue(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url) {
  auto bad = [&url](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("'", url, "': ", why));
  };
  HttpUrl out;
  size_t start = 0;
  if (absl::StartsWithIgnoreCase(url, "http://")) {
    start = 7;
  } else if (absl::StartsWithIgnoreCase(url, "https://")) {
    start = 8;
    out.tls = true;
    out.port = "443";
  }
  if (start == 0 || url.size() <= start) return bad("not an http:// or https:// URL");
  const size_t end = url.find_first_of("/?#", start);
  out.authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  const std::string& a = out.authority;
  if (a.empty()) return bad("no host");
  if (a.find('@') != std::string::npos) return bad("credentials in the URL");
  size_t port_colon = std::string::npos;
  if (a[0] == '[') {
    const size_t close = a.find(']');
    if (close == std::string::npos) return bad("unclosed '['");
    out.host = a.substr(1, close - 1);
    if (close + 1 < a.size()) {
      if (a[close + 1] != ':') return bad("junk after the IPv6 host");
      port_colon = close + 1;
    }
  } else {
    port_colon = a.find(':');
    out.host = a.substr(0, port_colon);
  }
  if (out.host.empty()) return bad("no host");
  if (port_colon != std::string::npos) {
    out.port = a.substr(port_colon + 1);
    int port = 0;
    if (!absl::SimpleAtoi(out.port, &port) || port < 1 || port > 65535) {
      return bad("the port is not from 1 to 65535");
    }
  }
  std::string target = end == std::string::npos ? "" : url.substr(end);
  target = target.substr(0, target.find('#'));
  if (target.empty() || target[0] != '/') target.insert(0, "/");
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return bad("a space or control character in the path");
    }
  }
  out.target = std::move(target);
  return out;
}

bool IsSendableAsWritten(const HttpRequestTemplate& t) {
  return IsHttpToken(t.method) &&
         std::all_of(t.headers.begin(), t.headers.end(), [](const auto& h) {
           return IsHttpToken(h.first) && IsFieldValue(h.second);
         });
}

bool IsSendableHeader(absl::string_view name, absl::string_view value) {
  return IsHttpToken(name) && std::none_of(value.begin(), value.end(), [](char c) {
           return c == '\r' || c == '\n' || c == '\0';
         });
}

std::string BuildHttp1Request(const HttpRequestTemplate& t, const HttpUrl& url) {
  std::vector<HeaderView> headers;
  headers.reserve(t.headers.size());
  for (const auto& [name, value] : t.headers) headers.push_back({name, value});
  std::string wire;
  RenderHttp1Request(t, url, RequestParts{url.target, headers, t.body}, wire);
  return wire;
}

void RenderHttp1Request(const HttpRequestTemplate& t, const HttpUrl& url,
                        const RequestParts& parts, std::string& wire) {
  auto given = [&parts](absl::string_view name) {
    return std::any_of(parts.headers.begin(), parts.headers.end(), [name](const HeaderView& h) {
      return absl::EqualsIgnoreCase(h.name, name);
    });
  };
  auto field = [&wire](absl::string_view name, absl::string_view value) {
    wire.append(name.data(), name.size());
    wire.append(": ");
    wire.append(value.data(), value.size());
    wire.append("\r\n");
  };
  wire.clear();
  wire.append(t.method);
  wire.push_back(' ');
  wire.append(parts.path.data(), parts.path.size());
  wire.append(" HTTP/1.1\r\n");
  // A given Host takes the default's place, as libcurl puts it (the last
  // one given; an empty one removes it).
  absl::string_view host_name = "Host";
  absl::string_view host = url.authority;
  for (const HeaderView& h : parts.headers) {
    if (absl::EqualsIgnoreCase(h.name, "Host") && IsSendableHeader(h.name, h.value)) {
      host_name = h.name;
      host = h.value;
    }
  }
  if (!host.empty()) field(host_name, host);
  if (!given("User-Agent")) wire.append("User-Agent: barrage/0.1\r\n");
  if (!given("Accept")) wire.append("Accept: */*\r\n");
  for (const HeaderView& h : parts.headers) {
    // libcurl's convention: an empty value removes the header.
    if (!h.value.empty() && !absl::EqualsIgnoreCase(h.name, "Host") &&
        IsSendableHeader(h.name, h.value)) {
      field(h.name, h.value);
    }
  }
  if (!parts.body.empty()) {
    if (!given("Content-Length")) {
      wire.append("Content-Length: ");
      absl::StrAppend(&wire, parts.body.size());
      wire.append("\r\n");
    }
    if (!given("Content-Type")) {
      wire.append("Content-Type: application/x-www-form-urlencoded\r\n");
    }
  }
  wire.append("\r\n");
  wire.append(parts.body.data(), parts.body.size());
}

}  // namespace barrage
