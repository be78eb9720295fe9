// Copyright 2026 The Barrage Authors.
//
// Waiter: how the daemon waits for "this condition, or this time on my
// Clock, whichever comes first" (the next heartbeat, the lease's end, the
// reconnect backoff) without sleep-polling. The condition is one of the
// caller's absl::Mutex conditions, so whoever changes the state it reads
// (Shutdown(), the session's end) wakes the wait at once by releasing the
// mutex. Time is the injected Clock's, so a test can fast-forward it
// (tests/support/fake_waiter.h moves a FakeClock and wakes due waits).
//
// Thread safety: implementations may be used by many threads at once.
#ifndef BARRAGE_AGENT_DAEMON_WAITER_H_
#define BARRAGE_AGENT_DAEMON_WAITER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/util/clock.h"

namespace barrage {

class Waiter {
 public:
  virtual ~Waiter() = default;
  // Called with `mu` held; returns with it held, once `cond` holds or the
  // clock has reached `deadline_ns` (Clock::NowNs() units). Returns whether
  // `cond` held. `mu` is released while waiting.
  virtual bool AwaitUntil(absl::Mutex& mu, const absl::Condition& cond, int64_t deadline_ns)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) = 0;
};

// For a clock whose time passes by itself (RealClock): waits on the mutex
// with the time left, re-read from `clock` whenever the wait ends.
class ClockWaiter final : public Waiter {
 public:
  explicit ClockWaiter(Clock& clock) : clock_(clock) {}
  bool AwaitUntil(absl::Mutex& mu, const absl::Condition& cond, int64_t deadline_ns)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) override;

 private:
  Clock& clock_;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_WAITER_H_
