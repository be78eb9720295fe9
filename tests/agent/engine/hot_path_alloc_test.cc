// Copyright 2026 The Barrage Authors.
//
// The worker's request path allocates nothing: a worker with each real
// driver (native HTTP/1.1, libcurl) fires 2,000 requests/s at `barrage
// target` while every C++ allocation in the process is counted. What remains
// is growth, not per-request work: when concurrency reaches a new high (a
// scheduling hiccup on a busy machine), the driver makes one more connection
// (or easy handle) and the target accepts one more connection. (libcurl's
// own mallocs are its business and are not counted.) This binary replaces
// the global operator new, so it holds this test only.

#include <atomic>
#include <cstdlib>
#include <new>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "absl/strings/str_cat.h"
#include "agent/engine/run_executor.h"
#include "agent/engine/worker.h"
#include "common/util/clock.h"
#include "common/scenario/yaml_loader.h"
#include "tools/target/target_server.h"

namespace {
std::atomic<uint64_t> allocations{0};
}  // namespace

namespace barrage {
namespace {

TEST_CASE("a worker's steady request path allocates nothing") {
  TargetServer::Options options;
  options.host = "127.0.0.1";
  options.port = 0;
  TargetServer target(options);
  REQUIRE(target.Start().ok());
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      absl::StrCat("name: alloc\ntarget: http://", target.address(),
                   "\nrequests:\n  - {name: a, path: /a, weight: 2}\n"
                   "  - {name: b, method: POST, path: /b, body: x}\n"
                   "stages: [{duration: 3s, rate: 2000/s}]\n"),
      "alloc.yaml");
  REQUIRE(s.ok());
  HttpClientOptions http;
  http.max_in_flight = 200;
  http.engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  INFO((http.engine == HttpEngine::kAuto ? "native driver" : "libcurl driver"));
  auto client = MakeHttpClient(BuildTemplates(*s), http, SystemClock());
  REQUIRE(client.ok());
  WorkerConfig config;
  config.scenario = *s;
  config.max_in_flight = 200;
  Worker worker(config, **client);

  Clock& clock = SystemClock();
  const int64_t start = clock.NowNs();
  auto now = [&] { return clock.NowNs() - start; };
  auto on_done = [&](const HttpResult& r) { worker.OnResult(r, now()); };
  uint64_t before = 0;
  uint64_t served_before = 0;
  uint64_t allocated = 0;
  while (!worker.Finished(now())) {
    const int64_t t = now();
    // Steady window: from 1.2 s to 2.8 s (intervals 1 and 2 are published
    // inside it, after their series exist).
    if (before == 0 && t >= 1'200'000'000) {
      before = allocations.load();
      served_before = target.Stats().requests;
    }
    if (before != 0 && t >= 2'800'000'000) {
      allocated = allocations.load() - before;
      const uint64_t served = target.Stats().requests - served_before;
      INFO(allocated << " allocations while " << served << " requests were served");
      CHECK(served >= 2500);
      // Each new connection costs the driver 1 and the target a few.
      CHECK(allocated * 50 <= served);
      break;
    }
    const int64_t next = worker.Step(t);
    const int64_t wait = next == Worker::kNever ? 10'000'000 : std::max<int64_t>(next - t, 0);
    (*client)->Poll(std::min<int64_t>(wait, 10'000'000), on_done);
  }
  CHECK(before != 0);
  CHECK(target.Stats().requests >= 5000);
}

}  // namespace
}  // namespace barrage

// The replacements pair malloc with free; GCC 12 may still warn, after
// inlining, that free() meets a pointer from operator new (a false positive
// for replaced global operators).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
