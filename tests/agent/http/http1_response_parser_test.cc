// Copyright 2026 The Barrage Authors.
//
// Http1ResponseParser on whole responses and on the same bytes cut into
// pieces of every size: framing (Content-Length, chunked, until close, no
// body), connection reuse, interim responses, and bad responses.

#include "agent/http/http1_response_parser.h"

#include "agent/http/kept_response.h"

#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

namespace barrage {
namespace {

using Result = Http1ResponseParser::Result;

struct Parsed {
  Result result = Result::kIncomplete;
  int status = 0;
  bool keep_alive = false;
  size_t used = 0;
  std::string error;
};

// Feeds `bytes` in pieces of `piece` bytes (0: all at once); `eof` closes
// the connection after the last byte if the response is still incomplete.
Parsed Parse(const std::string& bytes, size_t piece = 0, bool head = false,
             bool eof = false) {
  Http1ResponseParser p;
  p.Reset(head);
  Parsed out;
  size_t pos = 0;
  if (piece == 0) piece = bytes.size();
  while (pos < bytes.size() && out.result == Result::kIncomplete) {
    const size_t n = std::min(piece, bytes.size() - pos);
    size_t used = 0;
    out.result = p.Feed(bytes.data() + pos, n, &used);
    REQUIRE(used <= n);
    out.used += used;
    if (out.result == Result::kIncomplete) REQUIRE(used == n);
    pos += n;
  }
  if (eof && out.result == Result::kIncomplete) out.result = p.FinishAtEof();
  out.status = p.status();
  out.keep_alive = p.keep_alive();
  if (p.error() != nullptr) out.error = p.error();
  return out;
}

// The same response parsed whole, byte by byte and in 7-byte pieces agree.
Parsed ParseEveryWay(const std::string& bytes, bool head = false, bool eof = false) {
  const Parsed whole = Parse(bytes, 0, head, eof);
  for (size_t piece : {size_t{1}, size_t{2}, size_t{7}, size_t{64}}) {
    const Parsed cut = Parse(bytes, piece, head, eof);
    INFO("piece " << piece);
    CHECK(cut.result == whole.result);
    CHECK(cut.status == whole.status);
    CHECK(cut.keep_alive == whole.keep_alive);
    CHECK(cut.used == whole.used);
  }
  return whole;
}

TEST_CASE("a Content-Length response completes exactly at its end") {
  const std::string r =
      "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-LENGTH:  5 \r\n\r\nhello";
  const Parsed p = ParseEveryWay(r);
  CHECK(p.result == Result::kComplete);
  CHECK(p.status == 200);
  CHECK(p.keep_alive);
  CHECK(p.used == r.size());
}

TEST_CASE("bytes past the response are not consumed") {
  const std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
  const Parsed p = Parse(r);
  CHECK(p.result == Result::kComplete);
  CHECK(p.used == r.size() - 5);
}

TEST_CASE("a chunked response with extensions and trailers") {
  const std::string r =
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Trailer: 1\r\n\r\n";
  const Parsed p = ParseEveryWay(r);
  CHECK(p.result == Result::kComplete);
  CHECK(p.status == 201);
  CHECK(p.keep_alive);
  CHECK(p.used == r.size());
}

TEST_CASE("chunked wins over Content-Length") {
  const Parsed p = ParseEveryWay(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nok\r\n0\r\n\r\n");
  CHECK(p.result == Result::kComplete);
}

TEST_CASE("bare LF line endings are accepted") {
  const Parsed p = ParseEveryWay("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
  CHECK(p.result == Result::kComplete);
}

TEST_CASE("a body without length runs until the connection closes") {
  SECTION("no framing header") {
    const Parsed p = ParseEveryWay("HTTP/1.1 200 OK\r\n\r\nsome body", false, true);
    CHECK(p.result == Result::kComplete);
    CHECK_FALSE(p.keep_alive);
  }
  SECTION("a final coding other than chunked") {
    const Parsed p = ParseEveryWay(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz", false, true);
    CHECK(p.result == Result::kComplete);
    CHECK_FALSE(p.keep_alive);
  }
  SECTION("incomplete until the close") {
    CHECK(Parse("HTTP/1.1 200 OK\r\n\r\nbody").result == Result::kIncomplete);
  }
}

TEST_CASE("responses without a body") {
  SECTION("HEAD ignores Content-Length") {
    const Parsed p =
        ParseEveryWay("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true);
    CHECK(p.result == Result::kComplete);
    CHECK(p.keep_alive);
  }
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    const Parsed p = ParseEveryWay(std::string("HTTP/1.1 ") + status + "\r\n\r\n");
    CHECK(p.result == Result::kComplete);
    CHECK(p.keep_alive);
  }
  SECTION("Content-Length: 0") {
    CHECK(ParseEveryWay("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").status ==
          404);
  }
}

TEST_CASE("interim 1xx responses are skipped") {
  const Parsed p = ParseEveryWay(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  CHECK(p.result == Result::kComplete);
  CHECK(p.status == 200);
}

TEST_CASE("connection reuse follows the version and Connection") {
  CHECK_FALSE(ParseEveryWay("HTTP/1.1 200 OK\r\nConnection: Close\r\n"
                            "Content-Length: 0\r\n\r\n")
                  .keep_alive);
  CHECK_FALSE(ParseEveryWay("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  CHECK(ParseEveryWay("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                      "Content-Length: 0\r\n\r\n")
            .keep_alive);
  CHECK(ParseEveryWay("HTTP/1.1 200 OK\r\nConnection: x, keep-alive\r\n"
                      "Content-Length: 0\r\n\r\n")
            .keep_alive);
}

TEST_CASE("long headers that do not frame the body are skipped") {
  const std::string r = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(5000, 'v') +
                        "\r\n" + std::string(400, 'N') + ": v\r\n" +
                        "Content-Length: 2\r\n\r\nok";
  const Parsed p = ParseEveryWay(r);
  CHECK(p.result == Result::kComplete);
  CHECK(p.used == r.size());
}

TEST_CASE("bad responses are errors that say what is wrong") {
  struct Case {
    const char* bytes;
    const char* error;
  };
  const Case c = GENERATE(
      Case{"HTTP/2 200 OK\r\n\r\n", "malformed status line"},
      Case{"HTTX/1.1 200 OK\r\n\r\n", "malformed status line"},
      Case{"HTTP/1.1 20 OK\r\n\r\n", "malformed status line"},
      Case{"HTTP/1.1 200OK\r\n\r\n", "malformed status line"},
      Case{"HTTP/1.1 099 Low\r\n\r\n", "malformed status line"},
      Case{"garbage\r\n", "malformed status line"},
      Case{"HTTP/1.1 101 Switching Protocols\r\n\r\n", "unexpected 101 Switching Protocols"},
      Case{"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line without a colon"},
      Case{"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
      Case{"HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", "bad Content-Length"},
      Case{"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "bad Content-Length"},
      Case{"HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n",
           "bad Content-Length"},
      Case{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "conflicting Content-Length"},
      Case{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
      Case{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", "bad chunk size"},
      Case{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
           "chunk size too large"},
      Case{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n",
           "chunk data not followed by CRLF"});
  INFO(c.bytes);
  for (size_t piece : {size_t{0}, size_t{1}, size_t{3}}) {
    const Parsed p = Parse(c.bytes, piece);
    CHECK(p.result == Result::kError);
    CHECK(p.error == c.error);
    CHECK_FALSE(p.keep_alive);
  }
}

TEST_CASE("a status line longer than the line buffer is read from its start") {
  // Found by the fuzzer: the line's end lies beyond what is kept of it.
  const Parsed p = ParseEveryWay("HTTP/1.1 200 " + std::string(1000, 'r') +
                                 "\r\nContent-Length: 0\r\n\r\n");
  CHECK(p.result == Result::kComplete);
  CHECK(p.status == 200);
  CHECK(Parse("HTTP/0.1 20h:" + std::string(1000, '\0') + "\n").error ==
        "malformed status line");
}

TEST_CASE("a framing header longer than the line buffer is an error") {
  const Parsed p = Parse("HTTP/1.1 200 OK\r\nContent-Length: " + std::string(300, ' ') +
                         "1\r\n\r\nx");
  CHECK(p.result == Result::kError);
  CHECK(p.error == "framing header too long");
}

TEST_CASE("an endless header section is cut off") {
  std::string r = "HTTP/1.1 200 OK\r\n";
  while (r.size() <= Http1ResponseParser::kMaxHeaderBytes) r += "X-Filler: 0123456789\r\n";
  const Parsed p = Parse(r, 4096);
  CHECK(p.result == Result::kError);
  CHECK(p.error == "response header section too large");
  // One endless line too.
  CHECK(Parse("HTTP/1.1 200 OK\r\nX: " + std::string(300'000, 'a'), 4096).error ==
        "response header section too large");
}

TEST_CASE("a close before the end is an error; before any byte it says so") {
  const Parsed mid =
      Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 0, false, true);
  CHECK(mid.result == Result::kError);
  CHECK(mid.error == "connection closed before the response was complete");
  Http1ResponseParser p;
  p.Reset(false);
  CHECK_FALSE(p.started());
  CHECK(p.FinishAtEof() == Result::kError);
  CHECK(std::string(p.error()) == "connection closed before any response");
}

TEST_CASE("Reset makes a parser ready for the next response") {
  Http1ResponseParser p;
  p.Reset(false);
  size_t used = 0;
  const std::string bad = "nonsense\r\n";
  CHECK(p.Feed(bad.data(), bad.size(), &used) == Result::kError);
  p.Reset(false);
  const std::string good = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  CHECK(p.Feed(good.data(), good.size(), &used) == Result::kComplete);
  CHECK(p.status() == 200);
  CHECK(p.keep_alive());
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

TEST_CASE("a parser with a KeptResponse keeps the final headers and the de-chunked body") {
  KeptResponse kept;
  Http1ResponseParser p;
  p.Reset(false, &kept);
  const std::string response =
      "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
      "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-Long: " + std::string(400, 'v') +
      "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  // Byte by byte: lines and chunks in pieces.
  Http1ResponseParser::Result r = Http1ResponseParser::Result::kIncomplete;
  for (size_t i = 0; i < response.size(); ++i) {
    size_t used = 0;
    r = p.Feed(response.data() + i, 1, &used);
  }
  REQUIRE(r == Http1ResponseParser::Result::kComplete);
  HttpResult result;
  kept.Show(result);
  REQUIRE(result.response_headers.size() == 3);
  CHECK(result.response_headers[0].name == "X-A");
  CHECK(result.response_headers[0].value == "1");
  CHECK(result.response_headers[1].value == std::string(400, 'v'));
  CHECK(result.response_headers[2].name == "Transfer-Encoding");
  CHECK(result.response_body == "abcde");
  CHECK_FALSE(result.body_truncated);
}

TEST_CASE("a kept body stops at kMaxKeptBody and says so") {
  KeptResponse kept;
  const std::string piece(1000, 'x');
  for (size_t n = 0; n <= kMaxKeptBody; n += piece.size()) kept.AppendBody(piece.data(), piece.size());
  HttpResult result;
  kept.Show(result);
  CHECK(result.response_body.size() == kMaxKeptBody);
  CHECK(result.body_truncated);
  kept.Clear();
  kept.Show(result);
  CHECK(result.response_body.empty());
  CHECK_FALSE(result.body_truncated);
}

}  // namespace
}  // namespace barrage
