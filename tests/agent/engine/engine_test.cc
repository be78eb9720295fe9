// Copyright 2026 The Barrage Authors.
//
// The engine against real servers on loopback: RunExecutor -> workers ->
// the native HTTP/1.1 driver or libcurl -> `barrage target` (TargetServer)
// or a private nginx. Each run is
// a second or two of bounded load.

#include <map>
#include <memory>
#include <mutex>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "agent/engine/run_executor.h"
#include "common/scenario/yaml_loader.h"
#include "tools/target/target_server.h"
#include "controller/run/run_merger.h"
#include "tests/support/nginx_fixture.h"

namespace barrage {
namespace {

using testing::FreeLoopbackPort;
using testing::NginxFixture;

Scenario Load(const std::string& yaml, const std::string& target) {
  absl::StatusOr<Scenario> s =
      LoadScenarioYaml(absl::StrReplaceAll(yaml, {{"TARGET", target}}), "test.yaml");
  INFO(s.status().message());
  REQUIRE(s.ok());
  return *s;
}

// Runs `scenario` on one agent with `workers` threads; returns the merge.
std::unique_ptr<RunMerger> Run(const Scenario& scenario, int workers = 2,
                               size_t max_in_flight = 1000,
                               std::vector<int64_t> slots = {0},
                               int64_t period = 1,
                               const std::string& ca_file = "",
                               HttpEngine engine = HttpEngine::kAuto) {
  AgentRunConfig config;
  config.run_id = "r-test";
  config.agent_id = "a1";
  config.scenario = scenario;
  config.workers = workers;
  config.max_in_flight = max_in_flight;
  config.slots = std::move(slots);
  config.period = period;
  config.http.http = scenario.http;
  config.http.h2_connections = scenario.h2_connections.value_or(0);  // as the daemon does
  config.http.ca_file = ca_file;
  config.http.engine = engine;
  auto merger = std::make_unique<RunMerger>("r-test", scenario);
  std::mutex mu;
  absl::StatusOr<std::unique_ptr<RunExecutor>> ex =
      RunExecutor::Create(config, SystemClock(), HttpClients(config));
  REQUIRE(ex.ok());
  (*ex)->Start(SystemClock().NowNs() + 20'000'000, [&](const v1::StatsReport& r) {
    std::lock_guard<std::mutex> lock(mu);
    REQUIRE(merger->Apply(r).ok());
  });
  (*ex)->Wait();
  return merger;
}

// The HTTP/1.1 cases run once per client, the native driver and libcurl
// (each picks `engine` with GENERATE).
std::unique_ptr<RunMerger> RunOn(HttpEngine engine, const Scenario& scenario,
                                 int workers = 2) {
  return Run(scenario, workers, 1000, {0}, 1, "", engine);
}

// Starts `nginx` in `mode`, or skips the test where nginx cannot run.
void StartOrSkip(NginxFixture& nginx, NginxFixture::Mode mode = NginxFixture::Mode::kHttp11) {
  const absl::Status started = nginx.Start(mode);
  if (started.code() == absl::StatusCode::kFailedPrecondition) SKIP(started.message());
  REQUIRE(started.ok());
}

TargetServer::Options Opts(absl::Duration delay = absl::ZeroDuration(),
                           int status = 200) {
  TargetServer::Options o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.delay = delay;
  o.status = status;
  return o;
}

constexpr char kOpen[] = R"(name: engine
target: TARGET
requests:
  - {name: a, path: /a, weight: 3}
  - {name: b, method: POST, path: /b, body: '{"q": 1}', headers: {Content-Type: application/json}}
stages:
  - {duration: 2s, rate: 200/s}
)";

TEST_CASE("every scheduled request reaches barrage target exactly once") {
  const HttpEngine engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  TargetServer target(Opts());
  REQUIRE(target.Start().ok());
  const Scenario s = Load(kOpen, absl::StrCat("http://", target.address()));
  auto merged = RunOn(engine, s);
  CHECK(merged->Requests(kAllRequests) == 400);
  CHECK(merged->Count(Outcome::kOk) == 400);
  CHECK(target.Stats().requests == 400);
  // The mix follows the weights (3:1) within a few percent.
  CHECK(std::abs(static_cast<double>(merged->Requests(0)) / 400 - 0.75) < 0.06);
  // Keep-alive: a handful of connections, not one per request.
  CHECK(target.Stats().connections <= 20);
  CHECK(merged->agents().at("a1").connections_opened <= 20);
  CHECK(merged->agents().at("a1").http_client ==
        (engine == HttpEngine::kCurl ? "libcurl" : "native-http1"));
  CHECK(merged->BytesReceived() > 0);
}

TEST_CASE("latency is at least the server's delay and close to it") {
  const HttpEngine engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  TargetServer target(Opts(absl::Milliseconds(20)));
  REQUIRE(target.Start().ok());
  const Scenario s = Load(R"(name: delay
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 50/s}]
)", absl::StrCat("http://", target.address()));
  auto merged = RunOn(engine, s, 1);
  const Histogram h = merged->Responses(kAllRequests);
  CHECK(h.count() == 50);
  CHECK(h.min_us() >= 20'000);
  CHECK(h.Quantile(0.5) < 30'000);  // honest margin for a busy machine
}

TEST_CASE("each outcome class is recognised") {
  const HttpEngine engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  SECTION("unexpected status is an http_error") {
    TargetServer target(Opts(absl::ZeroDuration(), 503));
    REQUIRE(target.Start().ok());
    auto merged = RunOn(engine, Load(R"(name: s
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 20/s}]
)", absl::StrCat("http://", target.address())), 1);
    CHECK(merged->Count(Outcome::kHttpError) == 20);
    using Reasons = std::vector<std::pair<std::string, uint64_t>>;
    CHECK(merged->ErrorReasons(0) == Reasons{{"http: 503", 20}});
    CHECK(merged->Statuses(0) == std::map<uint32_t, uint64_t>{{503, 20}});
  }
  SECTION("expect overrides the default success statuses") {
    TargetServer target(Opts());
    REQUIRE(target.Start().ok());
    auto merged = RunOn(engine, Load(R"(name: s
target: TARGET
requests: [{name: a, path: /, expect: {status: [201]}}]
stages: [{duration: 1s, rate: 20/s}]
)", absl::StrCat("http://", target.address())), 1);
    CHECK(merged->Count(Outcome::kHttpError) == 20);
  }
  SECTION("a slow server is a timeout") {
    TargetServer target(Opts(absl::Milliseconds(400)));
    REQUIRE(target.Start().ok());
    auto merged = RunOn(engine, Load(R"(name: s
target: TARGET
requests: [{name: a, path: /, timeout: 100ms}]
stages: [{duration: 1s, rate: 10/s}]
)", absl::StrCat("http://", target.address())), 1);
    CHECK(merged->Count(Outcome::kTimeout) == 10);
    CHECK(merged->ErrorReasons(0).at(0) == std::make_pair(std::string("timeout"), uint64_t{10}));
    CHECK(merged->Responses(0).count() == 0);  // latency: successful requests only
    const Histogram h = merged->ErrorResponses(0);
    CHECK(h.min_us() >= 100'000);
    CHECK(h.max_us() < 400'000);
  }
  SECTION("a closed port is a connect_error") {
    const int port = FreeLoopbackPort();
    auto merged = RunOn(engine, Load(R"(name: s
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 20/s}]
)", absl::StrCat("http://127.0.0.1:", port)), 1);
    CHECK(merged->Count(Outcome::kConnectError) == 20);
    CHECK(merged->ErrorReasons(kAllRequests).at(0) ==
          std::make_pair(std::string("connect: refused"), uint64_t{20}));
  }
}

TEST_CASE("an immediate stop counts the abandoned requests: totals match the target") {
  const HttpEngine engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  TargetServer target(Opts(absl::Seconds(3)));
  REQUIRE(target.Start().ok());
  const Scenario scenario = Load(R"(name: s
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 10s, rate: 20/s}]
)", absl::StrCat("http://", target.address()));
  AgentRunConfig config;
  config.run_id = "r-test";
  config.agent_id = "a1";
  config.scenario = scenario;
  config.workers = 2;
  config.http.engine = engine;
  RunMerger merger("r-test", scenario);
  std::mutex mu;
  absl::StatusOr<std::unique_ptr<RunExecutor>> ex =
      RunExecutor::Create(config, SystemClock(), HttpClients(config));
  REQUIRE(ex.ok());
  (*ex)->Start(SystemClock().NowNs(), [&](const v1::StatsReport& r) {
    std::lock_guard<std::mutex> lock(mu);
    REQUIRE(merger.Apply(r).ok());
  });
  // About 30 requests out, none answered yet (the target waits 3 s; this
  // sleep only needs to stay well below that), then stop at once.
  absl::SleepFor(absl::Milliseconds(1500));
  (*ex)->Stop(true);
  (*ex)->Wait();
  const uint64_t aborted = merger.Count(Outcome::kAborted);
  CHECK(aborted >= 20);
  CHECK(merger.Errors(kAllRequests) == 0);      // aborted is not an error
  CHECK(merger.Responses(kAllRequests).count() == 0);  // nor a latency
  // Every request sent reached the target (loopback, connected before the
  // stop or not at all): the counts reconcile exactly, and so do the
  // bytes. A request still connecting counts aborted with 0 bytes sent and
  // never reaches the target, so compare those with bytes sent only.
  // The target reads what is in its sockets a moment later: await that.
  for (int i = 0; i < 200 && target.Stats().bytes_received < merger.BytesSent(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  const TargetStats seen = target.Stats();
  CHECK(merger.BytesSent() == seen.bytes_received);
  CHECK(merger.Find(0, Outcome::kAborted)->bytes_sent == seen.bytes_received);
  CHECK(merger.Requests(kAllRequests) == aborted);
  CHECK(seen.requests == 0);  // the target counts responses: it sent none
}

TEST_CASE("agents' shares against one target add up to the plan") {
  TargetServer target(Opts());
  REQUIRE(target.Start().ok());
  const Scenario s = Load(R"(name: split
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 0/s, to: 300/s}]
)", absl::StrCat("http://", target.address()));
  uint64_t total = 0;
  for (int64_t slot = 0; slot < 3; ++slot) {
    total += Run(s, 1, 1000, {slot}, 3)->Requests(kAllRequests);
  }
  CHECK(total == 150);
  CHECK(target.Stats().requests == 150);
}

TEST_CASE("closed-model VUs against barrage target") {
  TargetServer target(Opts(absl::Milliseconds(10)));
  REQUIRE(target.Start().ok());
  const Scenario s = Load(R"(name: vus
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 2s, vus: 4, think: 40ms}]
)", absl::StrCat("http://", target.address()));
  auto merged = Run(s, 2);
  // 4 VUs cycling about every 50 ms for 2 s: about 160 requests.
  const uint64_t n = merged->Requests(kAllRequests);
  CHECK(n >= 100);
  CHECK(n <= 164);
  CHECK(target.Stats().requests == n);
  CHECK(target.Stats().connections <= 8);
}

