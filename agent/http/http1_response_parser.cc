// Copyright 2026 The Barrage Authors.

#include "agent/http/http1_response_parser.h"

#include <algorithm>
#include <cstring>

#include "agent/http/kept_response.h"

namespace barrage {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(const char* s, size_t n, const char* lower) {
  const size_t m = std::strlen(lower);
  if (n != m) return false;
  for (size_t i = 0; i < n; ++i) {
    if (Lower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Trims optional whitespace around [*s, *s + *n).
void Trim(const char** s, size_t* n) {
  while (*n > 0 && IsSpace((*s)[0])) {
    ++*s;
    --*n;
  }
  while (*n > 0 && IsSpace((*s)[*n - 1])) --*n;
}

// Calls `fn(token, size)` for each comma-separated, trimmed token.
template <typename Fn>
void ForEachToken(const char* s, size_t n, Fn fn) {
  size_t start = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || s[i] == ',') {
      const char* token = s + start;
      size_t size = i - start;
      Trim(&token, &size);
      if (size > 0) fn(token, size);
      start = i + 1;
    }
  }
}

}  // namespace

void Http1ResponseParser::Reset(bool head, KeptResponse* kept) {
  phase_ = Phase::kStatusLine;
  kept_ = kept;
  head_ = head;
  started_ = false;
  http10_ = false;
  keep_alive_ = true;
  chunked_ = false;
  has_length_ = false;
  has_transfer_encoding_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
  status_ = 0;
  remaining_ = 0;
  header_bytes_ = 0;
  line_size_ = 0;
  error_ = nullptr;
}

Http1ResponseParser::Result Http1ResponseParser::Fail(const char* message) {
  phase_ = Phase::kError;
  error_ = message;
  keep_alive_ = false;
  return Result::kError;
}

bool Http1ResponseParser::TakeLine(const char* data, size_t n, size_t* pos) {
  const char* start = data + *pos;
  const size_t avail = n - *pos;
  const void* lf = std::memchr(start, '\n', avail);
  const size_t take =
      lf == nullptr ? avail : static_cast<size_t>(static_cast<const char*>(lf) - start) + 1;
  if (line_size_ < kLineCapacity) {
    std::memcpy(line_ + line_size_, start, std::min(take, kLineCapacity - line_size_));
  }
  if (kept_ != nullptr && phase_ == Phase::kHeaderLine) kept_->AppendLine(start, take);
  line_size_ += take;
  header_bytes_ += take;
  *pos += take;
  return lf != nullptr;
}

Http1ResponseParser::Result Http1ResponseParser::Feed(const char* data, size_t n,
                                                      size_t* used) {
  size_t pos = 0;
  if (n > 0) started_ = true;
  while (pos < n && phase_ != Phase::kDone && phase_ != Phase::kError) {
    switch (phase_) {
      case Phase::kStatusLine:
      case Phase::kHeaderLine:
      case Phase::kChunkSize:
      case Phase::kChunkDataEnd:
      case Phase::kTrailerLine: {
        const bool whole = TakeLine(data, n, &pos);
        if (header_bytes_ > kMaxHeaderBytes || line_size_ > kMaxHeaderBytes) {
          *used = pos;
          return Fail("response header section too large");
        }
        if (!whole) break;
        if (kept_ != nullptr && phase_ == Phase::kHeaderLine) kept_->EndLine();
        Result r = Result::kIncomplete;
        switch (phase_) {
          case Phase::kStatusLine: r = OnStatusLine(); break;
          case Phase::kHeaderLine: r = OnHeaderLine(); break;
          case Phase::kChunkSize: r = OnChunkSizeLine(); break;
          case Phase::kChunkDataEnd:
            r = line_size_ <= 2 && (line_size_ == 1 || line_[0] == '\r')
                    ? (phase_ = Phase::kChunkSize, Result::kIncomplete)
                    : Fail("chunk data not followed by CRLF");
            break;
          default:  // kTrailerLine
            if (line_size_ <= 2 && (line_size_ == 1 || line_[0] == '\r')) {
              phase_ = Phase::kDone;
            }
            break;
        }
        line_size_ = 0;
        if (r == Result::kError) {
          *used = pos;
          return r;
        }
        break;
      }
      case Phase::kBody:
      case Phase::kChunkData: {
        const uint64_t take = std::min<uint64_t>(remaining_, n - pos);
        if (kept_ != nullptr) kept_->AppendBody(data + pos, static_cast<size_t>(take));
        pos += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          phase_ = phase_ == Phase::kBody ? Phase::kDone : Phase::kChunkDataEnd;
        }
        break;
      }
      case Phase::kUntilClose:
        if (kept_ != nullptr) kept_->AppendBody(data + pos, n - pos);
        pos = n;
        break;
      default:
        break;
    }
  }
  *used = pos;
  if (phase_ == Phase::kDone) return Result::kComplete;
  return phase_ == Phase::kError ? Result::kError : Result::kIncomplete;
}

Http1ResponseParser::Result Http1ResponseParser::FinishAtEof() {
  keep_alive_ = false;
  if (phase_ == Phase::kUntilClose || phase_ == Phase::kDone) {
    phase_ = Phase::kDone;
    return Result::kComplete;
  }
  if (phase_ == Phase::kError) return Result::kError;
  return Fail(started_ ? "connection closed before the response was complete"
                       : "connection closed before any response");
}

