// Copyright 2026 The Barrage Authors.
//
// Clock: the one source of time. Everything that paces, times out or stamps
// goes through a Clock, so tests drive minutes of simulated load in
// milliseconds with a fake one (tests/support/fake_clock.h).
//
// Units: NowNs() is monotonic nanoseconds from an arbitrary origin; it never
// goes backwards; it paces and times. WallNs() is Unix-epoch nanoseconds
// (CLOCK_REALTIME); it may jump; it only stamps (run ids, started_at,
// heartbeats). Thread safety: implementations are safe to call from any
// thread.
#ifndef BARRAGE_COMMON_UTIL_CLOCK_H_
#define BARRAGE_COMMON_UTIL_CLOCK_H_

#include <cstdint>

#include "absl/time/time.h"

namespace barrage {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNs() = 0;
  virtual int64_t WallNs() = 0;
  absl::Time WallTime() { return absl::FromUnixNanos(WallNs()); }
};

// CLOCK_MONOTONIC via std::chrono::steady_clock; CLOCK_REALTIME for WallNs.
class RealClock final : public Clock {
 public:
  int64_t NowNs() override;
  int64_t WallNs() override;
};

// A process-wide RealClock.
Clock& SystemClock();

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_CLOCK_H_
