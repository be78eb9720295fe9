// Copyright 2026 The Barrage Authors.
//
// Http1RequestParser: finds and parses one HTTP/1.x request head (request line
// and header fields, RFC 9112) at the start of a byte buffer, for the
// `barrage target` test server. It extracts only what a server that ignores
// request content needs: method, target, version, keep-alive, the body length
// and whether the body is chunked.
//
// The parser is incremental in the cheap sense: when the head is incomplete it
// remembers how far it scanned for the blank line, so feeding a head in many
// small pieces costs O(size), not O(size^2). It never allocates; the views in
// Http1Request point into the caller's buffer and live as long as it does.
//
// Strictness: lines may end in CRLF or bare LF; anything else malformed (bad
// method or version, control bytes, obsolete line folding, conflicting or
// non-numeric Content-Length, Content-Length with Transfer-Encoding, a head
// over kMaxHeadBytes) is kBad with a short reason.
//
// Thread safety: none; one parser per connection.
#ifndef BARRAGE_TOOLS_TARGET_REQUEST_PARSER_H_
#define BARRAGE_TOOLS_TARGET_REQUEST_PARSER_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace barrage {

// What the server needs from one request head.
struct Http1Request {
  absl::string_view method;      // e.g. "GET"; case-sensitive token
  absl::string_view target;      // request-target as sent, e.g. "/a?b=c"
  int minor_version = 1;         // HTTP/1.<minor_version>: 0 or 1
  bool keep_alive = true;        // after Connection tokens and version default
  bool expect_continue = false;  // "Expect: 100-continue"
  bool chunked = false;          // any Transfer-Encoding was present
  uint64_t content_length = 0;   // body bytes that follow the head
  size_t head_size = 0;          // bytes of the head, blank line included
};

class Http1RequestParser {
 public:
  // Largest head accepted (request line + fields + blank line), in bytes.
  static constexpr size_t kMaxHeadBytes = 64 * 1024;

  enum class Result {
    kNeedMore,  // no blank line yet, and under kMaxHeadBytes
    kDone,      // *request filled; the head is request->head_size bytes
    kBad,       // malformed or too large; see error()
  };

  // Parses the head at the start of `data`. After kNeedMore, call again with
  // the same head start and more bytes appended. After kDone or kBad the
  // parser resets itself for the next head.
  Result Parse(absl::string_view data, Http1Request* request);

  // Why the last Parse returned kBad; a static string.
  const char* error() const { return error_; }

 private:
  Result Fail(const char* why);
  bool ParseRequestLine(absl::string_view line, Http1Request* request);
  bool ParseField(absl::string_view line, Http1Request* request,
                  bool* saw_length, bool* connection_close,
                  bool* connection_keep_alive);

  size_t scanned_ = 0;  // bytes of the current head already searched
  const char* error_ = "";
};

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_REQUEST_PARSER_H_
