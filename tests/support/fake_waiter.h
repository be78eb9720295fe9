// Copyright 2026 The Barrage Authors.
//
// FakeWaiter: the Waiter for a FakeClock. A wait ends when its condition
// holds or when the test moves the clock to its deadline (AdvanceTo), never
// by real time passing, so tests drive leases and backoffs exactly. The
// test sees which waits are pending (AwaitPendingBefore) and so knows what
// the code under test is waiting for, and when.
//
// Thread-safe. Do not move the clock while the owner of a waiting mutex is
// being destroyed.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_WAITER_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_WAITER_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/daemon/waiter.h"
#include "tests/support/fake_clock.h"

namespace barrage::testing {

class FakeWaiter final : public Waiter {
 public:
  explicit FakeWaiter(FakeClock& clock) : clock_(clock) {}

  bool AwaitUntil(absl::Mutex& mu, const absl::Condition& cond, int64_t deadline_ns)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) override {
    uint64_t id = 0;
    {
      absl::MutexLock lock(&mu_);
      id = next_id_++;
      pending_[id] = Pending{&mu, deadline_ns};
    }
    // Re-evaluated whenever `mu` is released, including by AdvanceTo().
    auto due = [&] { return cond.Eval() || clock_.NowNs() >= deadline_ns; };
    mu.Await(absl::Condition(&due));
    {
      absl::MutexLock lock(&mu_);
      pending_.erase(id);
    }
    return cond.Eval();
  }

  // Moves the clock forward to `ns` and wakes the waits now due.
  void AdvanceTo(int64_t ns) {
    clock_.Set(ns);
    std::vector<absl::Mutex*> mus;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [id, p] : pending_) {
        if (std::find(mus.begin(), mus.end(), p.mu) == mus.end()) mus.push_back(p.mu);
      }
    }
    // Releasing a mutex makes absl re-check its waiters' conditions.
    for (absl::Mutex* m : mus) {
      m->Lock();
      m->Unlock();
    }
  }

  // Waits (real time, at most `timeout`) until some wait is pending whose
  // deadline is after the clock's now and before `limit_ns`; its deadline.
  std::optional<int64_t> AwaitPendingBefore(int64_t limit_ns,
                                            absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    std::optional<int64_t> found;
    auto any = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      const int64_t now = clock_.NowNs();
      for (const auto& [id, p] : pending_) {
        if (p.deadline_ns > now && p.deadline_ns < limit_ns) {
          found = p.deadline_ns;
          return true;
        }
      }
      return false;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&any), timeout)) return std::nullopt;
    return found;
  }

 private:
  struct Pending {
    absl::Mutex* mu;
    int64_t deadline_ns;
  };
  FakeClock& clock_;
  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Pending> pending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_WAITER_H_
