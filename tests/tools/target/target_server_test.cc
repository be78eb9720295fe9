// Copyright 2026 The Barrage Authors.
//
// TargetServer over real loopback sockets on port 0. Every wait is bounded
// and polls a condition; nothing sleeps a fixed time.

#include "tools/target/target_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "controller/cli/commands.h"

namespace barrage {
namespace {

// Every operator new in this test binary, counted (see the replacement at the
// end of the file); only the allocation test reads it.
std::atomic<uint64_t> allocations{0};

using Catch::Matchers::ContainsSubstring;

constexpr char kGet[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
constexpr char kMetricsGet[] =
    "GET /__barrage/metrics HTTP/1.1\r\nHost: t\r\n\r\n";

struct Response {
  int status = 0;  // 0: no response (EOF, timeout or garbage)
  std::string head;
  std::string body;
  bool Has(absl::string_view header_line) const {
    return absl::StrContains(head, absl::StrCat("\r\n", header_line, "\r\n"));
  }
};

// A blocking loopback client reading responses with a deadline.
class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) ==
            0);
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void Send(absl::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may have closed on us: fine
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads one response. HEAD responses have no body: pass head_request.
  Response Read(bool head_request = false,
                absl::Duration timeout = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + timeout;
    Response r;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return r;
    }
    r.head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (!absl::StartsWith(r.head, "HTTP/1.1 ") ||
        !absl::SimpleAtoi(r.head.substr(9, 3), &r.status)) {
      r.status = 0;
      return r;
    }
    size_t length = 0;
    const size_t at = r.head.find("\r\nContent-Length: ");
    if (at != std::string::npos && !head_request) {
      const size_t eol = r.head.find("\r\n", at + 2);
      REQUIRE(absl::SimpleAtoi(r.head.substr(at + 18, eol - at - 18), &length));
    }
    while (buffer_.size() < length) {
      if (!Fill(deadline)) {
        r.status = 0;
        return r;
      }
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) with no
  // further bytes before the deadline.
  bool ClosedByServer(absl::Duration timeout = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (Fill(deadline)) {
    }
    return buffer_.empty() && eof_;
  }

  int fd() const { return fd_; }

  // Closes with RST instead of FIN.
  void Reset() {
    linger l{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd_);
    fd_ = -1;
  }
  void Close() {
    close(fd_);
    fd_ = -1;
  }

 private:
  bool Fill(absl::Time deadline) {
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    pollfd p{fd_, POLLIN, 0};
    if (ms <= 0 || poll(&p, 1, static_cast<int>(ms)) <= 0) return false;
    char chunk[16384];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

std::unique_ptr<TargetServer> StartServer(TargetServer::Options options) {
  options.host = "127.0.0.1";
  options.port = 0;
  auto server = std::make_unique<TargetServer>(std::move(options));
  const absl::Status status = server->Start();
  INFO(status.ToString());
  REQUIRE(status.ok());
  REQUIRE(server->port() > 0);
  return server;
}

bool Eventually(const std::function<bool()>& condition,
                absl::Duration timeout = absl::Seconds(5)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

// The value of the sample whose name (with labels) is `series`, or -1.
int64_t Sample(const std::string& page, absl::string_view series) {
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (absl::ConsumePrefix(&line, series) && absl::ConsumePrefix(&line, " ")) {
      int64_t value;
      if (absl::SimpleAtoi(line, &value)) return value;
    }
  }
  return -1;
}

TEST_CASE("target answers many keep-alive requests on one connection") {
  auto server = StartServer({});
  Client client(server->port());
  for (int i = 0; i < 1000; ++i) {
    client.Send(kGet);
    const Response r = client.Read();
    REQUIRE(r.status == 200);
    REQUIRE(r.body == "ok\n");
  }
  const TargetStats stats = server->Stats();
  CHECK(stats.requests == 1000);
  CHECK(stats.CountOf(200) == 1000);
  CHECK(stats.connections == 1);
}

// Receives exactly n bytes without allocating; false on EOF or error.
bool RecvExactly(int fd, size_t n) {
  char chunk[4096];
  while (n > 0) {
    const ssize_t got = recv(fd, chunk, std::min(n, sizeof(chunk)), 0);
    if (got <= 0) return false;
    n -= static_cast<size_t>(got);
  }
  return true;
}

TEST_CASE("target allocates nothing per request once a connection is warm") {
  TargetServer::Options options;
  SECTION("without delay") {}
  SECTION("with delay and jitter") {
    options.delay = absl::Microseconds(200);
    options.jitter = absl::Microseconds(100);
  }
  auto server = StartServer(options);
  Client client(server->port());
  client.Send(kGet);
  const Response first = client.Read();
  REQUIRE(first.status == 200);
  const size_t response_size = first.head.size() + 2 + first.body.size();
  constexpr int kDepth = 10;  // pipelined requests per write
  std::string burst;
  for (int i = 0; i < kDepth; ++i) burst += kGet;
  bool ok = true;
  for (int i = 0; i < 50 && ok; ++i) {  // warm up: buffers reach their size
    client.Send(burst);
    ok = RecvExactly(client.fd(), kDepth * response_size);
  }
  const uint64_t before = allocations.load();
  for (int i = 0; i < 500 && ok; ++i) {
    client.Send(burst);
    ok = RecvExactly(client.fd(), kDepth * response_size);
  }
  const uint64_t during = allocations.load() - before;
  REQUIRE(ok);
  CHECK(during == 0);
  CHECK(server->Stats().requests == 1 + 550 * kDepth);
}

TEST_CASE("target keeps pipelined responses in request order under jitter") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(5);
  options.jitter = absl::Milliseconds(5);  // delays spread over 0..10 ms
  options.seed = 42;
  auto server = StartServer(options);
  Client client(server->port());
  // Groups of three delayed requests and one undelayed metrics request: if a
  // response overtook an earlier one, a metrics page would count too many.
  constexpr int kGroups = 30;
  std::string pipeline;
  for (int g = 0; g < kGroups; ++g) {
    for (int k = 0; k < 3; ++k) pipeline += kGet;
    pipeline += kMetricsGet;
  }
  client.Send(pipeline);
  for (int g = 0; g < kGroups; ++g) {
    for (int k = 0; k < 3; ++k) {
      const Response r = client.Read();
      REQUIRE(r.status == 200);
      REQUIRE(r.body == "ok\n");
    }
    const Response metrics = client.Read();
    REQUIRE(metrics.status == 200);
    INFO("group " << g);
    REQUIRE(
        Sample(metrics.body, "barrage_target_requests_total{status=\"200\"}") ==
        3 * (g + 1));
  }
}

TEST_CASE("target delays a response by 20 ms, measured within honest margins") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(20);
  auto server = StartServer(options);
  Client client(server->port());
  for (int i = 0; i < 10; ++i) {
    const auto start = std::chrono::steady_clock::now();
    client.Send(kGet);
    const Response r = client.Read();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(r.status == 200);
    INFO(
        "elapsed us: " << std::chrono::duration_cast<std::chrono::microseconds>(
                              elapsed)
                              .count());
    CHECK(elapsed >= std::chrono::milliseconds(20));
    CHECK(elapsed < std::chrono::milliseconds(40));
  }
}

TEST_CASE("target error rate 1.0 answers every request with 500, 0.0 none") {
  TargetServer::Options options;
  int expected = 0;
  SECTION("1.0") {
    options.error_rate = 1.0;
    expected = 500;
  }
  SECTION("0.0") {
    options.error_rate = 0.0;
    expected = 200;
  }
  auto server = StartServer(options);
  Client client(server->port());
  for (int i = 0; i < 200; ++i) {
    client.Send(kGet);
    REQUIRE(client.Read().status == expected);
  }
  const TargetStats stats = server->Stats();
  CHECK(stats.CountOf(expected) == 200);
  CHECK(stats.requests == 200);
  CHECK(stats.responses_5xx == (expected == 500 ? 200u : 0u));
}

TEST_CASE("target error rate 0.5 with a fixed seed errs about half the time") {
  TargetServer::Options options;
  options.error_rate = 0.5;
  options.seed = 7;
  auto server = StartServer(options);
  Client client(server->port());
  int errors = 0;
  for (int i = 0; i < 400; ++i) {
    client.Send(kGet);
    errors += client.Read().status == 500 ? 1 : 0;
  }
  CHECK(errors > 140);  // binomial(400, 0.5): sd 10
  CHECK(errors < 260);
}

TEST_CASE("target reads and discards POST bodies across keep-alive") {
  auto server = StartServer({});
  Client client(server->port());
  // A body that looks like requests must not be parsed as requests.
  const std::string fake = "GET /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n";
  const std::string post = absl::StrCat(
      "POST /p HTTP/1.1\r\nContent-Length: ", fake.size(), "\r\n\r\n", fake);
  std::string sent;
  SECTION("in one write, pipelined with a GET") {
    sent = post + kGet;
    client.Send(sent);
  }
  SECTION("with the body split across writes") {
    sent = post + kGet;
    for (size_t i = 0; i < sent.size(); i += 7) {
      client.Send(absl::string_view(sent).substr(i, 7));
    }
  }
  SECTION("with a 1 MiB body") {
    const std::string big(1 << 20, 'x');
    sent = absl::StrCat("POST /big HTTP/1.1\r\nContent-Length: ", big.size(),
                        "\r\n\r\n", big, kGet);
    client.Send(sent);
  }
  SECTION("with Expect: 100-continue") {
    const std::string head = absl::StrCat(
        "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: ",
        fake.size(), "\r\n\r\n");
    client.Send(head);
    const Response interim = client.Read();
    REQUIRE(interim.status == 100);
    client.Send(fake);
    client.Send(kGet);
    sent = head + fake + kGet;
  }
  CHECK(client.Read().status == 200);
  CHECK(client.Read().status == 200);
  CHECK(Eventually(
      [&] { return server->Stats().bytes_received == sent.size(); }));
  client.Send(kGet);
  CHECK(client.Read().status == 200);
  CHECK(server->Stats().requests == 3);
}

TEST_CASE("target metrics page reports exact counts and is not counted") {
  TargetServer::Options options;
  options.error_rate = 0.0;
  auto server = StartServer(options);
  std::string one_response;
  {
    Client client(server->port());
    for (int i = 0; i < 7; ++i) {
      client.Send(kGet);
      const Response r = client.Read();
      REQUIRE(r.status == 200);
      one_response = r.head + "\r\n" + r.body;
    }
  }
  Client scraper(server->port());
  std::string page;
  for (int scrape = 0; scrape < 2; ++scrape) {
    scraper.Send(kMetricsGet);
    const Response r = scraper.Read();
    REQUIRE(r.status == 200);
    CHECK(r.Has("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
    page = r.body;
    CHECK(Sample(page, "barrage_target_requests_total{status=\"200\"}") == 7);
    CHECK(Sample(page, "barrage_target_requests_total{status=\"500\"}") == 0);
    CHECK(Sample(page, "barrage_target_connections_total") == 2);
  }
  // Bytes as of the second scrape: both metrics requests were read, the
  // second page not yet sent.
  const int64_t metrics_request = sizeof(kMetricsGet) - 1;
  CHECK(Sample(page, "barrage_target_received_bytes_total") ==
        7 * static_cast<int64_t>(sizeof(kGet) - 1) + 2 * metrics_request);
  const int64_t sent = Sample(page, "barrage_target_sent_bytes_total");
  CHECK(sent > 7 * static_cast<int64_t>(one_response.size()));
  CHECK_THAT(page, ContainsSubstring(
                       "# TYPE barrage_target_requests_total counter\n"));
  CHECK_THAT(page,
             ContainsSubstring("# HELP barrage_target_sent_bytes_total "));
  CHECK(server->Stats().requests == 7);
}

TEST_CASE("target answers garbage with 400 and closes, and keeps serving") {
  auto server = StartServer({});
  std::string input;
  int expected = 400;
  SECTION("binary bytes") {
    input = std::string("\x16\x03\x01\x00\xa5\x01\r\n\r\n", 10);
  }
  SECTION("no version") { input = "GET /\r\n\r\n"; }
  SECTION("HTTP/2 preface") { input = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"; }
  SECTION("space in the target") { input = "GET /a b HTTP/1.1\r\n\r\n"; }
  SECTION("header without colon") { input = "GET / HTTP/1.1\r\nHost\r\n\r\n"; }
  SECTION("space before colon") {
    input = "GET / HTTP/1.1\r\nHost : x\r\n\r\n";
  }
  SECTION("folded header") { input = "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"; }
  SECTION("control byte in a value") {
    input = "GET / HTTP/1.1\r\nA: \x01\r\n\r\n";
  }
  SECTION("negative Content-Length") {
    input = "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
  }
  SECTION("conflicting Content-Length") {
    input =
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
  }
  SECTION("Content-Length with Transfer-Encoding") {
    input =
        "POST / HTTP/1.1\r\nContent-Length: 1\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  }
  SECTION("a head over 64 KiB") {
    input = "GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a');
  }
  SECTION("a chunked body gets 411") {
    input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    expected = 411;
  }
  {
    Client client(server->port());
    client.Send(input + kGet);  // nothing after the bad request is answered
    const Response r = client.Read();
    CHECK(r.status == expected);
    CHECK(r.Has("Connection: close"));
    CHECK(client.ClosedByServer());
  }
  Client next(server->port());
  next.Send(kGet);
  CHECK(next.Read().status == 200);
}

TEST_CASE("target survives random bytes on many connections") {
  auto server = StartServer({});
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 100; ++i) {
    std::string bytes(1 + rng() % 3000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (i % 2 == 0) bytes = "GET / HTTP/1.1\r\n" + bytes;  // garbage headers
    Client client(server->port());
    client.Send(bytes + "\r\n\r\n");
    if (i % 3 == 0) client.Reset();
  }
  Client client(server->port());
  client.Send(kGet);
  CHECK(client.Read().status == 200);
}

TEST_CASE("target handles HTTP/1.0, HEAD and Connection: close") {
  auto server = StartServer({});
  SECTION("HTTP/1.0 closes after one response") {
    Client client(server->port());
    client.Send("GET / HTTP/1.0\r\n\r\n");
    const Response r = client.Read();
    CHECK(r.status == 200);
    CHECK(r.Has("Connection: close"));
    CHECK(client.ClosedByServer());
  }
  SECTION("HTTP/1.0 with keep-alive stays open") {
    Client client(server->port());
    for (int i = 0; i < 3; ++i) {
      client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      const Response r = client.Read();
      CHECK(r.status == 200);
      CHECK(r.Has("Connection: keep-alive"));
    }
  }
  SECTION("Connection: close on HTTP/1.1 is honoured") {
    Client client(server->port());
    client.Send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    client.Send(kGet);  // ignored: it came after the closing request
    const Response r = client.Read();
    CHECK(r.status == 200);
    CHECK(r.Has("Connection: close"));
    CHECK(client.ClosedByServer());
    CHECK(server->Stats().requests == 1);
  }
  SECTION("HEAD gets the headers without the body") {
    Client client(server->port());
    client.Send(std::string("HEAD / HTTP/1.1\r\n\r\n") + kGet);
    const Response head = client.Read(/*head_request=*/true);
    CHECK(head.status == 200);
    CHECK(head.Has("Content-Length: 3"));
    const Response get = client.Read();
    CHECK(get.status == 200);
    CHECK(get.body == "ok\n");
  }
}

TEST_CASE("target drops a delayed response safely when the peer leaves") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(30);
  auto server = StartServer(options);
  bool reset = false;
  SECTION("with a reset") { reset = true; }
  SECTION("with a close") { reset = false; }
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    {
      Client leaver(server->port());
      leaver.Send(kGet);
      leaver.Send(kGet);
      CHECK(Eventually([&] {
        return server->Stats().connections == static_cast<uint64_t>(2 * i + 1);
      }));
      if (reset) {
        leaver.Reset();
      } else {
        leaver.Close();
      }
    }
    // Likely reuses the leaver's fd on the server while its timers pend.
    Client stayer(server->port());
    stayer.Send(kGet);
    const Response r = stayer.Read();
    REQUIRE(r.status == 200);
    ++answered;
    stayer.Send(kGet);  // stray bytes from the old timers would break this
    REQUIRE(stayer.Read().status == 200);
    ++answered;
  }
  if (reset) {
    // Dropped responses are not counted; wait out any stale timers first.
    Client last(server->port());
    last.Send(kGet);
    REQUIRE(last.Read().status == 200);
    CHECK(server->Stats().requests == static_cast<uint64_t>(answered + 1));
  }
}

TEST_CASE("target answers a client that half-closes after its requests") {
  TargetServer::Options options;
  options.delay = absl::Milliseconds(10);
  auto server = StartServer(options);
  Client client(server->port());
  client.Send(std::string(kGet) + kGet + kGet);
  shutdown(client.fd(), SHUT_WR);
  for (int i = 0; i < 3; ++i) CHECK(client.Read().status == 200);
  CHECK(client.ClosedByServer());
}

TEST_CASE("target pauses a client that pipelines without reading") {
  auto server = StartServer({});
  Client client(server->port());
  constexpr int kRequests = 50000;  // ~1.3 MB in, ~5 MB out
  std::thread sender([&] {
    std::string all;
    for (int i = 0; i < kRequests; ++i) all += kGet;
    client.Send(all);
  });
  // Read nothing until the server has had to stop reading.
  const bool stalled = Eventually([&] {
    const uint64_t seen = server->Stats().bytes_received;
    absl::SleepFor(absl::Milliseconds(20));
    return seen > 0 && server->Stats().bytes_received == seen;
  });
  CHECK(stalled);
  CHECK(server->Stats().requests < static_cast<uint64_t>(kRequests));
  int ok = 0;
  for (int i = 0; i < kRequests; ++i) {
    if (client.Read().status != 200) break;
    ++ok;
  }
  sender.join();
  CHECK(ok == kRequests);
  CHECK(server->Stats().requests == static_cast<uint64_t>(kRequests));
}

TEST_CASE("target Stop returns promptly with responses pending") {
  TargetServer::Options options;
  options.delay = absl::Seconds(10);
  auto server = StartServer(options);
  Client client(server->port());
  client.Send(kGet);
  REQUIRE(Eventually([&] { return server->Stats().bytes_received > 0; }));
  const auto start = std::chrono::steady_clock::now();
  server->Stop();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::milliseconds(500));
  CHECK(client.ClosedByServer(absl::Seconds(1)));
  server->Stop();  // idempotent
  CHECK(server->Stats().requests == 0);
}

TEST_CASE("target with two threads serves many connections") {
  TargetServer::Options options;
  options.threads = 2;
  auto server = StartServer(options);
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      Client client(server->port());
      for (int i = 0; i < 50; ++i) {
        client.Send(kGet);
        if (client.Read().status != 200) return;
      }
    });
  }
  for (auto& t : clients) t.join();
  const TargetStats stats = server->Stats();
  CHECK(stats.requests == 400);
  CHECK(stats.connections == 8);
}

