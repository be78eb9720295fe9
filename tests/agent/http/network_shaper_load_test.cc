// Copyright 2026 The Barrage Authors.
//
// Network profiles through the real clients: ShapedHttpClient around the
// native HTTP/1.1 driver and libcurl (as MakeHttpClient wraps them) against
// `barrage target` on loopback. A 50 ms latency raises the median response
// time by 50 ms (against a baseline measured here), and a 1 MB body under
// 1 Mbit/s takes 8 s (the decorator's delay for the native driver, libcurl's
// own speed limit for libcurl).

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "agent/engine/run_executor.h"
#include "agent/http/network_shaper.h"
#include "common/util/clock.h"
#include "tools/target/target_server.h"

namespace barrage {
namespace {

constexpr int64_t kMs = 1'000'000;

HttpRequestTemplate Tpl(const std::string& url, NetworkProfile network) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = "GET";
  t.url = url;
  t.timeout = absl::Seconds(30);
  t.network = network;
  return t;
}

std::unique_ptr<HttpClient> Make(HttpEngine engine, const HttpRequestTemplate& t) {
  HttpClientOptions options;
  options.engine = engine;
  options.max_in_flight = 4;
  absl::StatusOr<std::unique_ptr<HttpClient>> c = MakeHttpClient({t}, options, SystemClock());
  REQUIRE(c.ok());
  return std::move(*c);
}

// Response times (ns) of `n` requests sent one after another.
std::vector<int64_t> Times(HttpClient& client, int n) {
  std::vector<int64_t> times;
  Clock& clock = SystemClock();
  for (int i = 0; i < n; ++i) {
    const int64_t start = clock.NowNs();
    client.Start(0, static_cast<uint64_t>(i));
    bool done = false;
    const int64_t give_up = start + 60'000 * kMs;
    while (!done && clock.NowNs() < give_up) {
      client.Poll(100 * kMs, [&](const HttpResult& r) {
        CHECK(r.outcome == Outcome::kOk);
        times.push_back(clock.NowNs() - start);
        done = true;
      });
    }
    REQUIRE(done);
  }
  return times;
}

int64_t Median(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void CheckLatency(HttpEngine engine, const char* name) {
  TargetServer::Options options;
  options.port = 0;
  TargetServer target(options);
  REQUIRE(target.Start().ok());
  const std::string url = absl::StrCat("http://", target.address(), "/");
  auto plain = Make(engine, Tpl(url, {}));
  NetworkProfile network;
  network.latency = absl::Milliseconds(50);
  auto shaped = Make(engine, Tpl(url, network));
  CHECK(std::string(plain->name()) == name);
  CHECK(std::string(shaped->name()) == name);
  REQUIRE(dynamic_cast<ShapedHttpClient*>(shaped.get()) != nullptr);
  Times(*plain, 5);  // connections up on both
  Times(*shaped, 1);
  const int64_t base = Median(Times(*plain, 31));
  const int64_t with = Median(Times(*shaped, 31));
  INFO("p50 " << base / 1000 << " us without, " << with / 1000 << " us with 50 ms");
  CHECK(with - base >= 45 * kMs);
  CHECK(with - base <= 55 * kMs);
}

void CheckBandwidth(HttpEngine engine, const char* name) {
  TargetServer::Options options;
  options.port = 0;
  options.body = std::string(1'000'000, 'b');
  TargetServer target(options);
  REQUIRE(target.Start().ok());
  NetworkProfile network;
  network.bandwidth_bps = 1'000'000;
  auto client = Make(engine, Tpl(absl::StrCat("http://", target.address(), "/"), network));
  CHECK(std::string(client->name()) == name);
  const int64_t took = Times(*client, 1)[0];
  INFO("1 MB at 1 Mbit/s took " << took / kMs << " ms");
  CHECK(took >= 7'200 * kMs);
  CHECK(took <= 8'800 * kMs);
}

TEST_CASE("a 50 ms network latency raises the native driver's p50 by 50 ms") {
  CheckLatency(HttpEngine::kAuto, "native-http1");
}

TEST_CASE("a 50 ms network latency raises libcurl's p50 by 50 ms") {
  CheckLatency(HttpEngine::kCurl, "libcurl");
}

TEST_CASE("1 MB at 1 Mbit/s takes 8 s through the native driver") {
  CheckBandwidth(HttpEngine::kAuto, "native-http1");
}

TEST_CASE("1 MB at 1 Mbit/s takes 8 s through libcurl's speed limit") {
  CheckBandwidth(HttpEngine::kCurl, "libcurl");
}

}  // namespace
}  // namespace barrage
