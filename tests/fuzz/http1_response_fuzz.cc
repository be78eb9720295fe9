// Copyright 2026 The Barrage Authors.
//
// libFuzzer: any bytes as a server's HTTP/1.1 response. The first byte picks
// a piece size and whether the request was HEAD; the rest is the response.
// Parsing must never crash or read out of bounds, must consume no more than
// it is given, and must reach the same verdict (result, status, reuse,
// bytes used) whether it sees the bytes at once or in pieces.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "agent/http/http1_response_parser.h"

namespace {

struct Verdict {
  barrage::Http1ResponseParser::Result result;
  int status;
  bool keep_alive;
  size_t used;
};

Verdict Parse(const char* data, size_t size, size_t piece, bool head) {
  using Result = barrage::Http1ResponseParser::Result;
  barrage::Http1ResponseParser p;
  p.Reset(head);
  Verdict v{Result::kIncomplete, 0, false, 0};
  size_t pos = 0;
  while (pos < size && v.result == Result::kIncomplete) {
    const size_t n = std::min(piece, size - pos);
    size_t used = 0;
    v.result = p.Feed(data + pos, n, &used);
    if (used > n) __builtin_trap();
    if (v.result == Result::kIncomplete && used != n) __builtin_trap();
    v.used += used;
    pos += n;
  }
  if (v.result == Result::kIncomplete) v.result = p.FinishAtEof();
  if (v.result == Result::kError && p.error() == nullptr) __builtin_trap();
  v.status = p.status();
  v.keep_alive = p.keep_alive();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + (data[0] & 0x3f);
  const bool head = (data[0] & 0x40) != 0;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  const Verdict whole = Parse(bytes, size - 1, size, head);
  const Verdict cut = Parse(bytes, size - 1, piece, head);
  // An error found at a piece boundary may be found earlier when cut, so
  // only the bytes used of a completed response must agree exactly.
  if (whole.result != cut.result || whole.status != cut.status ||
      whole.keep_alive != cut.keep_alive) {
    __builtin_trap();
  }
  if (whole.result == barrage::Http1ResponseParser::Result::kComplete &&
      whole.used != cut.used) {
    __builtin_trap();
  }
  return 0;
}
