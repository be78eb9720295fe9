// Copyright 2026 The Barrage Authors.
//
// WaitEvents: epoll_wait with a nanosecond timeout. The engine's waits end
// at intended send times, so epoll_wait's millisecond timeout would be
// schedule lag in every measurement; epoll_pwait2 (Linux 5.11+) is used
// where the kernel has it, epoll_wait (rounded up to ms) otherwise.
#ifndef BARRAGE_AGENT_PRECISE_WAIT_H_
#define BARRAGE_AGENT_PRECISE_WAIT_H_

#include <sys/epoll.h>

#include <cstdint>

namespace barrage {

// Waits on `epoll_fd` for at most `timeout_ns`; returns epoll's result.
int WaitEvents(int epoll_fd, epoll_event* events, int max, int64_t timeout_ns);

}  // namespace barrage

#endif  // BARRAGE_AGENT_PRECISE_WAIT_H_