TEST_CASE("exact counts against nginx over HTTP/1.1") {
  const HttpEngine engine = GENERATE(HttpEngine::kAuto, HttpEngine::kCurl);
  NginxFixture nginx;
  StartOrSkip(nginx);
  auto merged = RunOn(engine, Load(kOpen, nginx.url()));
  CHECK(merged->Count(Outcome::kOk) == 400);
  CHECK(nginx.AwaitAccessLogLines("HTTP/1.1", 400) == 400);
}

constexpr char kH2[] = R"(name: h2
target: TARGET
defaults: {http: "2"}
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 300/s}]
)";

TEST_CASE("HTTP/2 over https multiplexes on few connections, verified") {
  NginxFixture nginx;
  StartOrSkip(nginx, NginxFixture::Mode::kTls);
  // The native driver keeps the connections the scenario asks for (its
  // default would be ceil(1000 in flight / 100 streams) = 10).
  auto merged = Run(Load(R"(name: h2
target: TARGET
defaults: {http: {version: "2", connections: 2}}
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 300/s}]
)", nginx.url()), 1, 1000, {0}, 1, nginx.ca_file());
  CHECK(merged->Count(Outcome::kOk) == 300);
  CHECK(nginx.AwaitAccessLogLines("HTTP/2.0", 300) == 300);
  CHECK(merged->agents().at("a1").connections_opened <= 2);
  CHECK(merged->agents().at("a1").http_client == "native-h2");
}

TEST_CASE("https verification rejects a certificate it cannot trust") {
  NginxFixture nginx;
  StartOrSkip(nginx, NginxFixture::Mode::kTls);
  auto merged = Run(Load(R"(name: tls
target: TARGET
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 20/s}]
)", nginx.url()), 1);  // no CA given: the system store does not know it
  CHECK(merged->Count(Outcome::kConnectError) == 20);
  CHECK(merged->ErrorReasons(0) ==
        std::vector<std::pair<std::string, uint64_t>>{{"tls: unknown CA", 20}});
  CHECK(nginx.AccessLogLines() == 0);
}

TEST_CASE("HTTP/2 with prior knowledge (h2c) gets every request right") {
  NginxFixture nginx;
  StartOrSkip(nginx, NginxFixture::Mode::kH2c);
  auto merged = Run(Load(kH2, nginx.url()), 1);
  CHECK(merged->Count(Outcome::kOk) == 300);
  CHECK(nginx.AwaitAccessLogLines("HTTP/2.0", 300) == 300);
}

}  // namespace
}  // namespace barrage
