// Copyright 2026 The Barrage Authors.
//
// EventQueue: RunEvents from the coordinator to the one CLI stream watching
// a run. Push never blocks the coordinator; the stream's thread Pops and
// writes. Closed after the final event.
//
// Thread safety: all methods are thread-safe.
#ifndef BARRAGE_CONTROLLER_RUN_EVENT_QUEUE_H_
#define BARRAGE_CONTROLLER_RUN_EVENT_QUEUE_H_

#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "barrage/v1/control.pb.h"

namespace barrage {

class EventQueue {
 public:
  void Push(v1::RunEvent event) {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    events_.push_back(std::move(event));
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  // Waits up to `timeout` for an event. nullopt: none yet (check closed()).
  std::optional<v1::RunEvent> Pop(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !events_.empty() || closed_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
    if (events_.empty()) return std::nullopt;
    v1::RunEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }
  bool drained_and_closed() {
    absl::MutexLock lock(&mu_);
    return closed_ && events_.empty();
  }

 private:
  absl::Mutex mu_;
  std::deque<v1::RunEvent> events_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_EVENT_QUEUE_H_
