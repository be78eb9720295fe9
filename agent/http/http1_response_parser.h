// Copyright 2026 The Barrage Authors.
//
// Http1ResponseParser: an incremental HTTP/1.1 response parser for the
// native client. It is fed bytes as they arrive, in pieces of any size, and
// keeps only what framing needs: the status, the body's length (Content-
// Length, chunked, or until the connection closes) and whether the
// connection may be reused. Headers are otherwise skipped, so memory is one
// short line buffer whatever the response's size, and nothing is allocated.
// Given a KeptResponse (keep_response templates), it also hands it the
// final response's header lines and its body (de-chunked) as they pass.
//
// Bad responses (a malformed status line, a bad chunk size, conflicting
// Content-Lengths, an oversized header section) end in kError with a static
// message; the connection is then closed. Interim 1xx responses are skipped.
//
// Thread safety: none; one parser per connection.
#ifndef BARRAGE_AGENT_HTTP_HTTP1_RESPONSE_PARSER_H_
#define BARRAGE_AGENT_HTTP_HTTP1_RESPONSE_PARSER_H_

#include <cstddef>
#include <cstdint>

namespace barrage {

class KeptResponse;

class Http1ResponseParser {
 public:
  enum class Result { kIncomplete, kComplete, kError };

  static constexpr size_t kMaxHeaderBytes = 256 * 1024;

  // Starts a new response; `head` when the request was HEAD (no body).
  // `kept` (borrowed until the next Reset; nullptr: none) receives the
  // response's header fields and body.
  void Reset(bool head, KeptResponse* kept = nullptr);

  // Consumes up to `n` bytes; `*used` is how many belong to this response
  // (all of them unless it completes). After kComplete or kError, feed no
  // more until Reset().
  Result Feed(const char* data, size_t n, size_t* used);

  // The peer closed the connection: completes a body delimited by the close,
  // anything else unfinished is an error.
  Result FinishAtEof();

  int status() const { return status_; }
  // Whether the connection can carry another request after this response.
  bool keep_alive() const { return keep_alive_; }
  // Whether any byte of this response has arrived.
  bool started() const { return started_; }
  const char* error() const { return error_; }

 private:
  enum class Phase {
    kStatusLine,
    kHeaderLine,
    kBody,          // Content-Length bytes remain
    kUntilClose,    // body ends when the connection does
    kChunkSize,
    kChunkData,
    kChunkDataEnd,  // the CRLF after a chunk's data
    kTrailerLine,
    kDone,
    kError,
  };

  Result Fail(const char* message);
  // Appends to the current line up to its LF; true once the line is whole.
  bool TakeLine(const char* data, size_t n, size_t* pos);
  Result OnStatusLine();
  Result OnHeaderLine();
  Result OnHeadersEnd();
  Result OnChunkSizeLine();

  static constexpr size_t kLineCapacity = 256;

  Phase phase_ = Phase::kStatusLine;
  KeptResponse* kept_ = nullptr;
  bool head_ = false;
  bool started_ = false;
  bool http10_ = false;
  bool keep_alive_ = true;
  bool chunked_ = false;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  int status_ = 0;
  uint64_t remaining_ = 0;      // body or chunk bytes
  size_t header_bytes_ = 0;     // of the current header section
  size_t line_size_ = 0;        // bytes of the line seen so far
  const char* error_ = nullptr;
  char line_[kLineCapacity];    // the line's first kLineCapacity bytes
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP1_RESPONSE_PARSER_H_
