// Copyright 2026 The Barrage Authors.
//
// ServiceQueue with made-up instants: admission, FIFO order, the USL service
// time, abandoned jobs and the gauges.

#include "tools/target/service_queue.h"

#include <catch2/catch_test_macros.hpp>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tools/target/target_metrics.h"

namespace barrage {
namespace {

constexpr int64_t kMs = 1'000'000;

ServiceQueue::Job JobNo(uint64_t seq, int64_t base_ns = 20 * kMs) {
  ServiceQueue::Job job;
  job.fd = 7;
  job.seq = seq;
  job.base_ns = base_ns;
  return job;
}

bool AllLive(const ServiceQueue::Job&) { return true; }

TEST_CASE("service queue gives the n-th concurrent request delay x USL factor") {
  ServiceQueue::Options options;
  options.concurrency = 8;
  options.contention = 0.1;
  options.coherency = 0.01;
  ServiceQueue queue(options);
  int64_t busy = 0;
  for (int n = 1; n <= 8; ++n) {
    const auto started = queue.Arrive(JobNo(n), 1000);
    REQUIRE(started.has_value());
    const double factor = 1 + 0.1 * (n - 1) + 0.01 * n * (n - 1);
    INFO("n = " << n);
    CHECK(ServiceQueue::Factor(options, n) == factor);
    CHECK(started->service_ns == std::llround(20 * kMs * factor));
    CHECK(started->due_ns == 1000 + started->service_ns);
    CHECK(queue.in_service() == n);
    busy += started->service_ns;
  }
  CHECK(queue.busy_ns() == busy);
  // The ninth waits; it starts when one finishes, with n = K again.
  CHECK_FALSE(queue.Arrive(JobNo(9), 2000).has_value());
  CHECK(queue.waiting() == 1);
  const auto next = queue.Finish(5000, AllLive);
  REQUIRE(next.has_value());
  CHECK(next->job.seq == 9);
  CHECK(next->service_ns == std::llround(20 * kMs * ServiceQueue::Factor(options, 8)));
  CHECK(next->due_ns == 5000 + next->service_ns);
  CHECK(queue.in_service() == 8);
  CHECK(queue.waiting() == 0);
}

TEST_CASE("service queue without contention serves each request in delay") {
  ServiceQueue queue(ServiceQueue::Options{});
  for (int i = 0; i < 100; ++i) {
    const auto started = queue.Arrive(JobNo(i), i);
    REQUIRE(started.has_value());
    CHECK(started->service_ns == 20 * kMs);
  }
  CHECK(queue.in_service() == 100);  // unlimited
  CHECK(queue.waiting() == 0);
}

TEST_CASE("service queue starts waiting requests in arrival order") {
  ServiceQueue queue(ServiceQueue::Options{2, 0, 0});
  std::vector<uint64_t> started_order;
  for (uint64_t seq = 0; seq < 10; ++seq) {
    if (auto s = queue.Arrive(JobNo(seq), 0)) started_order.push_back(s->job.seq);
  }
  CHECK(queue.in_service() == 2);
  CHECK(queue.waiting() == 8);
  int64_t now = 0;
  while (queue.in_service() > 0) {
    now += 20 * kMs;
    if (auto s = queue.Finish(now, AllLive)) started_order.push_back(s->job.seq);
  }
  std::vector<uint64_t> expected;
  for (uint64_t seq = 0; seq < 10; ++seq) expected.push_back(seq);
  CHECK(started_order == expected);
  CHECK(queue.waiting() == 0);
  CHECK(queue.busy_ns() == 10 * 20 * kMs);
}

TEST_CASE("service queue closed loop with K slots completes K per delay") {
  // 8 clients, K = 2, delay 20 ms: each finished client asks again at once.
  ServiceQueue queue(ServiceQueue::Options{2, 0, 0});
  struct Due {
    int64_t at;
    uint64_t client;
  };
  std::deque<Due> in_service;  // constant service time: FIFO == due order
  for (uint64_t client = 0; client < 8; ++client) {
    if (auto s = queue.Arrive(JobNo(client), 0)) in_service.push_back({s->due_ns, client});
  }
  int completions = 0;
  int64_t now = 0;
  while (in_service.front().at <= 1000 * kMs) {
    const Due done = in_service.front();
    in_service.pop_front();
    now = done.at;
    ++completions;
    if (auto s = queue.Finish(now, AllLive)) in_service.push_back({s->due_ns, s->job.seq});
    if (auto s = queue.Arrive(JobNo(done.client), now)) {
      in_service.push_back({s->due_ns, done.client});
    }
    CHECK(queue.in_service() <= 2);
    CHECK(queue.waiting() == 6);  // 8 clients - 2 in service
  }
  CHECK(completions == 100);  // 2 per 20 ms over 1 s
}

TEST_CASE("service queue never holds more than arrived and skips the departed") {
  const uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  ServiceQueue queue(ServiceQueue::Options{3, 0.05, 0});
  std::vector<bool> gone(2000, false);
  uint64_t arrived = 0, started = 0, finished = 0, abandoned = 0;
  std::deque<uint64_t> waiting;  // the model: live ones, in order
  auto live = [&gone](const ServiceQueue::Job& job) { return !gone[job.seq]; };
  for (int step = 0; step < 2000; ++step) {
    const int what = static_cast<int>(rng() % 3);
    if (what == 0 || queue.in_service() == 0) {
      const uint64_t seq = arrived++;
      if (queue.Arrive(JobNo(seq), step)) {
        ++started;
      } else {
        waiting.push_back(seq);
      }
    } else if (what == 1) {
      ++finished;
      auto s = queue.Finish(step, live);
      if (waiting.empty()) {
        CHECK_FALSE(s.has_value());
      } else {
        REQUIRE(s.has_value());
        CHECK(s->job.seq == waiting.front());
        waiting.pop_front();
        ++started;
      }
    } else if (!waiting.empty()) {  // a waiting client leaves
      const size_t i = rng() % waiting.size();
      gone[waiting[i]] = true;
      waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(i));
      queue.Abandon(1);
      ++abandoned;
    }
    REQUIRE(queue.waiting() == waiting.size());
    REQUIRE(queue.waiting() + started + abandoned == arrived);
    REQUIRE(queue.in_service() == static_cast<int64_t>(started - finished));
    REQUIRE(queue.in_service() <= 3);
  }
}

TEST_CASE("service queue validates its options with messages naming them") {
  CHECK(ServiceQueue::Validate({}).ok());
  CHECK(ServiceQueue::Validate({ServiceQueue::kMaxConcurrency, 1, 1}).ok());
  const absl::Status negative_k = ServiceQueue::Validate({-1, 0, 0});
  CHECK(negative_k.message() == "concurrency -1 is outside 0..100000");
  const absl::Status big_k = ServiceQueue::Validate({100001, 0, 0});
  CHECK(absl::IsInvalidArgument(big_k));
  CHECK(big_k.message() == "concurrency 100001 is outside 0..100000");
  CHECK(ServiceQueue::Validate({0, -0.1, 0}).message() ==
        "contention -0.1 must be a finite number >= 0");
  CHECK(ServiceQueue::Validate({0, 0, -1}).message() ==
        "coherency -1 must be a finite number >= 0");
  CHECK(absl::IsInvalidArgument(ServiceQueue::Validate({0, NAN, 0})));
}

TEST_CASE("service queue caps a huge service time instead of overflowing") {
  ServiceQueue queue(ServiceQueue::Options{0, 0, 1e9});
  REQUIRE(queue.Arrive(JobNo(0, 3600'000 * kMs), 0).has_value());
  const auto second = queue.Arrive(JobNo(1, 3600'000 * kMs), 0);
  REQUIRE(second.has_value());
  CHECK(second->service_ns == ServiceQueue::kMaxServiceNs);
}

TEST_CASE("target metrics show the capacity gauges only when the model is on") {
  TargetStats stats;
  stats.in_service = 2;
  stats.waiting = 6;
  stats.busy_ns = 1'500'000'000;
  std::string page;
  RenderTargetMetrics(stats, {200}, /*capacity_model=*/true, &page);
  CHECK(page.find("# TYPE barrage_target_in_service gauge\n"
                  "barrage_target_in_service 2\n") != std::string::npos);
  CHECK(page.find("# TYPE barrage_target_queued_requests gauge\n"
                  "barrage_target_queued_requests 6\n") != std::string::npos);
  CHECK(page.find("# TYPE barrage_target_busy_seconds_total counter\n"
                  "barrage_target_busy_seconds_total 1.5\n") != std::string::npos);
  RenderTargetMetrics(stats, {200}, /*capacity_model=*/false, &page);
  CHECK(page.find("in_service") == std::string::npos);
  CHECK(page.find("busy_seconds") == std::string::npos);
}

}  // namespace
}  // namespace barrage
