// Copyright 2026 The Barrage Authors.
//
// Clock: the one source of time. Everything that paces, times out or stamps
// goes through a Clock, so tests drive minutes of simulated load in
// milliseconds with a fake one (tests/support/fake_clock.h).
//
// Units: NowNs() is monotonic nanoseconds from an arbitrary origin; it never
// goes backwards. Thread safety: implementations are safe to call from any
// thread.
#ifndef BARRAGE_COMMON_CLOCK_H_
#define BARRAGE_COMMON_CLOCK_H_

#include <cstdint>

namespace barrage {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNs() = 0;
};

// CLOCK_MONOTONIC via std::chrono::steady_clock.
class RealClock final : public Clock {
 public:
  int64_t NowNs() override;
};

// A process-wide RealClock.
Clock& SystemClock();

}  // namespace barrage

#endif  // BARRAGE_COMMON_CLOCK_H_
