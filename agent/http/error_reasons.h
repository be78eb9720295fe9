// Copyright 2026 The Barrage Authors.
//
// How the drivers name a failure's cause (common/stats/error_reason.h):
// from the errno of a socket call, or from libcurl's result code (with the
// OS errno curl saw, CURLINFO_OS_ERRNO). Pure functions; no allocation.
#ifndef BARRAGE_AGENT_HTTP_ERROR_REASONS_H_
#define BARRAGE_AGENT_HTTP_ERROR_REASONS_H_

#include <curl/curl.h>

#include "common/stats/error_reason.h"

namespace barrage {

// A failed connect(), or its SO_ERROR. 0 (no errno known) is kConnectFailed.
ErrorReason ConnectReason(int error);
// A failed send() (`sending`) or recv() on an open connection.
ErrorReason IoReason(int error, bool sending);
// A transfer that ended with `code` != CURLE_OK; `os_errno` as curl reports.
ErrorReason CurlReason(CURLcode code, long os_errno);

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_ERROR_REASONS_H_
