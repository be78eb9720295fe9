// Copyright 2026 The Barrage Authors.
//
// TargetServer: the HTTP/1.1 server behind `barrage target`, the local target
// for demos, tests and benchmarks. It answers every request with a fixed
// status and body after a configurable delay, so a load test has something
// fast and predictable to hit.
//
// Behaviour:
//   - Any method and path get `status` with `body` ("ok\n"), except that a
//     fraction `error_rate` of requests (chosen by a seeded RNG) get 500.
//   - Each response is due `delay` + U[-jitter, +jitter] (clamped at 0) after
//     its request was fully received; deadlines come from a timerfd with
//     nanosecond precision, not epoll's millisecond timeout.
//   - Keep-alive and pipelining: responses on one connection leave in request
//     order even when jitter makes a later one due first. "Connection: close"
//     and HTTP/1.0 (close unless "keep-alive") are honoured.
//   - Request bodies with Content-Length are read and discarded; chunked
//     bodies get 411 and the connection closes. A malformed head, or one over
//     64 KiB, gets 400 and the connection closes.
//   - Capacity model (--concurrency K, --contention S, --coherency C; see
//     service_queue.h): at most K ordinary requests are in service at once,
//     the rest wait in FIFO order; one entering service with n in service
//     (itself included) takes (delay + jitter) x (1 + S (n-1) + C n (n-1)).
//   - GET /__barrage/metrics returns the counters in Prometheus text format
//     0.0.4, never delayed (it still waits its turn behind earlier pipelined
//     requests on its connection), never counted, never an error.
//
// Threads: `threads` worker threads, each running its own epoll loop on one
// shared non-blocking listener (EPOLLEXCLUSIVE); a connection stays on the
// worker that accepted it, nothing is shared on the request path, and the
// request path does not allocate once a connection's buffers have grown.
//
// Thread safety: Start() once, from one thread. Stop(), port() and Stats()
// may be called from any thread at any time; the destructor calls Stop().
#ifndef BARRAGE_TOOLS_TARGET_TARGET_SERVER_H_
#define BARRAGE_TOOLS_TARGET_TARGET_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/target/target_metrics.h"

namespace barrage {

class TargetWorker;

class TargetServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";  // IPv4 or IPv6 literal, or "localhost"
    int port = 8080;                 // 0 picks a free port; see port()
    absl::Duration delay = absl::ZeroDuration();   // before each response
    absl::Duration jitter = absl::ZeroDuration();  // +/- uniform, >= 0
    double error_rate = 0.0;    // fraction in [0, 1] answered with 500
    uint64_t seed = 1;          // RNG seed (error choice and jitter)
    int status = 200;           // 200..599
    int threads = 1;            // worker threads, 1..64
    std::string body = "ok\n";  // at most 1 MiB
    // Capacity model (service_queue.h); all zero: off, as without it. On,
    // it needs threads == 1 (one worker owns the FIFO).
    int concurrency = 0;    // requests in service at once, 0..100000; 0: any
    double contention = 0;  // USL S >= 0
    double coherency = 0;   // USL C >= 0
  };

  // The path of the metrics page.
  static constexpr char kMetricsPath[] = "/__barrage/metrics";

  explicit TargetServer(Options options);
  ~TargetServer();
  TargetServer(const TargetServer&) = delete;
  TargetServer& operator=(const TargetServer&) = delete;

  // Validates the options, binds and listens, and starts the workers.
  // InvalidArgument for bad options; Unavailable naming host:port when the
  // address cannot be bound; FailedPrecondition on a second call.
  absl::Status Start();

  // Stops the workers (eventfd wakeup; returns within milliseconds), closes
  // every connection, dropping pending responses, and the listener.
  // Idempotent.
  void Stop();

  // The bound port once Start() succeeded, else 0.
  int port() const;

  // "127.0.0.1:8080" or "[::1]:8080", with the bound port.
  std::string address() const;

  // Counters summed over workers; valid before, during and after running.
  TargetStats Stats() const;

  const Options& options() const { return options_; }

 private:
  const Options options_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int bound_port_ ABSL_GUARDED_BY(mu_) = 0;
  int listen_fd_ ABSL_GUARDED_BY(mu_) = -1;
  int stop_fd_ ABSL_GUARDED_BY(mu_) = -1;  // eventfd, readable once stopping
  // One per worker; created before the workers and kept until destruction
  // so Stats() works after Stop().
  std::vector<std::unique_ptr<TargetCounters>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<TargetWorker>> workers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

// True when the options turn the capacity model on.
bool CapacityModelOn(const TargetServer::Options& options);

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_TARGET_SERVER_H_
