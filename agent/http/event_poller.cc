// Copyright 2026 The Barrage Authors.

#include "agent/http/event_poller.h"

#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

constexpr uint64_t kWakeTag = ~uint64_t{0};

int WaitPrecisely(int epoll_fd, epoll_event* events, int max, int64_t timeout_ns) {
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

}  // namespace

EventPoller::~EventPoller() {
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

absl::Status EventPoller::Init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    return absl::InternalError(absl::StrCat("cannot create epoll: ", std::strerror(errno)));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  return absl::OkStatus();
}

int EventPoller::Wait(epoll_event* events, int max, int64_t timeout_ns) {
  const int n = WaitPrecisely(epoll_fd_, events, max, timeout_ns);
  int kept = 0;
  for (int i = 0; i < n; ++i) {
    if (events[i].data.u64 == kWakeTag) {
      uint64_t drained;
      while (read(wake_fd_, &drained, sizeof drained) > 0) {
      }
      continue;
    }
    events[kept++] = events[i];
  }
  return n < 0 ? n : kept;
}

void EventPoller::Wake() {
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

}  // namespace barrage
