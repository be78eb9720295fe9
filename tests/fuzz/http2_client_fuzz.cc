// Copyright 2026 The Barrage Authors.
//
// libFuzzer: any bytes as what an HTTP/2 server sends to the native h2c
// client (frames, or garbage), over a real loopback socket. nghttp2 frames
// them and the driver's callbacks read statuses, resets and GOAWAYs. Must
// never crash, and every Start() must come back exactly once (after the
// server closes, or from CancelAll when a retry waits on a fresh connection
// that nobody serves).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "agent/http/http2_driver.h"

namespace {

int Listener(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0) {
    __builtin_trap();
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

void Drain(int fd) {
  char buf[4096];
  while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int port = 0;
  static const int listener = Listener(&port);
  using barrage::HttpRequestTemplate;
  std::vector<HttpRequestTemplate> templates(2);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  templates[0].method = "GET";
  templates[0].url = base + "/";
  templates[1].method = "POST";
  templates[1].url = base + "/post";
  templates[1].body = "abc";
  for (auto& t : templates) t.timeout = absl::Seconds(5);
  barrage::HttpClientOptions options;
  options.http = barrage::HttpVersion::kHttp2;
  options.max_in_flight = 8;
  options.h2_connections = 1;
  options.h2_max_streams = 4;
  auto driver = barrage::Http2Driver::Create(templates, options, barrage::SystemClock());
  if (!driver.ok()) __builtin_trap();
  barrage::Http2Driver& client = **driver;
  constexpr uint64_t kRequests = 6;
  std::vector<int> seen(kRequests, 0);
  auto on_done = [&seen](const barrage::HttpResult& r) {
    if (r.token >= seen.size()) __builtin_trap();
    ++seen[r.token];
  };
  for (uint64_t i = 0; i < kRequests; ++i) client.Start(i % 2, i);
  client.Poll(0, on_done);  // connects and sends the preface
  const int server = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (server < 0) __builtin_trap();
  size_t written = 0;
  while (written < size) {
    const ssize_t n = send(server, data + written, size - written, MSG_NOSIGNAL);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  shutdown(server, SHUT_WR);
  for (int quiet = 0; client.in_flight() > 0 && quiet < 5;) {
    const size_t before = client.in_flight();
    client.Poll(1'000'000, on_done);
    Drain(server);
    quiet = client.in_flight() == before ? quiet + 1 : 0;
  }
  client.CancelAll(on_done);
  for (int n : seen) {
    if (n != 1) __builtin_trap();
  }
  close(server);
  // Connections a retry opened, never served.
  pollfd p{listener, POLLIN, 0};
  while (poll(&p, 1, 0) > 0) {
    const int extra = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (extra < 0) break;
    close(extra);
  }
  return 0;
}
