// Copyright 2026 The Barrage Authors.
//
// The capacity model of TargetServer (--concurrency, --contention) measured
// by closed-loop clients over real loopback sockets. Margins are honest:
// +-25% on throughput and latency, 20% on the USL curve.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/target/target_server.h"

namespace barrage {
namespace {

using Clock = std::chrono::steady_clock;

// One blocking keep-alive connection; Get() returns true on a 200 "ok\n".
class LoopClient {
 public:
  explicit LoopClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = fd_ >= 0 &&
          connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    const int one = 1;
    if (ok_) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval tv{5, 0};  // a lost response fails the test instead of hanging
    if (ok_) setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~LoopClient() {
    if (fd_ >= 0) close(fd_);
  }
  LoopClient(const LoopClient&) = delete;
  LoopClient& operator=(const LoopClient&) = delete;

  bool Get(const char* request) {
    if (!ok_) return false;
    const size_t len = strlen(request);
    if (send(fd_, request, len, MSG_NOSIGNAL) != static_cast<ssize_t>(len)) {
      return false;
    }
    std::string in;
    char chunk[4096];
    for (;;) {
      const size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        const size_t at = in.find("Content-Length: ");
        size_t length = 0;
        if (at == std::string::npos || at > end) return false;
        const size_t eol = in.find("\r\n", at);
        if (!absl::SimpleAtoi(in.substr(at + 16, eol - at - 16), &length)) {
          return false;
        }
        if (in.size() >= end + 4 + length) {
          body_ = in.substr(end + 4, length);
          return absl::StartsWith(in, "HTTP/1.1 200 ");
        }
      }
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return false;
      in.append(chunk, static_cast<size_t>(n));
    }
  }
  const std::string& body() const { return body_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string body_;
};

constexpr char kGet[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

struct LoadResult {
  double throughput = 0;       // responses/s completed in the window
  double mean_latency_ms = 0;  // of those responses
  bool all_ok = true;
};

// N closed-loop clients; counts what completes in [warmup, warmup + window).
LoadResult ClosedLoop(int port, int clients, std::chrono::milliseconds warmup,
                      std::chrono::milliseconds window) {
  const Clock::time_point start = Clock::now();
  const Clock::time_point from = start + warmup;
  const Clock::time_point until = from + window;
  std::atomic<int64_t> completed{0}, latency_us{0};
  std::atomic<bool> all_ok{true};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&] {
      LoopClient client(port);
      for (;;) {
        const Clock::time_point sent = Clock::now();
        if (sent >= until) return;
        if (!client.Get(kGet)) {
          all_ok = false;
          return;
        }
        const Clock::time_point done = Clock::now();
        if (done >= from && done < until) {
          ++completed;
          latency_us += std::chrono::duration_cast<std::chrono::microseconds>(
                            done - sent)
                            .count();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  LoadResult r;
  r.all_ok = all_ok;
  r.throughput = static_cast<double>(completed) * 1000.0 /
                 static_cast<double>(window.count());
  if (completed > 0) {
    r.mean_latency_ms = static_cast<double>(latency_us) / 1000.0 /
                        static_cast<double>(completed);
  }
  return r;
}

std::unique_ptr<TargetServer> Start(TargetServer::Options options) {
  options.host = "127.0.0.1";
  options.port = 0;
  auto server = std::make_unique<TargetServer>(std::move(options));
  const absl::Status status = server->Start();
  INFO(status.ToString());
  REQUIRE(status.ok());
  return server;
}

// The value of an unlabelled sample on the metrics page, or -1.
double Sample(const std::string& page, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (absl::ConsumePrefix(&line, name) && absl::ConsumePrefix(&line, " ")) {
      double value;
      if (absl::SimpleAtod(line, &value)) return value;
    }
  }
  return -1;
}

TEST_CASE("target with concurrency 2 and 20 ms serves 8 clients at 100/s") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(20);
  options.concurrency = 2;
  auto server = Start(options);
  std::atomic<bool> done{false};
  // A scraper sees the gauges while the load runs: 2 in service, 6 queued.
  double max_in_service = 0, max_queued = 0;
  std::thread scraper([&] {
    LoopClient client(server->port());
    while (!done) {
      if (!client.Get("GET /__barrage/metrics HTTP/1.1\r\nHost: t\r\n\r\n")) {
        return;
      }
      max_in_service =
          std::max(max_in_service, Sample(client.body(), "barrage_target_in_service"));
      max_queued = std::max(
          max_queued, Sample(client.body(), "barrage_target_queued_requests"));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a pace
    }
  });
  const LoadResult r = ClosedLoop(server->port(), 8, std::chrono::milliseconds(300),
                                  std::chrono::milliseconds(1500));
  done = true;
  scraper.join();
  INFO("throughput " << r.throughput << "/s, mean latency " << r.mean_latency_ms
                     << " ms");
  CHECK(r.all_ok);
  CHECK(r.throughput > 75);
  CHECK(r.throughput < 125);
  CHECK(r.mean_latency_ms > 60);  // 8 clients / 2 slots x 20 ms = 80 ms
  CHECK(r.mean_latency_ms < 100);
  CHECK(max_in_service == 2);
  CHECK(max_queued <= 6);
  CHECK(max_queued >= 5);
  // Busy time: the sum of the service times, 20 ms each here.
  LoopClient client(server->port());
  REQUIRE(client.Get("GET /__barrage/metrics HTTP/1.1\r\nHost: t\r\n\r\n"));
  const double busy = Sample(client.body(), "barrage_target_busy_seconds_total");
  const double requests = static_cast<double>(server->Stats().requests);
  CHECK(std::abs(busy - requests * 0.020) < 1e-6);  // each took its 20 ms
  CHECK(Sample(client.body(), "barrage_target_in_service") == 0);
  CHECK(Sample(client.body(), "barrage_target_queued_requests") == 0);
}

TEST_CASE("target with contention 0.1 follows the USL throughput curve") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(20);
  options.contention = 0.1;
  auto server = Start(options);
  double x1 = 0;
  for (int n : {1, 4, 8}) {
    const LoadResult r = ClosedLoop(server->port(), n, std::chrono::milliseconds(200),
                                    std::chrono::milliseconds(1200));
    const double expected = n / (0.020 * (1 + 0.1 * (n - 1)));
    INFO("N = " << n << ": " << r.throughput << "/s, formula " << expected
                << "/s");
    CHECK(r.all_ok);
    CHECK(r.throughput > 0.8 * expected);
    CHECK(r.throughput < 1.2 * expected);
    if (n == 1) x1 = r.throughput;
    if (n == 8) {
      const double ratio = r.throughput / x1;
      INFO("X(8)/X(1) = " << ratio << ", formula " << 8 / 1.7);
      CHECK(ratio > 0.8 * 8 / 1.7);
      CHECK(ratio < 1.2 * 8 / 1.7);
    }
  }
}

TEST_CASE("target rejects capacity options it cannot honour") {
  auto rejects = [](TargetServer::Options o, const std::string& message) {
    o.host = "127.0.0.1";
    o.port = 0;
    TargetServer server(o);
    const absl::Status s = server.Start();
    INFO(s.ToString());
    CHECK(absl::IsInvalidArgument(s));
    CHECK(absl::StrContains(s.message(), message));
  };
  TargetServer::Options o;
  o.concurrency = -1;
  rejects(o, "concurrency -1 is outside 0..100000");
  o.concurrency = 200000;
  rejects(o, "concurrency 200000 is outside 0..100000");
  o.concurrency = 4;
  o.threads = 2;
  rejects(o, "need threads 1");
  o = {};
  o.contention = -0.5;
  rejects(o, "contention -0.5 must be a finite number >= 0");
}

}  // namespace
}  // namespace barrage
