// Copyright 2026 The Barrage Authors.

#include "tools/target/target_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/host_port.h"
#include "common/util/listen.h"
#include "tools/target/service_queue.h"
#include "tools/target/target_worker.h"

namespace barrage {
namespace {

constexpr int kMaxThreads = 64;
constexpr size_t kMaxBody = 1 << 20;

absl::Status ValidateOptions(const TargetServer::Options& o) {
  if (o.port < 0 || o.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port ", o.port, " is outside 0..65535"));
  }
  if (o.delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("delay must not be negative");
  }
  if (o.jitter < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("jitter must not be negative");
  }
  if (o.delay + o.jitter > absl::Hours(1)) {
    return absl::InvalidArgumentError("delay + jitter must be at most 1h");
  }
  if (!(o.error_rate >= 0.0 && o.error_rate <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("error rate ", o.error_rate, " is outside 0..1"));
  }
  if (o.status < 200 || o.status > 599) {
    return absl::InvalidArgumentError(
        absl::StrCat("status ", o.status, " is outside 200..599"));
  }
  if (o.threads < 1 || o.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads ", o.threads, " is outside 1..", kMaxThreads));
  }
  const ServiceQueue::Options service{o.concurrency, o.contention, o.coherency};
  if (absl::Status s = ServiceQueue::Validate(service); !s.ok()) return s;
  if (CapacityModelOn(o) && o.threads != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "concurrency, contention and coherency need threads 1 (got ",
        o.threads, "): one worker keeps the service queue"));
  }
  if (o.body.size() > kMaxBody) {
    return absl::InvalidArgumentError("body is over 1 MiB");
  }
  return absl::OkStatus();
}

// The host as an address literal, without brackets; "localhost" is 127.0.0.1.
std::string Literal(const std::string& host) {
  if (host == "localhost") return "127.0.0.1";
  absl::string_view h = host;
  if (absl::ConsumePrefix(&h, "[")) absl::ConsumeSuffix(&h, "]");
  return std::string(h);
}

std::string FormatAddress(const std::string& host, int port) {
  return FormatHostPort(Literal(host), port);
}

// Binds and listens; returns the non-blocking listener and the bound port.
absl::Status Listen(const TargetServer::Options& o, int* fd_out,
                    int* port_out) {
  const std::string literal = Literal(o.host);
  const std::string where = FormatAddress(o.host, o.port);
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, literal.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(o.port));
    length = sizeof(*v4);
  } else if (inet_pton(AF_INET6, literal.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(o.port));
    length = sizeof(*v6);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot listen on ", where,
        ": the host must be an IPv4 or IPv6 address, or localhost"));
  }
  const int fd =
      socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  }
  SetListenSocketOptions(fd);
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      listen(fd, SOMAXCONN) != 0) {
    const int error = errno;
    close(fd);
    return ListenError(literal, o.port, error);
  }
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length);
  *port_out = ntohs(bound.ss_family == AF_INET6
                        ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  *fd_out = fd;
  return absl::OkStatus();
}

}  // namespace

bool CapacityModelOn(const TargetServer::Options& o) {
  return o.concurrency != 0 || o.contention != 0 || o.coherency != 0;
}

TargetServer::TargetServer(Options options) : options_(std::move(options)) {}

TargetServer::~TargetServer() { Stop(); }

absl::Status TargetServer::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) return absl::FailedPreconditionError("already started");
  if (absl::Status s = ValidateOptions(options_); !s.ok()) return s;
  int listen_fd = -1;
  int port = 0;
  if (absl::Status s = Listen(options_, &listen_fd, &port); !s.ok()) return s;
  const int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) {
    close(listen_fd);
    return absl::InternalError(absl::StrCat("eventfd: ", strerror(errno)));
  }

  std::vector<const TargetCounters*> all;
  for (int i = 0; i < options_.threads; ++i) {
    counters_.push_back(std::make_unique<TargetCounters>());
    all.push_back(counters_.back().get());
  }
  for (int i = 0; i < options_.threads; ++i) {
    // Distinct, reproducible streams per worker.
    const uint64_t seed =
        options_.seed + static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
    auto worker = std::make_unique<TargetWorker>(options_, listen_fd, stop_fd,
                                                 counters_[i].get(), all, seed);
    if (absl::Status s = worker->Init(); !s.ok()) {
      workers_.clear();
      counters_.clear();
      close(stop_fd);
      close(listen_fd);
      return s;
    }
    workers_.push_back(std::move(worker));
  }
  listen_fd_ = listen_fd;
  stop_fd_ = stop_fd;
  bound_port_ = port;
  started_ = true;
  for (auto& worker : workers_) {
    threads_.emplace_back([w = worker.get()] { w->Run(); });
  }
  return absl::OkStatus();
}

void TargetServer::Stop() {
  absl::MutexLock lock(&mu_);
  if (!started_ || stopped_) return;
  stopped_ = true;
  const uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof(one)) != sizeof(one)) {
    // Cannot happen for a fresh eventfd; the joins below would then hang,
    // so fail loudly instead.
    std::abort();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  workers_.clear();  // closes the epoll and timer fds
  close(listen_fd_);
  close(stop_fd_);
  listen_fd_ = stop_fd_ = -1;
}

int TargetServer::port() const {
  absl::MutexLock lock(&mu_);
  return bound_port_;
}

std::string TargetServer::address() const {
  absl::MutexLock lock(&mu_);
  return FormatAddress(options_.host,
                       bound_port_ != 0 ? bound_port_ : options_.port);
}

TargetStats TargetServer::Stats() const {
  absl::MutexLock lock(&mu_);
  std::vector<const TargetCounters*> all;
  for (const auto& c : counters_) all.push_back(c.get());
  return SumTargetCounters(all);
}

}  // namespace barrage
