// Copyright 2026 The Barrage Authors.
//
// TargetWorker: one event loop of the `barrage target` server (see
// target_server.h for the behaviour). It owns an epoll instance, a timerfd
// (CLOCK_MONOTONIC, absolute, armed to the earliest response deadline) and
// the connections it accepted from the shared listener.
//
// Delayed responses: each gets a sequence number on its connection and a
// min-heap entry (due, fd, connection generation, sequence). When an entry
// fires its response is marked ready, and a connection sends ready responses
// only from the front of its queue, so order is kept. A connection's
// generation changes when it closes, so entries for a closed connection (or a
// new connection that reused the fd) are recognised and dropped.
//
// Capacity model (when on): an ordinary request's response is queued not
// ready and its job goes to the ServiceQueue; a job entering service gets a
// heap entry flagged `service` at its completion time. That entry always
// frees its slot (even when the client has left, so capacity is not
// leaked), then marks the response ready if the connection is the same.
//
// Sources: target_worker.cc (event loop, sockets, timers) and
// target_worker_http.cc (requests in, responses out).
//
// Thread safety: constructed and destroyed by the server's thread; Run() runs
// on one worker thread. It writes only its own TargetCounters; it reads all
// workers' counters (relaxed atomics) to render the metrics page.
#ifndef BARRAGE_TOOLS_TARGET_TARGET_WORKER_H_
#define BARRAGE_TOOLS_TARGET_TARGET_WORKER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/target/connection.h"
#include "tools/target/service_queue.h"
#include "tools/target/target_metrics.h"
#include "tools/target/target_server.h"

namespace barrage {

class TargetWorker {
 public:
  // Borrows the fds and counters; they must outlive Run(). `seed` seeds this
  // worker's RNG.
  TargetWorker(const TargetServer::Options& options, int listen_fd, int stop_fd,
               TargetCounters* counters,
               std::vector<const TargetCounters*> all_counters, uint64_t seed);
  ~TargetWorker();
  TargetWorker(const TargetWorker&) = delete;
  TargetWorker& operator=(const TargetWorker&) = delete;

  // Creates the epoll instance and timerfd and registers the fds.
  absl::Status Init();

  // Serves until stop_fd becomes readable, then closes every connection.
  void Run();

 private:
  struct TimerEntry {
    int64_t due_ns;  // CLOCK_MONOTONIC
    int fd;
    uint32_t generation;
    uint64_t seq;  // kLingerSeq: close a draining connection
    bool service;  // a capacity-model job completes (frees its slot)
  };

  void OnAccept();
  void OnReadable(Connection& c);
  void OnTimer();
  // Parses buffered input, sends what is ready, repeats while flushing
  // un-pauses the connection, then updates the epoll interest.
  void Pump(Connection& c, int64_t now);
  // Consumes buffered requests; true when it stopped because of Paused().
  bool ProcessInput(Connection& c, int64_t now);
  PendingResponse Plan(const Http1Request& request) const;
  // Decides status and delay of an ordinary request and queues it.
  void Dispatch(Connection& c, PendingResponse response, int64_t now);
  void QueueBad(Connection& c, int status, const char* reason);
  // Queues a response; due_ns 0 means ready now.
  void Enqueue(Connection& c, PendingResponse response, int64_t due_ns);
  // Moves ready responses from the front of the queue into `out`.
  void EmitReady(Connection& c);
  void Emit(Connection& c, const PendingResponse& response);
  // Writes `out`; false if the connection was closed.
  bool Flush(Connection& c, int64_t now);
  bool Paused(const Connection& c) const;
  void UpdateInterest(Connection& c);
  void Close(Connection& c);
  void PushTimer(int64_t due_ns, const Connection& c, uint64_t seq);
  // Capacity model: hands a job to the ServiceQueue.
  void Serve(Connection& c, int64_t base_ns, int64_t now);
  // Capacity model: a job's service ended; starts the next waiting one.
  void FinishService(int64_t now);
  void PushServiceTimer(const ServiceQueue::Started& started);
  // Stores the ServiceQueue's gauges into the counters.
  void PublishService();
  void ArmTimer();

  const int status_;
  const int64_t delay_ns_;
  const int64_t jitter_ns_;
  const double error_rate_;
  const int listen_fd_;
  const int stop_fd_;
  TargetCounters* const counters_;
  const std::vector<const TargetCounters*> all_counters_;
  // [0]: configured status, [1]: injected 500; by ConnectionMode.
  CannedResponse canned_[2][kConnectionModes];

  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  int64_t armed_ns_ = 0;  // deadline the timerfd is armed to; 0 = disarmed
  std::mt19937_64 rng_;
  std::optional<ServiceQueue> service_;  // the capacity model, when on
  std::vector<TimerEntry> heap_;                          // min-heap on due_ns
  std::vector<std::unique_ptr<Connection>> connections_;  // by fd
  std::string metrics_page_;  // reused for every metrics response
};

}  // namespace barrage

#endif  // BARRAGE_TOOLS_TARGET_TARGET_WORKER_H_