TEST_CASE("target Start names the address it cannot bind and checks options") {
  auto first = StartServer({});
  TargetServer::Options options;
  options.port = first->port();
  TargetServer second(options);
  const absl::Status busy = second.Start();
  CHECK(absl::IsFailedPrecondition(busy));
  CHECK_THAT(std::string(busy.message()),
             ContainsSubstring(absl::StrCat("127.0.0.1:", first->port(), ": address already in use")));

  options.port = 0;
  options.error_rate = 1.5;
  CHECK(absl::IsInvalidArgument(TargetServer(options).Start()));
  options.error_rate = 0;
  options.host = "example.com";
  CHECK(absl::IsInvalidArgument(TargetServer(options).Start()));
  CHECK(absl::IsFailedPrecondition(first->Start()));
}

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult Target(std::vector<std::string> args) {
  args.insert(args.begin(), {"barrage", "target"});
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

TEST_CASE("target command rejects bad flags with exit code 2") {
  CHECK_THAT(Target({"--delay", "10"}).err,
             ContainsSubstring("--delay: '10' has no unit"));
  CHECK(Target({"--delay", "10"}).code == 2);
  CHECK(Target({"--jitter", "-1ms"}).code == 2);
  CHECK(Target({"--error-rate", "150%"}).code == 2);
  CHECK(Target({"--status", "700"}).code == 2);
  CHECK(Target({"--threads", "0"}).code == 2);
  CHECK(Target({"--listen", "8080"}).code == 2);
  CHECK(Target({"--listen", "::1:8080"}).code == 2);
  CHECK(Target({"--listen", "127.0.0.1:99999"}).code == 2);
  CHECK(Target({"--listen"}).code == 2);
  CHECK(Target({"--bogus"}).code == 2);
  CHECK(Target({"extra"}).code == 2);
  CHECK(Target({"--concurrency", "-1"}).code == 2);
  CHECK(Target({"--concurrency", "100001"}).code == 2);
  const CliResult contention = Target({"--contention", "-0.1"});
  CHECK(contention.code == 2);
  CHECK_THAT(contention.err,
             ContainsSubstring("--contention: '-0.1' is not a number >= 0"));
  CHECK(Target({"--coherency", "x"}).code == 2);
  const CliResult threads = Target({"--concurrency", "2", "--threads", "2"});
  CHECK(threads.code == 2);
  CHECK_THAT(threads.err, ContainsSubstring("need threads 1"));
  auto busy = StartServer({});
  const CliResult taken = Target({"--listen", absl::StrCat("127.0.0.1:", busy->port())});
  CHECK(taken.code == 2);
  CHECK_THAT(taken.err, ContainsSubstring("address already in use"));
  const CliResult twice = Target({"--status", "200", "--status=201"});
  CHECK(twice.code == 2);
  CHECK_THAT(twice.err, ContainsSubstring("--status given twice"));
}

// A streambuf writing straight to a pipe, so the test can read the command's
// output while it runs on another thread.
class PipeBuf : public std::streambuf {
 public:
  explicit PipeBuf(int fd) : fd_(fd) {}

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      const char ch = static_cast<char>(c);
      if (write(fd_, &ch, 1) != 1) return traits_type::eof();
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return write(fd_, s, static_cast<size_t>(n));
  }

 private:
  int fd_;
};

