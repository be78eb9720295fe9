// Copyright 2026 The Barrage Authors.

#include "agent/http/error_reasons.h"

#include <cerrno>

namespace barrage {

ErrorReason ConnectReason(int error) {
  switch (error) {
    case ECONNREFUSED: return ErrorReason::kConnectRefused;
    case ENETUNREACH:
    case EHOSTUNREACH: return ErrorReason::kConnectUnreachable;
    case ETIMEDOUT: return ErrorReason::kConnectTimeout;
    default: return ErrorReason::kConnectFailed;
  }
}

ErrorReason IoReason(int error, bool sending) {
  switch (error) {
    case ECONNRESET:
    case EPIPE: return ErrorReason::kReset;
    default: return sending ? ErrorReason::kSendFailed : ErrorReason::kRecvFailed;
  }
}

ErrorReason CurlReason(CURLcode code, long os_errno) {
  switch (code) {
    case CURLE_OK: return ErrorReason::kNone;
    case CURLE_OPERATION_TIMEDOUT: return ErrorReason::kTimeout;
    case CURLE_COULDNT_CONNECT:
      return ConnectReason(static_cast<int>(os_errno));
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return ErrorReason::kDns;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE: return ErrorReason::kTlsVerify;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR: return ErrorReason::kTlsHandshake;
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return ErrorReason::kH2Protocol;
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: return ErrorReason::kClosed;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_CONTENT_ENCODING: return ErrorReason::kBadResponse;
    case CURLE_SEND_ERROR:
      return os_errno == ECONNRESET || os_errno == EPIPE ? ErrorReason::kReset
                                                         : ErrorReason::kSendFailed;
    case CURLE_RECV_ERROR:
      return os_errno == ECONNRESET ? ErrorReason::kReset : ErrorReason::kRecvFailed;
    default: return ErrorReason::kOther;
  }
}

}  // namespace barrage
