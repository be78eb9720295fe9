// Copyright 2026 The Barrage Authors.

#include "agent/daemon/waiter.h"

#include "absl/time/time.h"

namespace barrage {

bool ClockWaiter::AwaitUntil(absl::Mutex& mu, const absl::Condition& cond, int64_t deadline_ns) {
  while (!cond.Eval()) {
    const int64_t left = deadline_ns - clock_.NowNs();
    if (left <= 0) return false;
    mu.AwaitWithTimeout(cond, absl::Nanoseconds(left));
  }
  return true;
}

}  // namespace barrage
