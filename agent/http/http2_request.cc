// Copyright 2026 The Barrage Authors.

#include "agent/http/http2_request.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

bool IsConnectionHeader(absl::string_view lower) {
  return lower == "connection" || lower == "keep-alive" || lower == "proxy-connection" ||
         lower == "transfer-encoding" || lower == "upgrade";
}

}  // namespace

Http2HeaderBlock BuildHttp2Headers(const HttpRequestTemplate& t, const HttpUrl& url) {
  std::vector<HeaderView> headers;
  headers.reserve(t.headers.size());
  for (const auto& [name, value] : t.headers) headers.push_back({name, value});
  std::string text;
  std::vector<Http2Field> fields;
  RenderHttp2Headers(t, url, RequestParts{url.target, headers, t.body}, text, fields);
  Http2HeaderBlock block;
  block.reserve(fields.size());
  for (const Http2Field& f : fields) {
    block.emplace_back(text.substr(f.name_at, f.name_size), text.substr(f.value_at, f.value_size));
  }
  return block;
}

void RenderHttp2Headers(const HttpRequestTemplate& t, const HttpUrl& url,
                        const RequestParts& parts, std::string& text,
                        std::vector<Http2Field>& fields) {
  text.clear();
  fields.clear();
  auto given = [&parts](absl::string_view name) {
    return std::any_of(parts.headers.begin(), parts.headers.end(), [name](const HeaderView& h) {
      return absl::EqualsIgnoreCase(h.name, name);
    });
  };
  // Names are lower-cased on the way in.
  auto add = [&](absl::string_view name, absl::string_view value) {
    Http2Field f;
    f.name_at = static_cast<uint32_t>(text.size());
    f.name_size = static_cast<uint32_t>(name.size());
    for (char c : name) text.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    f.value_at = static_cast<uint32_t>(text.size());
    f.value_size = static_cast<uint32_t>(value.size());
    text.append(value.data(), value.size());
    fields.push_back(f);
  };
  absl::string_view authority = url.authority;
  for (const HeaderView& h : parts.headers) {
    if (absl::EqualsIgnoreCase(h.name, "Host") && !h.value.empty() &&
        IsSendableHeader(h.name, h.value)) {
      authority = h.value;
    }
  }
  add(":method", t.method);
  add(":path", parts.path);
  add(":scheme", "http");
  add(":authority", authority);
  if (!given("User-Agent")) add("user-agent", "barrage/0.1");
  if (!given("Accept")) add("accept", "*/*");
  for (const HeaderView& h : parts.headers) {
    if (h.value.empty() || absl::EqualsIgnoreCase(h.name, "host") ||
        !IsSendableHeader(h.name, h.value)) {
      continue;
    }
    const size_t at = text.size();
    add(h.name, h.value);
    if (IsConnectionHeader(absl::string_view(text).substr(at, h.name.size()))) {
      text.resize(at);
      fields.pop_back();
    }
  }
  if (!parts.body.empty()) {
    if (!given("Content-Length")) {
      Http2Field f;
      f.name_at = static_cast<uint32_t>(text.size());
      f.name_size = 14;
      text.append("content-length");
      f.value_at = static_cast<uint32_t>(text.size());
      absl::StrAppend(&text, parts.body.size());
      f.value_size = static_cast<uint32_t>(text.size() - f.value_at);
      fields.push_back(f);
    }
    if (!given("Content-Type")) add("content-type", "application/x-www-form-urlencoded");
  }
}

}  // namespace barrage
