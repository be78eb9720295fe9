// Copyright 2026 The Barrage Authors.
//
// Why a request failed, as a small id the drivers put in each HttpResult
// (the request path carries a byte, never a string). The agent counts
// failures per (request, reason) and sends the names; an HTTP error's
// reason is its status ("http: 503"), formatted only when reported.
//
// The set is fixed, so the reasons of one request are bounded by
// construction; the wire still caps them (see StatsReport.errors).
#ifndef BARRAGE_COMMON_STATS_ERROR_REASON_H_
#define BARRAGE_COMMON_STATS_ERROR_REASON_H_

#include <cstddef>
#include <cstdint>

namespace barrage {

enum class ErrorReason : uint8_t {
  kNone = 0,              // ok, or an HTTP error (its status says why)
  kConnectRefused,        // ECONNREFUSED
  kConnectUnreachable,    // ENETUNREACH, EHOSTUNREACH
  kConnectTimeout,        // ETIMEDOUT while connecting
  kConnectFailed,         // any other connect failure (no local port, ...)
  kDns,                   // the host name did not resolve
  kTlsVerify,             // the peer's certificate did not verify
  kTlsHandshake,          // any other TLS failure
  kTlsHostname,           // the certificate names another host
  kTlsExpired,            // the certificate expired (or is not yet valid)
  kTlsUnknownCa,          // the certificate's issuer is not trusted
  kTimeout,               // no complete response within the timeout
  kReset,                 // ECONNRESET, EPIPE: the peer reset the connection
  kClosed,                // the peer closed before a complete response
  kBadResponse,           // not a valid HTTP/1 response
  kH2Protocol,            // HTTP/2 framing or stream error
  kSendFailed,            // sending failed otherwise
  kRecvFailed,            // receiving failed otherwise
  kAborted,               // abandoned by an immediate stop
  kOther,                 // none of the above
  // HTTP/2 (native driver): the server reset the stream (RST_STREAM) with
  // REFUSED_STREAM, CANCEL, or another code; or went away (GOAWAY) without
  // processing it, again after its one retry on a fresh connection.
  kH2ResetRefused,
  kH2ResetCancel,
  kH2ResetOther,
  kH2GoAway,
  kTlsNoH2,               // HTTP/2 over TLS: the server's ALPN did not pick h2
};
inline constexpr size_t kErrorReasonCount = 25;

// The reason's short name: "connect: refused", "timeout", ...; "" for kNone.
inline const char* ErrorReasonName(ErrorReason reason) {
  switch (reason) {
    case ErrorReason::kNone: return "";
    case ErrorReason::kConnectRefused: return "connect: refused";
    case ErrorReason::kConnectUnreachable: return "connect: unreachable";
    case ErrorReason::kConnectTimeout: return "connect: timeout";
    case ErrorReason::kConnectFailed: return "connect: failed";
    case ErrorReason::kDns: return "dns: not resolved";
    case ErrorReason::kTlsVerify: return "tls: certificate verify failed";
    case ErrorReason::kTlsHandshake: return "tls: handshake failed";
    case ErrorReason::kTlsHostname: return "tls: hostname mismatch";
    case ErrorReason::kTlsExpired: return "tls: certificate expired";
    case ErrorReason::kTlsUnknownCa: return "tls: unknown CA";
    case ErrorReason::kTimeout: return "timeout";
    case ErrorReason::kReset: return "connection reset";
    case ErrorReason::kClosed: return "connection closed early";
    case ErrorReason::kBadResponse: return "http: bad response";
    case ErrorReason::kH2Protocol: return "h2: protocol error";
    case ErrorReason::kSendFailed: return "send: failed";
    case ErrorReason::kRecvFailed: return "recv: failed";
    case ErrorReason::kAborted: return "aborted";
    case ErrorReason::kOther: return "other";
    case ErrorReason::kH2ResetRefused: return "http2: stream reset (REFUSED_STREAM)";
    case ErrorReason::kH2ResetCancel: return "http2: stream reset (CANCEL)";
    case ErrorReason::kH2ResetOther: return "http2: stream reset (other)";
    case ErrorReason::kH2GoAway: return "http2: goaway";
    case ErrorReason::kTlsNoH2: return "tls: server did not negotiate h2";
  }
  return "other";
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_ERROR_REASON_H_
