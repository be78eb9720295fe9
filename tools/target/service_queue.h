// Copyright 2026 The Barrage Authors.
//
// ServiceQueue: the capacity model of `barrage target` (--concurrency,
// --contention, --coherency). It decides when a request enters service and
// how long its service takes; the worker's event loop keeps the timers.
//
// Model:
//   - At most `concurrency` requests are in service at once (0: unlimited);
//     the rest wait in FIFO order, and their wait is part of the latency a
//     client sees.
//   - A request entering service while n requests are in service (itself
//     included) takes base x (1 + S (n - 1) + C n (n - 1)), where base is
//     the configured delay (plus jitter) and S, C are the contention and
//     coherency: a Universal Scalability Law service, so N concurrent
//     closed-loop clients see X(N) = N / (delay (1 + S (N-1) + C N (N-1))).
//     A service time is fixed when it starts; later arrivals do not stretch
//     it. It is capped at kMaxServiceNs.
//   - Waiting requests are small records in a ring that grows by doubling
//     and never shrinks (no thread, no timer per waiting request).
//
// Time is passed in (nanoseconds on any monotonic clock), so tests drive the
// model with made-up instants; the worker passes CLOCK_MONOTONIC.
//
// Thread safety: none; one worker thread owns it.
#ifndef BARRAGE_TOOLS_TARGET_SERVICE_QUEUE_H_
#define BARRAGE_TOOLS_TARGET_SERVICE_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace barrage {

class ServiceQueue {
 public:
  struct Options {
    int concurrency = 0;    // requests in service at once; 0: unlimited
    double contention = 0;  // S >= 0
    double coherency = 0;   // C >= 0
  };
  static constexpr int kMaxConcurrency = 100000;
  static constexpr int64_t kMaxServiceNs = int64_t{24} * 3600 * 1'000'000'000;

  // A request owed service, as the worker identifies it.
  struct Job {
    int fd = -1;
    uint32_t generation = 0;  // the connection's, to recognise a closed one
    uint64_t seq = 0;         // its response's sequence on the connection
    int64_t base_ns = 0;      // delay (+ jitter) before the USL factor, >= 0
  };
  // A job that entered service: it completes at due_ns = start + service_ns.
  struct Started {
    Job job;
    int64_t due_ns = 0;
    int64_t service_ns = 0;
  };

  // InvalidArgument naming the option (negative, not finite, K too large).
  static absl::Status Validate(const Options& options);

  // The USL factor 1 + S (n - 1) + C n (n - 1) for n requests in service.
  static double Factor(const Options& options, int64_t n);

  // `options` must pass Validate().
  explicit ServiceQueue(const Options& options);

  // A request arrives at now_ns: it starts at once if a slot is free, else
  // it waits (nullopt).
  std::optional<Started> Arrive(const Job& job, int64_t now_ns);

  // One job in service completed at now_ns (the caller calls this exactly
  // once per Started, at its due_ns, whether or not its client is still
  // there). Starts the longest-waiting job for which `live` is true and
  // returns it; jobs it skips are dropped (see Abandon).
  std::optional<Started> Finish(int64_t now_ns,
                                absl::FunctionRef<bool(const Job&)> live);

  // `n` waiting jobs lost their client (their connection closed); they leave
  // the waiting count now and the ring when Finish() reaches them.
  void Abandon(size_t n);

  int64_t in_service() const { return in_service_; }
  // Waiting jobs whose client is still there.
  size_t waiting() const { return size_ - abandoned_; }
  // Sum of the service times of every job that entered service, ns.
  int64_t busy_ns() const { return busy_ns_; }

 private:
  Started Start(const Job& job, int64_t now_ns);
  void Push(const Job& job);
  Job PopFront();

  const Options options_;
  int64_t in_service_ = 0;
  int64_t busy_ns_ = 0;
  std::vector<Job> ring_;  // size 0 or a power of two
  size_t head_ = 0;
  size_t size_ = 0;
  size_t abandoned_ = 0;  // of the size_ waiting, those without a client
};

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_SERVICE_QUEUE_H_
