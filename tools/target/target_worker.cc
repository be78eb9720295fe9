// Copyright 2026 The Barrage Authors.
//
// TargetWorker's event loop and socket I/O; the HTTP side (parsing input,
// queueing and formatting responses) is in target_worker_http.cc.

#include "tools/target/target_worker.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

using State = Connection::State;

constexpr size_t kMinReadRoom = 4096;
constexpr size_t kMaxInput = Http1RequestParser::kMaxHeadBytes + 16 * 1024;
// After a closing response, how long the peer has to close its side.
constexpr int64_t kLingerNs = 2'000'000'000;
constexpr uint64_t kLingerSeq = ~uint64_t{0};
constexpr int kMaxEvents = 256;
// The last stretch before a response deadline is spent polling, not asleep.
constexpr int64_t kSpinNs = 150'000;

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Heap order for std::push_heap/pop_heap: the earliest deadline on top.
constexpr auto kLaterDue = [](const auto& a, const auto& b) {
  return a.due_ns > b.due_ns;
};

}  // namespace

TargetWorker::TargetWorker(const TargetServer::Options& options, int listen_fd,
                           int stop_fd, TargetCounters* counters,
                           std::vector<const TargetCounters*> all_counters,
                           uint64_t seed)
    : status_(options.status),
      delay_ns_(absl::ToInt64Nanoseconds(options.delay)),
      jitter_ns_(absl::ToInt64Nanoseconds(options.jitter)),
      error_rate_(options.error_rate),
      listen_fd_(listen_fd),
      stop_fd_(stop_fd),
      counters_(counters),
      all_counters_(std::move(all_counters)),
      rng_(seed) {
  if (CapacityModelOn(options)) {
    service_.emplace(ServiceQueue::Options{
        options.concurrency, options.contention, options.coherency});
  }
  for (int m = 0; m < kConnectionModes; ++m) {
    const auto mode = static_cast<ConnectionMode>(m);
    canned_[0][m] = MakeCannedResponse(status_, mode, options.body);
    canned_[1][m] = MakeCannedResponse(500, mode, "injected error\n");
  }
}

TargetWorker::~TargetWorker() {
  for (auto& c : connections_) {
    if (c != nullptr && c->open) Close(*c);
  }
  if (timer_fd_ >= 0) close(timer_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

absl::Status TargetWorker::Init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    return absl::InternalError(
        absl::StrCat("epoll_create1: ", strerror(errno)));
  }
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (timer_fd_ < 0) {
    return absl::InternalError(
        absl::StrCat("timerfd_create: ", strerror(errno)));
  }
  const std::pair<int, uint32_t> fds[] = {
      {listen_fd_, EPOLLIN | EPOLLEXCLUSIVE},  // one worker woken per accept
      {stop_fd_, EPOLLIN},
      {timer_fd_, EPOLLIN}};
  for (const auto& [fd, events] : fds) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      return absl::InternalError(absl::StrCat("epoll_ctl: ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

void TargetWorker::Run() {
  epoll_event events[kMaxEvents];
  for (;;) {
    // The timer fires kSpinNs early; the last stretch before a deadline is
    // spent polling, so a response leaves within microseconds of it rather
    // than after a wakeup's latency (~0.1 ms on a VM).
    const bool spin = !heap_.empty() && heap_.front().due_ns - NowNs() <= kSpinNs;
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, spin ? 0 : -1);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      const uint32_t what = events[i].events;
      if (fd == stop_fd_) {
        for (auto& c : connections_) {
          if (c != nullptr && c->open) Close(*c);
        }
        return;
      }
      if (fd == listen_fd_) {
        OnAccept();
      } else if (fd == timer_fd_) {
        OnTimer();
      } else if (static_cast<size_t>(fd) < connections_.size() &&
                 connections_[fd] != nullptr && connections_[fd]->open) {
        Connection& c = *connections_[fd];
        if (what & (EPOLLERR | EPOLLHUP)) {
          Close(c);  // reset, or both directions shut: nothing can be sent
          continue;
        }
        if (what & EPOLLIN) OnReadable(c);
        if (c.open && (what & EPOLLOUT)) Pump(c, NowNs());
      }
    }
    if (spin) OnTimer();
    ArmTimer();
  }
}

void TargetWorker::OnAccept() {
  // A bounded batch keeps one busy listener from starving the connections.
  for (int i = 0; i < 64; ++i) {
    const int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN (another worker took it), or out of fds
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (static_cast<size_t>(fd) >= connections_.size()) {
      connections_.resize(static_cast<size_t>(fd) + 1);
    }
    if (connections_[fd] == nullptr) {
      connections_[fd] = std::make_unique<Connection>();
    }
    Connection& c = *connections_[fd];
    c.Reset(fd);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      Close(c);
      continue;
    }
    c.events = EPOLLIN;
    TargetCounters::Add(counters_->connections, 1);
  }
}

