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
// and are not counted.) And a flow (a captured token, checks, cookies, a
// templated header and body) runs in simulated time against a scripted
// client that allocates nothing itself: once warm, the worker's flow path
// allocates nothing at all. This binary replaces the global operator new,
// so it holds these tests only.

#include <algorithm>
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
#include "tests/support/fake_clock.h"
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
  uint64_t connections_before = 0;
  size_t peak_before = 0;  // the most requests in flight before the window, and in it
  size_t peak = 0;
  bool measured = false;
  while (!worker.Finished(now())) {
    const int64_t t = now();
    peak = std::max(peak, client.in_flight());
    if (before == 0) peak_before = peak;
    if (before == 0 && t >= 1'200'000'000) {
      served_before = served();
      connections_before = client.connections_opened();
      before = allocations.load();
    }
    if (before != 0 && t >= 2'800'000'000) {
      const uint64_t allocated = allocations.load() - before;
      const uint64_t served_in_window = served() - served_before;
      const uint64_t connections = client.connections_opened() - connections_before;
      const uint64_t grown = peak - peak_before;
      INFO(allocated << " allocations while " << served_in_window << " requests were served, "
                     << connections << " connections opened and the peak in flight grew by "
                     << grown);
      // Whatever the machine's load, most of the window's 3,200 requests.
      CHECK(served_in_window >= 1000);
      // Growth is not per-request work: on a starved machine late arrivals
      // catch up together, and each new high in flight costs the driver a
      // connection (or an easy handle) and the target a few allocations;
      // beyond those, at most one allocation per 50 requests.
      CHECK(allocated <= served_in_window / 50 + 8 * (connections + grown));
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

// Completes every request 2 ms after its start with a scripted response
// per template, from preallocated storage; copies StartWith's parts into
// reused buffers, as real clients do.
class ScriptedClient final : public HttpClient {
 public:
  explicit ScriptedClient(testing::FakeClock& clock) : clock_(clock) {
    pending_.reserve(1024);
    done_.reserve(1024);
    path_.reserve(256);
    headers_.reserve(1024);
    body_.reserve(256);
  }
  void Start(size_t tpl, uint64_t token) override {
    pending_.push_back({clock_.NowNs() + 2'000'000, tpl, token});
  }
  void StartWith(size_t tpl, const RequestParts& parts, uint64_t token) override {
    ++rendered_;
    if (tpl != 1) {  // keep the cart step's parts
      Start(tpl, token);
      return;
    }
    path_.assign(parts.path.data(), parts.path.size());
    headers_.clear();
    for (const HeaderView& h : parts.headers) {
      headers_.append(h.name.data(), h.name.size());
      headers_.append(": ");
      headers_.append(h.value.data(), h.value.size());
      headers_.append("\n");
    }
    body_.assign(parts.body.data(), parts.body.size());
    Start(tpl, token);
  }
  void Poll(int64_t, absl::FunctionRef<void(const HttpResult&)> on_done) override {
    const int64_t now = clock_.NowNs();
    done_.clear();
    size_t kept = 0;
    for (const Pending& p : pending_) {
      if (p.done_ns <= now) {
        done_.push_back(p);
      } else {
        pending_[kept++] = p;
      }
    }
    pending_.resize(kept);
    for (const Pending& p : done_) {
      HttpResult r;
      r.token = p.token;
      r.outcome = Outcome::kOk;
      r.status = 200;
      r.bytes_sent = 100;
      r.bytes_received = 200;
      if (p.tpl == 0) {
        r.response_headers = absl::MakeConstSpan(kLoginHeaders);
        r.response_body = R"({"token": "tok-\u0041bc", "user": {"id": 42, "tags": ["a"]}})";
      } else {
        r.response_headers = absl::MakeConstSpan(kCartHeaders);
        r.response_body = R"({"items": [{"id": 1}], "ok": true})";
      }
      on_done(r);
    }
  }
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override { Poll(0, on_done); }
  void Wakeup() override {}
  const char* name() const override { return "scripted"; }
  size_t in_flight() const override { return pending_.size(); }
  uint64_t connections_opened() const override { return 1; }
  int64_t NextCompletion() const {
    int64_t next = Worker::kNever;
    for (const Pending& p : pending_) next = std::min(next, p.done_ns);
    return next;
  }

  std::string path_;
  std::string headers_;
  std::string body_;
  uint64_t rendered_ = 0;

 private:
  struct Pending {
    int64_t done_ns;
    size_t tpl;
    uint64_t token;
  };
  static constexpr HeaderView kLoginHeaders[] = {
      {"Content-Type", "application/json"}, {"Set-Cookie", "sid=s1; Path=/; HttpOnly"}};
  static constexpr HeaderView kCartHeaders[] = {{"set-cookie", "sid=s2"},
                                                {"X-Cart", "yes"}};
  testing::FakeClock& clock_;
  std::vector<Pending> pending_;
  std::vector<Pending> done_;
};

Scenario FlowScenario() {
  Scenario s;
  s.name = "alloc-flow";
  s.target.url = "http://127.0.0.1:1";
  s.target.scheme = "http";
  s.target.host = "127.0.0.1";
  s.target.port = 1;
  FlowSpec f;
  f.name = "shop";
  f.cookies = true;
  FlowStep login;
  login.step = "login";
  login.request.name = "shop.login";
  login.request.method = "POST";
  login.request.path = "/login";
  login.request.body = R"({"user": "u"})";
  login.request.timeout = absl::Seconds(5);
  Capture token;
  token.var = "token";
  token.kind = Capture::Kind::kJson;
  token.expr = "$.token";
  Capture id;
  id.var = "id";
  id.kind = Capture::Kind::kJson;
  id.expr = "$.user.id";
  login.captures = {token, id};
  FlowStep cart;
  cart.step = "cart";
  cart.request = login.request;
  cart.request.name = "shop.cart";
  cart.request.path = "/cart/${id}";
  cart.request.headers = {{"Authorization", "Bearer ${token}"}, {"Accept", "*/*"}};
  cart.request.body = R"({"token": "${token}", "qty": 1})";
  Check items;
  items.kind = Check::Kind::kJsonExists;
  items.name = "json $.items exists";
  items.path = "$.items";
  Check header;
  header.kind = Check::Kind::kHeader;
  header.name = "header X-Cart";
  header.path = "x-cart";
  header.value = "yes";
  cart.checks = {items, header};
  f.steps = {login, cart};
  s.flows.push_back(f);
  Stage st;
  st.kind = Stage::Kind::kRate;
  st.rate_from = st.rate_to = Rational::FromInt(2000);
  st.duration = absl::Seconds(3);
  s.stages.push_back(st);
  return s;
}

TEST_CASE("a worker's steady flow path allocates nothing") {
  testing::FakeClock clock;
  ScriptedClient client(clock);
  WorkerConfig config;
  config.scenario = FlowScenario();
  config.max_in_flight = 200;
  Worker worker(config, client);
  REQUIRE(worker.status().ok());
  auto on_done = [&](const HttpResult& r) { worker.OnResult(r, clock.NowNs()); };
  uint64_t before = 0;
  uint64_t rendered_before = 0;
  bool measured = false;
  while (true) {
    const int64_t t = clock.NowNs();
    if (before == 0 && t >= 1'200'000'000) {
      before = allocations.load();
      rendered_before = client.rendered_;
    }
    if (before != 0 && t >= 2'800'000'000) {
      const uint64_t allocated = allocations.load() - before;
      const uint64_t rendered = client.rendered_ - rendered_before;
      INFO(allocated << " allocations while " << rendered << " flow steps were rendered");
      CHECK(rendered >= 3000);
      CHECK(allocated == 0);
      measured = true;
      break;
    }
    const int64_t next = std::min(worker.Step(t), client.NextCompletion());
    if (next == Worker::kNever) break;
    clock.Set(next);
    client.Poll(0, on_done);
  }
  CHECK(measured);
  CHECK(client.path_ == "/cart/42");
  CHECK(client.headers_ == "Authorization: Bearer tok-Abc\nAccept: */*\nCookie: sid=s1\n");
  CHECK(client.body_ == R"({"token": "tok-Abc", "qty": 1})");
  const IntervalStats& current = worker.current();
  CHECK(current.Find(1, Outcome::kCheckFailed) == nullptr);
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
