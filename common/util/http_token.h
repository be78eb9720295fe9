// Copyright 2026 The Barrage Authors.
//
// RFC 9110 token characters (method and header names), for the scenario
// checks, the agent's request builder and the test target's parser.
#ifndef BARRAGE_COMMON_UTIL_HTTP_TOKEN_H_
#define BARRAGE_COMMON_UTIL_HTTP_TOKEN_H_

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace barrage {

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
constexpr bool IsHttpTokenChar(char c) {
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|':
    case '~':
      return true;
    default:
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}

// A non-empty run of token characters.
inline bool IsHttpToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsHttpTokenChar(c)) return false;
  }
  return true;
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_HTTP_TOKEN_H_