void TargetWorker::OnReadable(Connection& c) {
  if (c.state == State::kDraining) {
    // Discard whatever the peer still sends until it closes.
    const ssize_t n = recv(c.fd, c.in.data(), c.in.size(), 0);
    if (n > 0) {
      TargetCounters::Add(counters_->bytes_received, static_cast<uint64_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      Close(c);
    }
    return;
  }
  if ((c.events & EPOLLIN) == 0) return;  // interest changed in this batch
  if (c.in_begin == c.in_end) c.in_begin = c.in_end = 0;
  if (c.in.size() - c.in_end < kMinReadRoom) {
    if (c.in_begin > 0) {  // compact; the parser's offsets are head-relative
      std::memmove(c.in.data(), c.in.data() + c.in_begin,
                   c.in_end - c.in_begin);
      c.in_end -= c.in_begin;
      c.in_begin = 0;
    }
    if (c.in.size() - c.in_end < kMinReadRoom && c.in.size() < kMaxInput) {
      c.in.resize(std::min(2 * c.in.size(), kMaxInput));  // a big head
    }
  }
  const ssize_t n =
      recv(c.fd, c.in.data() + c.in_end, c.in.size() - c.in_end, 0);
  if (n > 0) {
    TargetCounters::Add(counters_->bytes_received, static_cast<uint64_t>(n));
    c.in_end += static_cast<size_t>(n);
    Pump(c, NowNs());
  } else if (n == 0) {
    // The client is done sending. Finish what it is owed, then close.
    c.peer_eof = true;
    if (c.queue.empty() && c.Unsent() == 0) {
      Close(c);
    } else {
      UpdateInterest(c);
    }
  } else if (errno != EAGAIN && errno != EINTR) {
    Close(c);
  }
}

void TargetWorker::OnTimer() {
  uint64_t expirations;
  if (read(timer_fd_, &expirations, sizeof(expirations)) > 0) {
    armed_ns_ = 0;
  }
  // EAGAIN: no expiry yet (spinning) or a re-arm raced the wakeup; the heap
  // is checked regardless.
  const int64_t now = NowNs();
  while (!heap_.empty() && heap_.front().due_ns <= now) {
    std::pop_heap(heap_.begin(), heap_.end(), kLaterDue);
    const TimerEntry e = heap_.back();
    heap_.pop_back();
    if (e.service) FinishService(now);  // whether or not the client is there
    if (static_cast<size_t>(e.fd) >= connections_.size()) continue;
    Connection* c = connections_[e.fd].get();
    if (c == nullptr || !c->open || c->generation != e.generation) continue;
    if (e.seq == kLingerSeq) {
      if (c->state == State::kDraining) Close(*c);
      continue;
    }
    c->queue.At(e.seq - c->front_seq).ready = true;
    if (e.seq == c->front_seq) {
      EmitReady(*c);
      Pump(*c, now);
    }
  }
}

void TargetWorker::Pump(Connection& c, int64_t now) {
  for (;;) {
    const bool paused = ProcessInput(c, now);
    if (!Flush(c, now)) return;
    if (!paused || Paused(c)) break;
  }
  UpdateInterest(c);
}

bool TargetWorker::Flush(Connection& c, int64_t now) {
  while (c.Unsent() > 0) {
    const ssize_t n =
        send(c.fd, c.out.data() + c.out_sent, c.Unsent(), MSG_NOSIGNAL);
    if (n > 0) {
      TargetCounters::Add(counters_->bytes_sent, static_cast<uint64_t>(n));
      c.out_sent += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;  // UpdateInterest asks for EPOLLOUT
    } else {
      Close(c);  // the peer is gone: pending responses are dropped
      return false;
    }
  }
  c.out.clear();
  c.out_sent = 0;
  if (c.close_after_flush) {
    if (c.peer_eof) {
      Close(c);
      return false;
    }
    // Half-close and read until the peer closes, so unread input does not
    // turn our close into a reset that could destroy the response in flight.
    shutdown(c.fd, SHUT_WR);
    c.close_after_flush = false;
    c.state = State::kDraining;
    c.in_begin = c.in_end = 0;
    PushTimer(now + kLingerNs, c, kLingerSeq);
  } else if (c.peer_eof && c.queue.empty()) {
    Close(c);
    return false;
  }
  return true;
}

void TargetWorker::UpdateInterest(Connection& c) {
  const bool reading = c.state == State::kDraining ||
                       ((c.state == State::kHead || c.state == State::kBody) &&
                        !c.peer_eof && !Paused(c));
  const uint32_t want =
      (reading ? EPOLLIN : 0u) | (c.Unsent() > 0 ? EPOLLOUT : 0u);
  if (want == c.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.fd = c.fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) != 0) {
    Close(c);
    return;
  }
  c.events = want;
}

