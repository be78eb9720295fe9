// Copyright 2026 The Barrage Authors.
//
// H2ScriptedServer: an HTTP/2 (h2c, prior knowledge) server on a free
// loopback port, built on nghttp2's server session, that does on purpose
// what a client must survive: GOAWAY in the middle of a burst, RST_STREAM,
// lowering SETTINGS_MAX_CONCURRENT_STREAMS mid-connection, large bodies
// both ways under flow control. It records every request's header block
// and body size, connections, and the most streams one connection had open
// at once. One thread polls every socket; for tests only.
//
// Paths: "/reset" is answered with RST_STREAM(REFUSED_STREAM); "/big" with
// a 1 MiB body; "/echo" with the request body's size in decimal; anything
// else with "ok". Every answer waits `Options::delay` after the request
// ends, so a burst keeps streams open together.
#ifndef BARRAGE_TESTS_SUPPORT_H2_SCRIPTED_SERVER_H_
#define BARRAGE_TESTS_SUPPORT_H2_SCRIPTED_SERVER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace barrage::testing {

class H2ScriptedServer {
 public:
  struct Options {
    uint32_t max_concurrent_streams = 100;  // in the server's first SETTINGS
    // When a connection's first request arrives, SETTINGS lowering
    // MAX_CONCURRENT_STREAMS to this goes out before its answer (0: never).
    uint32_t lower_to = 0;
    // Once this many requests have arrived on the first connection, GOAWAY
    // with the last of them as last_stream_id; streams above it are never
    // answered and the connection closes once the rest are (0: never).
    int goaway_after = 0;
    absl::Duration delay = absl::Milliseconds(5);
  };
  using Headers = std::vector<std::pair<std::string, std::string>>;

  explicit H2ScriptedServer(Options options) : options_(options) {}
  ~H2ScriptedServer();
  H2ScriptedServer(const H2ScriptedServer&) = delete;
  H2ScriptedServer& operator=(const H2ScriptedServer&) = delete;

  absl::Status Start();
  void Stop();

  std::string url() const;  // http://127.0.0.1:PORT
  int connections() const { return connections_.load(); }
  int requests() const;     // request streams that reached their end
  int answered() const;     // requests answered (ok, big, echo)
  std::vector<Headers> request_headers() const;  // in arrival order
  std::vector<size_t> request_body_sizes() const;
  // The most streams any connection had open at once, counted from the
  // moment the client acknowledged the lowered setting (lower_to), or from
  // the start.
  size_t max_open_streams() const;

 private:
  struct Conn;
  struct Stream;
  friend struct H2ServerCallbacks;

  void Loop();
  void Record(Headers headers, size_t body);

  const Options options_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<Headers> headers_ ABSL_GUARDED_BY(mu_);
  std::vector<size_t> bodies_ ABSL_GUARDED_BY(mu_);
  int answered_ ABSL_GUARDED_BY(mu_) = 0;
  size_t max_open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_H2_SCRIPTED_SERVER_H_
