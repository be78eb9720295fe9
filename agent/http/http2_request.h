// Copyright 2026 The Barrage Authors.
//
// What the native HTTP/2 client sends for a request template: its header
// block, built once per run, as libcurl would send it over HTTP/2
// (tests/agent/http/http2_driver_test.cc compares the two).
#ifndef BARRAGE_AGENT_HTTP_HTTP2_REQUEST_H_
#define BARRAGE_AGENT_HTTP_HTTP2_REQUEST_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/http/http1_request.h"
#include "agent/http/http_client.h"

namespace barrage {

// Header fields in order, names lower case, pseudo-headers first.
using Http2HeaderBlock = std::vector<std::pair<std::string, std::string>>;

// :method, :path (the URL's target), :scheme "http", :authority (the URL's
// authority, or the template's Host header in its place); `user-agent:
// barrage/0.1` and `accept: */*` unless the template gives them; the
// template's headers in order, lower-cased, without Host, empty values
// (libcurl's removal convention) and HTTP/1 connection headers (Connection,
// Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade), which HTTP/2
// forbids; and for a body, content-length and libcurl's default
// `content-type: application/x-www-form-urlencoded` unless given.
Http2HeaderBlock BuildHttp2Headers(const HttpRequestTemplate& t, const HttpUrl& url);

// One field of a rendered block: offsets into its text.
struct Http2Field {
  uint32_t name_at = 0, name_size = 0, value_at = 0, value_size = 0;
};

// The same block for one send with rendered parts (RequestParts): :path is
// `parts.path`, the headers and body are the parts' (a header that is no
// token or holds CR, LF or NUL is left out). Names and values go into
// `text`, their places into `fields`; both are cleared first and keep their
// capacity, so reused buffers allocate nothing once grown.
void RenderHttp2Headers(const HttpRequestTemplate& t, const HttpUrl& url,
                        const RequestParts& parts, std::string& text,
                        std::vector<Http2Field>& fields);

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP2_REQUEST_H_