std::string ReadLine(int fd) {
  std::string line;
  char c;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 5000) == 1 && read(fd, &c, 1) == 1 && c != '\n') {
    line += c;
  }
  return line;
}

TEST_CASE("target command serves until interrupted and prints the served count") {
  InterruptCounter().store(0);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  PipeBuf buf(fds[1]);
  std::ostream out(&buf);
  std::ostringstream err;
  int code = -1;
  std::thread command([&] {
    code = RunTarget({"--listen", "127.0.0.1:0", "--status", "201"}, out, err);
  });
  const std::string listening = ReadLine(fds[0]);
  REQUIRE_THAT(listening,
               ContainsSubstring("barrage target listening on 127.0.0.1:"));
  int port = 0;
  REQUIRE(absl::SimpleAtoi(listening.substr(listening.rfind(':') + 1), &port));
  {
    Client client(port);
    for (int i = 0; i < 3; ++i) {
      client.Send(kGet);
      CHECK(client.Read().status == 201);
    }
  }
  InterruptCounter().fetch_add(1);  // what main()'s SIGTERM handler does
  command.join();
  InterruptCounter().store(0);
  CHECK(code == 0);
  CHECK(ReadLine(fds[0]) ==
        "barrage target served 3 requests (201: 3) on 1 connection");
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace barrage

// Counting replacements of the global allocation functions (the array and
// nothrow forms call these). Not inlined, so g++ does not pair an inlined
// free() with operator new and warn (-Wmismatched-new-delete).
__attribute__((noinline)) void* operator new(std::size_t size) {
  barrage::allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept {
  std::free(p);
}
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
