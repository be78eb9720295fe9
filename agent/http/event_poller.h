// Copyright 2026 The Barrage Authors.
//
// EventPoller: an epoll set that a driver's sockets join, waited on with a
// nanosecond timeout and woken from any thread. The engine's waits end at
// intended send times, so epoll_wait's millisecond timeout would be schedule
// lag in every measurement: epoll_pwait2 (Linux 5.11+) is used where the
// kernel has it, epoll_wait (rounded up to ms) otherwise.
//
// Thread safety: one owner thread; Wake() from any thread.
#ifndef BARRAGE_AGENT_HTTP_EVENT_POLLER_H_
#define BARRAGE_AGENT_HTTP_EVENT_POLLER_H_

#include <sys/epoll.h>

#include <cstdint>

#include "absl/status/status.h"

namespace barrage {

class EventPoller {
 public:
  EventPoller() = default;
  ~EventPoller();
  EventPoller(const EventPoller&) = delete;
  EventPoller& operator=(const EventPoller&) = delete;

  absl::Status Init();

  // The epoll set, for epoll_ctl. A socket's epoll_event data must not be
  // all ones (the wake event's tag).
  int fd() const { return epoll_fd_; }

  // Waits at most `timeout_ns` for events, or until Wake(); returns how many
  // socket events were stored in `events` (a wakeup is consumed, not
  // returned), or -1 on an error.
  int Wait(epoll_event* events, int max, int64_t timeout_ns);

  void Wake();  // any thread

 private:
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_EVENT_POLLER_H_
