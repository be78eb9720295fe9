// Copyright 2026 The Barrage Authors.
//
// What the native HTTP/1.1 client sends: absolute http(s):// URLs taken apart,
// and each request template turned into its bytes once per run, exactly as
// libcurl would write them (tests/agent/http1_driver_test.cc compares the
// two byte for byte).
#ifndef BARRAGE_AGENT_HTTP_HTTP1_REQUEST_H_
#define BARRAGE_AGENT_HTTP_HTTP1_REQUEST_H_

#include <string>

#include "absl/status/statusor.h"

#include "agent/http/http_client.h"

namespace barrage {

// The parts of an absolute http:// or https:// URL a request needs.
struct HttpUrl {
  bool tls = false;         // https://
  std::string authority;    // host[:port] as written: the Host header
  std::string host;         // without brackets
  std::string port = "80";  // "443" for https:// when not written
  std::string target;       // path and query, at least "/"
};

// Parses "http[s]://host[:port][/path][?query][#fragment]" (the fragment is
// dropped). InvalidArgument, quoting the URL, for another scheme, user
// info, a bad port, or a space or control character in the target.
absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url);

// Whether the template's method and headers can go on the wire as written:
// tokens for the method and header names, no CR, LF or NUL in values.
bool IsSendableAsWritten(const HttpRequestTemplate& t);

// The whole request: request line; Host (the URL's authority, or the
// template's Host header in its place); `User-Agent: barrage/0.1` and
// `Accept: */*` unless the template gives them; the template's headers in
// order, where an empty value removes the header (libcurl's convention); and
// for a body, Content-Length and libcurl's default
// `Content-Type: application/x-www-form-urlencoded` unless given; then the
// body.
std::string BuildHttp1Request(const HttpRequestTemplate& t, const HttpUrl& url);

// The same for one send with rendered parts (RequestParts): the request line
// carries `parts.path` and the headers and body are the parts', under the
// same rules; a header whose name is no token or whose value holds CR, LF
// or NUL is left out (a rendered value must not split the head). `wire` is
// cleared first and keeps its capacity, so a reused buffer allocates
// nothing once it has grown.
void RenderHttp1Request(const HttpRequestTemplate& t, const HttpUrl& url,
                        const RequestParts& parts, std::string& wire);

// Whether a rendered header may go on the wire (HTTP/1.1 and HTTP/2 alike).
bool IsSendableHeader(absl::string_view name, absl::string_view value);

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP1_REQUEST_H_
