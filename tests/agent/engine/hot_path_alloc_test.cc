// Copyright 2026 The Barrage Authors.
//
// The worker's request path allocates nothing: a worker with each real
// driver (native HTTP/1.1 and libcurl against `barrage target`, native h2c
// and native HTTP/1.1 over kept-alive TLS (a test CA) against nginx) fires
// 2,000 requests/s while every C++ allocation in the process is counted.
// What remains is growth, not per-request work: when concurrency reaches a
// new high (a scheduling hiccup on a busy machine), the driver makes one
// more connection (or easy handle) and the target accepts one more
// connection. (libcurl's, nghttp2's and OpenSSL's own mallocs are theirs
// and are not counted.) This binary replaces the global operator new, so it
// holds this test only.

#include <atomic>
#include <cstdlib>
#include <functional>
#include <string>
#include <new>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "absl/strings/str_cat.h"
#include "agent/engine/run_executor.h"
#include "agent/engine/worker.h"
#include "agent/http/http_client.h"
#include "common/util/clock.h"
#include "common/scenario/yaml_loader.h"
#include "tools/target/target_server.h"
#include "tests/support/nginx_fixture.h"
#include "tests/support/test_certs.h"

namespace {
std::atomic<uint64_t> allocations{0};
}  // namespace

namespace barrage {
namespace {

std::string ScenarioText(const std::string& url, const std::string& defaults = "") {
  return absl::StrCat("name: alloc\ntarget: ", url, "\n", defaults,
                      "requests:\n  - {name: a, path: /a, weight: 2}\n"
                      "  - {name: b, method: POST, path: /b, body: x}\n"
                      "stages: [{duration: 3s, rate: 2000/s}]\n");
}

// Runs a worker on `client` until 2.8 s and checks the steady window from
// 1.2 s to 2.8 s (intervals 1 and 2 are published inside it, after their
// series exist). `served` counts the server's requests; it is called just
// outside the window, so its own allocations do not count.
void CheckSteadyWindow(const Scenario& scenario, HttpClient& client,
                       const std::function<uint64_t()>& served) {
  WorkerConfig config;
  config.scenario = scenario;
  config.max_in_flight = 200;
  Worker worker(config, client);

  Clock& clock = SystemClock();
  const int64_t start = clock.NowNs();
  auto now = [&] { return clock.NowNs() - start; };
  auto on_done = [&](const HttpResult& r) { worker.OnResult(r, now()); };
  uint64_t before = 0;
  uint64_t served_before = 0;
  bool measured = false;
  while (!worker.Finished(now())) {
    const int64_t t = now();
    if (before == 0 && t >= 1'200'000'000) {
      served_before = served();
      before = allocations.load();
    }
    if (before != 0 && t >= 2'800'000'000) {
      const uint64_t allocated = allocations.load() - before;
      const uint64_t served_in_window = served() - served_before;
      INFO(allocated << " allocations while " << served_in_window << " requests were served");
      CHECK(served_in_window >= 2500);
      // Each new connection costs the driver 1 and the target a few.
      CHECK(allocated * 50 <= served_in_window);
      measured = true;
      break;
    }
    const int64_t next = worker.Step(t);
    const int64_t wait = next == Worker::kNever ? 10'000'000 : std::max<int64_t>(next - t, 0);
    client.Poll(std::min<int64_t>(wait, 10'000'000), on_done);
  }
  CHECK(measured);
  CHECK(served() >= 5000);
}

TEST_CASE("a worker's steady request path allocates nothing") {
  TargetServer::Options options;
  options.host = "127.0.0.1";
  options.port = 0;
  TargetServer target(options);
  REQUIRE(target.Start().ok());
  absl::StatusOr<Scenario> s =
      LoadScenarioYaml(ScenarioText(absl::StrCat("http://", target.address())), "alloc.yaml");
  REQUIRE(s.ok());
  HttpClientOptions http;
  http.max_in_flight = 200;
  http.engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  INFO((http.engine == HttpEngine::kAuto ? "native driver" : "libcurl driver"));
  auto client = MakeHttpClient(BuildTemplates(*s), http, SystemClock());
  REQUIRE(client.ok());
  CheckSteadyWindow(*s, **client, [&target] { return target.Stats().requests; });
}

TEST_CASE("a worker's steady h2c request path allocates nothing") {
  testing::NginxFixture nginx;
  if (absl::Status st = nginx.Start(testing::NginxFixture::Mode::kH2c); !st.ok()) {
    SKIP(st.message());
  }
  absl::StatusOr<Scenario> s =
      LoadScenarioYaml(ScenarioText(nginx.url(), "defaults: {http: \"2\"}\n"), "alloc.yaml");
  REQUIRE(s.ok());
  HttpClientOptions http;
  http.http = HttpVersion::kHttp2;
  http.max_in_flight = 200;
  http.h2_connections = 2;
  auto client = MakeHttpClient(BuildTemplates(*s), http, SystemClock());
  REQUIRE(client.ok());
  REQUIRE(std::string((*client)->name()) == "native-h2c");
  // nginx answers POST on `return 200` too; its log counts what it served.
  CheckSteadyWindow(*s, **client, [&nginx] {
    return static_cast<uint64_t>(nginx.AccessLogLines("HTTP/2.0"));
  });
  CHECK((*client)->connections_opened() == 2);
}

TEST_CASE("a worker's steady request path over kept-alive TLS allocates nothing") {
  testing::TestCerts certs;
  if (absl::Status st = certs.Make(); !st.ok()) SKIP(st.message());
  testing::NginxFixture nginx;
  const absl::Status st =
      nginx.StartTls({certs.Path("server.pem"), certs.Path("server.key"), "", ""});
  if (absl::IsFailedPrecondition(st)) SKIP(st.message());
  REQUIRE(st.ok());
  absl::StatusOr<Scenario> s = LoadScenarioYaml(ScenarioText(nginx.url()), "alloc.yaml");
  REQUIRE(s.ok());
  HttpClientOptions http;
  http.max_in_flight = 200;
  http.ca_pem = certs.Pem("ca.pem");
  auto client = MakeHttpClient(BuildTemplates(*s), http, SystemClock());
  REQUIRE(client.ok());
  REQUIRE(std::string((*client)->name()) == "native-http1");
  CheckSteadyWindow(*s, **client, [&nginx] {
    return static_cast<uint64_t>(nginx.AccessLogLines("HTTP/1.1"));
  });
}

TEST_CASE("a worker's steady h2-over-TLS request path allocates nothing") {
  testing::TestCerts certs;
  if (absl::Status st = certs.Make(); !st.ok()) SKIP(st.message());
  testing::NginxFixture nginx;
  testing::NginxFixture::TlsFiles files{certs.Path("server.pem"), certs.Path("server.key"), "",
                                        ""};
  files.http2 = true;
  const absl::Status st = nginx.StartTls(files);
  if (absl::IsFailedPrecondition(st)) SKIP(st.message());
  REQUIRE(st.ok());
  absl::StatusOr<Scenario> s =
      LoadScenarioYaml(ScenarioText(nginx.url(), "defaults: {http: \"2\"}\n"), "alloc.yaml");
  REQUIRE(s.ok());
  HttpClientOptions http;
  http.http = HttpVersion::kHttp2;
  http.max_in_flight = 200;
  http.h2_connections = 2;
  http.ca_pem = certs.Pem("ca.pem");
  auto client = MakeHttpClient(BuildTemplates(*s), http, SystemClock());
  REQUIRE(client.ok());
  REQUIRE(std::string((*client)->name()) == "native-h2");
  CheckSteadyWindow(*s, **client, [&nginx] {
    return static_cast<uint64_t>(nginx.AccessLogLines("HTTP/2.0"));
  });
  CHECK((*client)->connections_opened() == 2);
}

// StartWith (flows' rendered sends) straight on a client: 40 requests in
// flight, each result followed by a send with freshly rendered parts (the
// path's digits change), with and without keep_response; the window from
// 0.6 s to 1.6 s allocates at most once per 50 responses (growth only).
void CheckStartWithWindow(HttpClient& client, const std::function<uint64_t()>& served) {
  Clock& clock = SystemClock();
  char path[] = "/items/0000?page=1";
  const std::string user = "u-1234";
  const std::string body = "{\"id\":1234}";
  const HeaderView headers[] = {{"X-User", user}, {"Content-Type", "application/json"}};
  uint64_t sent = 0;
  auto send = [&] {
    ++sent;
    for (int k = 0; k < 4; ++k) path[7 + k] = static_cast<char>('0' + (sent >> (k * 3)) % 8);
    client.StartWith(sent % 2, RequestParts{path, headers, body}, sent);
  };
  uint64_t kept_bytes = 0;
  auto on_done = [&](const HttpResult& r) {
    kept_bytes += r.response_body.size();
    send();
  };
  for (int i = 0; i < 40; ++i) send();
  const int64_t start = clock.NowNs();
  uint64_t before = 0;
  uint64_t served_before = 0;
  bool measured = false;
  while (clock.NowNs() - start < 5'000'000'000) {
    const int64_t t = clock.NowNs() - start;
    if (before == 0 && t >= 600'000'000) {
      served_before = served();
      before = allocations.load();
    }
    if (before != 0 && t >= 1'600'000'000) {
      const uint64_t allocated = allocations.load() - before;
      const uint64_t served_in_window = served() - served_before;
      INFO(allocated << " allocations while " << served_in_window << " requests were served");
      CHECK(served_in_window >= 1000);
      CHECK(allocated * 50 <= served_in_window);
      measured = true;
      break;
    }
    client.Poll(10'000'000, on_done);
  }
  CHECK(measured);
  CHECK(kept_bytes > 0);  // template 1 keeps its responses
  client.CancelAll([](const HttpResult&) {});
}

std::vector<HttpRequestTemplate> StartWithTemplates(const std::string& url,
                                                    absl::Duration latency) {
  std::vector<HttpRequestTemplate> templates(2);
  for (size_t i = 0; i < 2; ++i) {
    templates[i].name = absl::StrCat("t", i);
    templates[i].method = "POST";
    templates[i].url = url + "/items";
    templates[i].body = "template";
    templates[i].timeout = absl::Seconds(5);
    templates[i].keep_response = i == 1;
    templates[i].network.latency = latency;
  }
  return templates;
}

TEST_CASE("StartWith's steady path allocates nothing, kept responses and network profiles too") {
  TargetServer::Options options;
  options.host = "127.0.0.1";
  options.port = 0;
  TargetServer target(options);
  REQUIRE(target.Start().ok());
  HttpClientOptions http;
  http.max_in_flight = 64;
  http.engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  const absl::Duration latency = GENERATE(absl::ZeroDuration(), absl::Milliseconds(1));
  INFO((http.engine == HttpEngine::kAuto ? "native driver" : "libcurl driver")
       << (latency > absl::ZeroDuration() ? ", shaped" : ""));
  auto client = MakeHttpClient(
      StartWithTemplates(absl::StrCat("http://", target.address()), latency), http, SystemClock());
  REQUIRE(client.ok());
  CheckStartWithWindow(**client, [&target] { return target.Stats().requests; });
}

TEST_CASE("h2c StartWith's steady path allocates nothing") {
  testing::NginxFixture nginx;
  if (absl::Status st = nginx.Start(testing::NginxFixture::Mode::kH2c); !st.ok()) {
    SKIP(st.message());
  }
  HttpClientOptions http;
  http.http = HttpVersion::kHttp2;
  http.max_in_flight = 64;
  http.h2_connections = 2;
  auto client =
      MakeHttpClient(StartWithTemplates(nginx.url(), absl::ZeroDuration()), http, SystemClock());
  REQUIRE(client.ok());
  REQUIRE(std::string((*client)->name()) == "native-h2c");
  CheckStartWithWindow(**client, [&nginx] {
    return static_cast<uint64_t>(nginx.AccessLogLines("HTTP/2.0"));
  });
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