Http1ResponseParser::Result Http1ResponseParser::OnStatusLine() {
  size_t len = line_size_ - 1;  // without the LF
  if (len > kLineCapacity) {
    len = kLineCapacity;  // a long reason phrase: its start is enough
  } else if (len > 0 && line_[len - 1] == '\r') {
    --len;
  }
  if (len == 0) return Result::kIncomplete;  // stray blank line: skipped
  const char* l = line_;
  if (len < 12 || std::memcmp(l, "HTTP/1.", 7) != 0 || !IsDigit(l[7]) ||
      l[8] != ' ' || !IsDigit(l[9]) || !IsDigit(l[10]) || !IsDigit(l[11]) ||
      (len > 12 && l[12] != ' ')) {
    return Fail("malformed status line");
  }
  http10_ = l[7] == '0';
  status_ = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
  if (status_ < 100) return Fail("malformed status line");
  chunked_ = false;
  has_length_ = false;
  has_transfer_encoding_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
  remaining_ = 0;
  phase_ = Phase::kHeaderLine;
  return Result::kIncomplete;
}

Http1ResponseParser::Result Http1ResponseParser::OnHeaderLine() {
  size_t len = line_size_ - 1;
  if (len > 0 && len < kLineCapacity && line_[len - 1] == '\r') --len;
  if (len == 0) return OnHeadersEnd();
  const bool truncated = line_size_ > kLineCapacity;
  const size_t kept = std::min(len, kLineCapacity);
  if (IsSpace(line_[0])) return Result::kIncomplete;  // obsolete folding
  const void* colon = std::memchr(line_, ':', kept);
  if (colon == nullptr) {
    // A name longer than the buffer is no header we read; anything else
    // without a colon is not a header at all.
    return truncated ? Result::kIncomplete : Fail("header line without a colon");
  }
  const size_t name_size = static_cast<size_t>(static_cast<const char*>(colon) - line_);
  enum { kOther, kContentLength, kTransferEncoding, kConnection } which = kOther;
  if (EqualsIgnoreCase(line_, name_size, "content-length")) {
    which = kContentLength;
  } else if (EqualsIgnoreCase(line_, name_size, "transfer-encoding")) {
    which = kTransferEncoding;
  } else if (EqualsIgnoreCase(line_, name_size, "connection")) {
    which = kConnection;
  }
  if (which == kOther) return Result::kIncomplete;
  if (truncated) return Fail("framing header too long");
  const char* value = line_ + name_size + 1;
  size_t value_size = kept - name_size - 1;
  Trim(&value, &value_size);
  switch (which) {
    case kContentLength: {
      if (value_size == 0 || value_size > 18) return Fail("bad Content-Length");
      uint64_t length = 0;
      for (size_t i = 0; i < value_size; ++i) {
        if (!IsDigit(value[i])) return Fail("bad Content-Length");
        length = length * 10 + static_cast<uint64_t>(value[i] - '0');
      }
      if (has_length_ && length != remaining_) return Fail("conflicting Content-Length");
      has_length_ = true;
      remaining_ = length;
      break;
    }
    case kTransferEncoding:
      has_transfer_encoding_ = true;
      chunked_ = false;
      ForEachToken(value, value_size, [this](const char* token, size_t size) {
        chunked_ = EqualsIgnoreCase(token, size, "chunked");  // last one counts
      });
      break;
    default:  // kConnection
      ForEachToken(value, value_size, [this](const char* token, size_t size) {
        if (EqualsIgnoreCase(token, size, "close")) connection_close_ = true;
        if (EqualsIgnoreCase(token, size, "keep-alive")) connection_keep_alive_ = true;
      });
      break;
  }
  return Result::kIncomplete;
}

Http1ResponseParser::Result Http1ResponseParser::OnHeadersEnd() {
  if (status_ < 200) {
    if (status_ == 101) return Fail("unexpected 101 Switching Protocols");
    phase_ = Phase::kStatusLine;  // interim response: the real one follows
    header_bytes_ = 0;
    if (kept_ != nullptr) kept_->DropHeaders();
    return Result::kIncomplete;
  }
  keep_alive_ = http10_ ? connection_keep_alive_ && !connection_close_ : !connection_close_;
  if (head_ || status_ == 204 || status_ == 304) {
    phase_ = Phase::kDone;
  } else if (has_transfer_encoding_) {
    // RFC 9112 6.3: Transfer-Encoding overrides Content-Length; a final
    // coding other than chunked runs until the connection closes.
    if (chunked_) {
      phase_ = Phase::kChunkSize;
    } else {
      phase_ = Phase::kUntilClose;
      keep_alive_ = false;
    }
  } else if (has_length_) {
    phase_ = remaining_ == 0 ? Phase::kDone : Phase::kBody;
  } else {
    phase_ = Phase::kUntilClose;
    keep_alive_ = false;
  }
  return Result::kIncomplete;
}

Http1ResponseParser::Result Http1ResponseParser::OnChunkSizeLine() {
  const size_t kept = std::min(line_size_, kLineCapacity);
  uint64_t size = 0;
  size_t i = 0;
  for (; i < kept; ++i) {
    const int v = HexValue(line_[i]);
    if (v < 0) break;
    if (i >= 15) return Fail("chunk size too large");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  if (i == 0) return Fail("bad chunk size");
  if (i < kept && !IsSpace(line_[i]) && line_[i] != ';' && line_[i] != '\r' &&
      line_[i] != '\n') {
    return Fail("bad chunk size");
  }
  if (size == 0) {
    phase_ = Phase::kTrailerLine;
    header_bytes_ = 0;
  } else {
    phase_ = Phase::kChunkData;
    remaining_ = size;
  }
  return Result::kIncomplete;
}

}  // namespace barrage
