// Copyright 2026 The Barrage Authors.
//
// FakeClock: a manual clock for tests. Time moves only when told; it never
// goes backwards. Thread-safe.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_

#include <algorithm>
#include <atomic>

#include "common/clock.h"

namespace barrage::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ns = 0) : now_(start_ns) {}
  int64_t NowNs() override { return now_.load(); }
  void Advance(int64_t ns) { now_ += ns; }
  void Set(int64_t ns) { now_.store(std::max(now_.load(), ns)); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_
