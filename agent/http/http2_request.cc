// Copyright 2026 The Barrage Authors.

#include "agent/http/http2_request.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

bool IsConnectionHeader(const std::string& lower) {
  return lower == "connection" || lower == "keep-alive" || lower == "proxy-connection" ||
         lower == "transfer-encoding" || lower == "upgrade";
}

}  // namespace

Http2HeaderBlock BuildHttp2Headers(const HttpRequestTemplate& t, const HttpUrl& url) {
  auto given = [&t](absl::string_view name) {
    return std::any_of(t.headers.begin(), t.headers.end(), [name](const auto& h) {
      return absl::EqualsIgnoreCase(h.first, name);
    });
  };
  std::string authority = url.authority;
  for (const auto& [name, value] : t.headers) {
    if (absl::EqualsIgnoreCase(name, "Host") && !value.empty()) authority = value;
  }
  Http2HeaderBlock block = {
      {":method", t.method}, {":path", url.target}, {":scheme", "http"},
      {":authority", authority}};
  if (!given("User-Agent")) block.emplace_back("user-agent", "barrage/0.1");
  if (!given("Accept")) block.emplace_back("accept", "*/*");
  for (const auto& [name, value] : t.headers) {
    std::string lower = absl::AsciiStrToLower(name);
    if (value.empty() || lower == "host" || IsConnectionHeader(lower)) continue;
    block.emplace_back(std::move(lower), value);
  }
  if (!t.body.empty()) {
    if (!given("Content-Length")) {
      block.emplace_back("content-length", absl::StrCat(t.body.size()));
    }
    if (!given("Content-Type")) {
      block.emplace_back("content-type", "application/x-www-form-urlencoded");
    }
  }
  return block;
}

}  // namespace barrage
