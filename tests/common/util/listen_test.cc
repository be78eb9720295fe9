// Copyright 2026 The Barrage Authors.
//
// A failed listener's message names the address (IPv6 bracketed) and the
// cause; a busy or foreign address is the user's to change.

#include "common/util/listen.h"

#include <errno.h>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("a busy port reads 'cannot listen on HOST:PORT: address already in use'") {
  const absl::Status s = ListenError("127.0.0.1", 17400, EADDRINUSE);
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "cannot listen on 127.0.0.1:17400: address already in use");
  CHECK(ListenError("::1", 80, EACCES).message() ==
        "cannot listen on [::1]:80: permission denied");
  CHECK(absl::IsUnavailable(ListenError("127.0.0.1", 1, EMFILE)));
}

}  // namespace
}  // namespace barrage
