// Copyright 2026 The Barrage Authors.

#include "tools/target/request_parser.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/util/http_token.h"

namespace barrage {
namespace {


// Field values: visible ASCII, space, tab and obs-text; no other controls.
bool IsFieldValue(absl::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

absl::string_view TrimOws(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Returns the offset just past the blank line ending the head, or npos. Only
// newlines at or after `from` are examined; earlier ones were already seen.
size_t FindHeadEnd(absl::string_view data, size_t from) {
  size_t i = from;
  while (i < data.size()) {
    const void* hit = std::memchr(data.data() + i, '\n', data.size() - i);
    if (hit == nullptr) return absl::string_view::npos;
    i = static_cast<size_t>(static_cast<const char*>(hit) - data.data());
    if (i >= 1 && data[i - 1] == '\n') return i + 1;
    if (i >= 2 && data[i - 1] == '\r' && data[i - 2] == '\n') return i + 1;
    ++i;
  }
  return absl::string_view::npos;
}

}  // namespace

Http1RequestParser::Result Http1RequestParser::Fail(const char* why) {
  scanned_ = 0;
  error_ = why;
  return Result::kBad;
}

Http1RequestParser::Result Http1RequestParser::Parse(absl::string_view data,
                                                     Http1Request* request) {
  const size_t end = FindHeadEnd(data, scanned_);
  if (end == absl::string_view::npos) {
    if (data.size() > kMaxHeadBytes) return Fail("request head over 64 KiB");
    scanned_ = data.size();
    return Result::kNeedMore;
  }
  scanned_ = 0;
  if (end > kMaxHeadBytes) return Fail("request head over 64 KiB");

  *request = Http1Request();
  request->head_size = end;
  bool saw_length = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
  size_t pos = 0;
  bool first = true;
  while (pos < end) {
    const size_t nl = data.find('\n', pos);  // always < end
    absl::string_view line = data.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      first = false;
      if (!ParseRequestLine(line, request)) return Fail(error_);
      continue;
    }
    if (line.empty()) break;  // the blank line: pos == end
    if (!ParseField(line, request, &saw_length, &connection_close,
                    &connection_keep_alive)) {
      return Fail(error_);
    }
  }
  if (request->chunked && saw_length) {
    return Fail("both Content-Length and Transfer-Encoding");
  }
  request->keep_alive = request->minor_version == 1
                            ? !connection_close
                            : connection_keep_alive && !connection_close;
  return Result::kDone;
}

bool Http1RequestParser::ParseRequestLine(absl::string_view line,
                                          Http1Request* request) {
  const size_t sp1 = line.find(' ');
  if (sp1 == absl::string_view::npos) {
    error_ = "malformed request line";
    return false;
  }
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == absl::string_view::npos) {
    error_ = "malformed request line";
    return false;
  }
  request->method = line.substr(0, sp1);
  request->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const absl::string_view version = line.substr(sp2 + 1);
  if (!IsHttpToken(request->method) || request->method.size() > 32) {
    error_ = "bad method";
    return false;
  }
  if (request->target.empty()) {
    error_ = "empty request target";
    return false;
  }
  for (char ch : request->target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) {
      error_ = "bad byte in request target";
      return false;
    }
  }
  if (version == "HTTP/1.1") {
    request->minor_version = 1;
  } else if (version == "HTTP/1.0") {
    request->minor_version = 0;
  } else {
    error_ = "unsupported HTTP version";
    return false;
  }
  return true;
}

bool Http1RequestParser::ParseField(absl::string_view line,
                                    Http1Request* request, bool* saw_length,
                                    bool* connection_close,
                                    bool* connection_keep_alive) {
  if (line.front() == ' ' || line.front() == '\t') {
    error_ = "obsolete header line folding";
    return false;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) {
    error_ = "header line without ':'";
    return false;
  }
  const absl::string_view name = line.substr(0, colon);
  const absl::string_view value = TrimOws(line.substr(colon + 1));
  if (!IsHttpToken(name)) {
    error_ = "bad header name";
    return false;
  }
  if (!IsFieldValue(value)) {
    error_ = "control byte in header value";
    return false;
  }
  if (absl::EqualsIgnoreCase(name, "content-length")) {
    if (value.empty() || value.size() > 18) {
      error_ = "bad Content-Length";
      return false;
    }
    uint64_t length = 0;
    for (char c : value) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        error_ = "bad Content-Length";
        return false;
      }
      length = length * 10 + static_cast<uint64_t>(c - '0');
    }
    if (*saw_length && length != request->content_length) {
      error_ = "conflicting Content-Length";
      return false;
    }
    *saw_length = true;
    request->content_length = length;
  } else if (absl::EqualsIgnoreCase(name, "transfer-encoding")) {
    request->chunked = true;
  } else if (absl::EqualsIgnoreCase(name, "connection")) {
    absl::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const absl::string_view token = TrimOws(rest.substr(0, comma));
      rest = comma == absl::string_view::npos ? absl::string_view()
                                              : rest.substr(comma + 1);
      if (absl::EqualsIgnoreCase(token, "close")) *connection_close = true;
      if (absl::EqualsIgnoreCase(token, "keep-alive")) {
        *connection_keep_alive = true;
      }
    }
  } else if (absl::EqualsIgnoreCase(name, "expect")) {
    request->expect_continue = absl::EqualsIgnoreCase(value, "100-continue");
  }
  return true;
}

}  // namespace barrage
