// Copyright 2026 The Barrage Authors.
//
// ScriptedServer: a raw HTTP/1.1 server on a free loopback port whose every
// reply the test writes byte for byte, to try a client on what real servers
// seldom do: bodies cut into pieces, closes at any point, garbage, silence.
// It records the bytes of every request it reads (head and Content-Length
// body) and counts connections. A thread per connection; for tests only.
// StartTls() serves the same over TLS (blocking OpenSSL, any ALPN).
#ifndef BARRAGE_TESTS_SUPPORT_SCRIPTED_SERVER_H_
#define BARRAGE_TESTS_SUPPORT_SCRIPTED_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct ssl_ctx_st;

namespace barrage::testing {

class ScriptedServer {
 public:
  struct Reply {
    std::vector<std::string> pieces;   // written in order, `gap` apart
    absl::Duration delay;              // before the first piece
    absl::Duration gap = absl::Milliseconds(5);
    bool close = false;                // close the connection afterwards
  };
  // Called with the request's index over the server's life (from 0).
  using Script = std::function<Reply(int request)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {}
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  absl::Status Start();
  // Over TLS with this certificate and key (PEM files).
  absl::Status StartTls(const std::string& cert_file, const std::string& key_file);
  void Stop();

  int port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:PORT, https:// with TLS
  std::vector<std::string> requests() const;
  int connections() const { return connections_.load(); }
  int closed() const { return closed_.load(); }  // connections the server ended

 private:
  void Accept();
  void Serve(int fd);

  const Script script_;
  ssl_ctx_st* tls_ = nullptr;  // set before Start's threads; null: cleartext
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> closed_{0};
  std::thread acceptor_;
  mutable absl::Mutex mu_;
  std::vector<std::string> requests_ ABSL_GUARDED_BY(mu_);
  std::vector<int> fds_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> servers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_SCRIPTED_SERVER_H_
