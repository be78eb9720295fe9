// Copyright 2026 The Barrage Authors.

#include "agent/precise_wait.h"

#include <time.h>

#include <cerrno>

namespace barrage {

int WaitEvents(int epoll_fd, epoll_event* events, int max, int64_t timeout_ns) {
  // glibc >= 2.35 declares epoll_pwait2 (Debian 12 has 2.36); the kernel
  // may still lack it (ENOSYS), then epoll_wait's ms timeout is used.
  static thread_local bool has_pwait2 = true;
  if (has_pwait2) {
    timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
                static_cast<long>(timeout_ns % 1'000'000'000)};
    const int n = epoll_pwait2(epoll_fd, events, max, &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    has_pwait2 = false;
  }
  return epoll_wait(epoll_fd, events, max,
                    static_cast<int>((timeout_ns + 999'999) / 1'000'000));
}

}  // namespace barrage
