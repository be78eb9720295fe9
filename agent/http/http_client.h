// Copyright 2026 The Barrage Authors.
//
// HttpClient: the seam between a worker and the network. A worker starts
// prebuilt requests by index and learns of their completion from Poll(). The
// real implementations are Http1Driver (native HTTP/1.1, http and https),
// Http2Driver (native HTTP/2, h2c and over TLS) and CurlMultiDriver
// (libcurl multi: the rest, or everything with --http-engine curl);
// MakeHttpClient() picks one.
// Tests use FakeHttpClient (tests/support/).
//
// A failed request is a measurement, not an error: every Start() ends in
// exactly one HttpResult with an Outcome, never a Status.
//
// Thread safety: one owner thread calls everything except Wakeup(), which
// any thread may call to end a Poll() early.
#ifndef BARRAGE_AGENT_HTTP_HTTP_CLIENT_H_
#define BARRAGE_AGENT_HTTP_HTTP_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/stats/error_reason.h"
#include "common/stats/outcome.h"
#include "common/scenario/scenario.h"

namespace barrage {

// One request, built once per run and fired many times.
struct HttpRequestTemplate {
  std::string name;
  std::string method;
  std::string url;  // absolute
  HeaderList headers;
  std::string body;
  absl::Duration timeout;
  std::vector<int> expect_status;  // empty: 2xx and 3xx succeed
  // Flow steps with captures, checks or cookies: the client keeps the
  // response's headers and body (up to kMaxKeptBody; a longer body is cut
  // there and flagged) and shows them in the HttpResult.
  bool keep_response = false;
  // `network:` for this request (a flow's or the scenario's); disabled:
  // none. Applied by ShapedHttpClient (network_shaper.h) around any client.
  NetworkProfile network;

  bool Succeeded(int status) const;
};

inline constexpr size_t kMaxKeptBody = 1 << 20;  // 1 MiB

struct HeaderView {
  absl::string_view name;
  absl::string_view value;
};

// One send of a template with rendered parts (flows, data, captured
// values): `path` (origin-form path and query, starting with '/': the
// template's origin and base path are kept; the caller already prefixed
// the base path), every header (the template's own are not sent), and the
// body. Method, origin, timeout and expect come from the template. The
// views are only read during StartWith(): the client copies what it needs
// into buffers it reuses, so a steady stream of sends allocates nothing.
struct RequestParts {
  absl::string_view path;
  absl::Span<const HeaderView> headers;
  absl::string_view body;
};

// Which client sends a run's requests.
enum class HttpEngine {
  kAuto,  // Http1Driver for http(s):// over HTTP/1.1, Http2Driver for http://
          // over HTTP/2 (h2c, prior knowledge), CurlMultiDriver otherwise
  kCurl,  // CurlMultiDriver for everything
};

// Transport settings shared by all of a run's requests.
struct HttpClientOptions {
  HttpVersion http = HttpVersion::kHttp11;
  HttpEngine engine = HttpEngine::kAuto;
  bool insecure = false;      // https without certificate verification
  std::string ca_file;        // extra CA bundle for https; "" = system
  std::string ca_pem;         // CA certificates (PEM) trusted instead; "" = none
  std::string cert_pem;       // client certificate (PEM) for mTLS targets; "" = none
  std::string key_pem;        // its private key (PEM)
  size_t max_in_flight = 1000;
  // HTTP/2, per client (one worker): connections to the origin (0: enough
  // for max_in_flight at h2_max_streams each), and concurrent streams per
  // connection (the server's SETTINGS_MAX_CONCURRENT_STREAMS lowers it).
  int h2_connections = 0;
  int h2_max_streams = 100;
  // Seeds ShapedHttpClient's jitter (network profiles), per client.
  uint64_t network_seed = 1;
};

struct HttpResult {
  uint64_t token = 0;  // as given to Start()
  Outcome outcome = Outcome::kOther;
  int status = 0;      // HTTP status; 0 when no response arrived
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  // Why it failed (kNone when ok or an HTTP error: the status says why).
  ErrorReason reason = ErrorReason::kNone;
  // Phases, in ns; -1 when not measured. connect_ns (TCP) and tls_ns (the
  // TLS handshake) only when this request opened a new connection (not on
  // a reused kept-alive one); ttfb_ns from the start to the first response
  // byte, connecting included.
  int64_t connect_ns = -1;
  int64_t tls_ns = -1;
  int64_t ttfb_ns = -1;
  // keep_response templates only, and only while the on_done call runs
  // (the client reuses the memory): the response's headers in arrival
  // order (names as received; HTTP/2's lower case) and body.
  absl::Span<const HeaderView> response_headers;
  absl::string_view response_body;
  bool body_truncated = false;  // longer than kMaxKeptBody
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Fires template `template_index`; `token` comes back in its HttpResult.
  // The caller keeps in_flight() below the options' max_in_flight.
  virtual void Start(size_t template_index, uint64_t token) = 0;
  // Fires template `template_index` with `parts` in place of its path,
  // headers and body (see RequestParts).
  virtual void StartWith(size_t template_index, const RequestParts& parts,
                         uint64_t token) = 0;

  // Moves transfers along, calling `on_done` for each completed one, and
  // waits for network activity at most `timeout_ns` (0: do not wait) or
  // until Wakeup().
  virtual void Poll(int64_t timeout_ns,
                    absl::FunctionRef<void(const HttpResult&)> on_done) = 0;

  // Ends every request at once: results already complete are delivered as
  // they are, and every request still in flight is abandoned and delivered
  // with outcome kAborted (reason kAborted), its bytes sent and received so
  // far. Afterwards in_flight() is 0.
  virtual void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) = 0;

  virtual void Wakeup() = 0;  // any thread
  virtual const char* name() const = 0;  // "native-http1", "libcurl", ...
  virtual size_t in_flight() const = 0;
  virtual uint64_t connections_opened() const = 0;
  // Requests sent again after an HTTP/2 GOAWAY, since Create (cumulative;
  // 0 for clients that do not retry so).
  virtual uint64_t h2_retries() const { return 0; }
  // Whether the client itself holds each request to its template's
  // network.bandwidth_bps (libcurl's speed limits), so ShapedHttpClient
  // adds no send delay (and tops a result up only beyond its transfer).
  virtual bool limits_bandwidth() const { return false; }
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_HTTP_CLIENT_H_
