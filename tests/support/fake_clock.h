// Copyright 2026 The Barrage Authors.
//
// FakeClock: a manual clock for tests. Time moves only when told; it never
// goes backwards; wall time moves with it. Thread-safe.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_

#include <algorithm>
#include <atomic>

#include "common/util/clock.h"

namespace barrage::testing {

class FakeClock final : public Clock {
 public:
  // Wall time is `wall_origin_ns` (Unix epoch) plus the monotonic time.
  explicit FakeClock(int64_t start_ns = 0,
                     int64_t wall_origin_ns = int64_t{1'796'083'200} * 1'000'000'000)
      : now_(start_ns), wall_origin_ns_(wall_origin_ns) {}
  int64_t NowNs() override { return now_.load(); }
  int64_t WallNs() override { return wall_origin_ns_ + now_.load(); }
  void Advance(int64_t ns) { now_ += ns; }
  void Set(int64_t ns) { now_.store(std::max(now_.load(), ns)); }

 private:
  std::atomic<int64_t> now_;
  const int64_t wall_origin_ns_;  // 2026-12-01T00:00:00Z by default
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_CLOCK_H_