void TargetWorker::Close(Connection& c) {
  if (service_ && c.waiting_service > 0) {
    service_->Abandon(c.waiting_service);
    c.waiting_service = 0;
    PublishService();
  }
  close(c.fd);  // also removes it from the epoll set
  c.open = false;
  ++c.generation;  // heap entries of this connection are now stale
  c.queue.Clear();
  c.out.clear();
  c.out_sent = 0;
}

void TargetWorker::PushTimer(int64_t due_ns, const Connection& c,
                             uint64_t seq) {
  heap_.push_back({due_ns, c.fd, c.generation, seq, false});
  std::push_heap(heap_.begin(), heap_.end(), kLaterDue);
}

void TargetWorker::Serve(Connection& c, int64_t base_ns, int64_t now) {
  const ServiceQueue::Job job{c.fd, c.generation,
                              c.front_seq + c.queue.size() - 1, base_ns};
  if (std::optional<ServiceQueue::Started> s = service_->Arrive(job, now)) {
    PushServiceTimer(*s);
  } else {
    ++c.waiting_service;
  }
  PublishService();
}

void TargetWorker::FinishService(int64_t now) {
  auto live = [this](const ServiceQueue::Job& job) {
    if (static_cast<size_t>(job.fd) >= connections_.size()) return false;
    const Connection* c = connections_[job.fd].get();
    return c != nullptr && c->open && c->generation == job.generation;
  };
  if (std::optional<ServiceQueue::Started> s = service_->Finish(now, live)) {
    --connections_[s->job.fd]->waiting_service;
    PushServiceTimer(*s);
  }
  PublishService();
}

void TargetWorker::PushServiceTimer(const ServiceQueue::Started& s) {
  heap_.push_back(
      {s.due_ns, s.job.fd, s.job.generation, s.job.seq, /*service=*/true});
  std::push_heap(heap_.begin(), heap_.end(), kLaterDue);
}

void TargetWorker::PublishService() {
  counters_->in_service.store(static_cast<uint64_t>(service_->in_service()),
                              std::memory_order_relaxed);
  counters_->waiting.store(service_->waiting(), std::memory_order_relaxed);
  counters_->busy_ns.store(static_cast<uint64_t>(service_->busy_ns()),
                           std::memory_order_relaxed);
}

void TargetWorker::ArmTimer() {
  const int64_t want = heap_.empty() ? 0 : std::max<int64_t>(heap_.front().due_ns - kSpinNs, 1);
  if (want == armed_ns_) return;
  itimerspec spec{};  // all zero disarms
  spec.it_value.tv_sec = want / 1'000'000'000;
  spec.it_value.tv_nsec = want % 1'000'000'000;
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  armed_ns_ = want;
}

}  // namespace barrage
