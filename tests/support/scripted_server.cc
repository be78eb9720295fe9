// Copyright 2026 The Barrage Authors.

#include "tests/support/scripted_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace barrage::testing {
namespace {

// The length of the first whole request in `buffer`, or 0.
size_t RequestLength(const std::string& buffer) {
  const size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  size_t body = 0;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(buffer).substr(0, head_end), "\r\n")) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    if (absl::EqualsIgnoreCase(line.substr(0, colon), "content-length")) {
      (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(colon + 1)), &body);
    }
  }
  const size_t total = head_end + 4 + body;
  return buffer.size() >= total ? total : 0;
}

}  // namespace

ScriptedServer::~ScriptedServer() {
  Stop();
  SSL_CTX_free(tls_);
}

std::string ScriptedServer::url() const {
  return absl::StrCat(tls_ != nullptr ? "https" : "http", "://127.0.0.1:", port_);
}

absl::Status ScriptedServer::StartTls(const std::string& cert_file,
                                      const std::string& key_file) {
  signal(SIGPIPE, SIG_IGN);  // SSL_write to a closed client
  tls_ = SSL_CTX_new(TLS_server_method());
  if (tls_ == nullptr ||
      SSL_CTX_use_certificate_chain_file(tls_, cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(tls_, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return absl::InternalError("scripted server: cannot load the TLS certificate");
  }
  return Start();
}

absl::Status ScriptedServer::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 128) != 0) {
    return absl::InternalError(absl::StrCat("scripted server: ", std::strerror(errno)));
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
  return absl::OkStatus();
}

void ScriptedServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  std::vector<std::thread> servers;
  {
    absl::MutexLock lock(&mu_);
    for (int fd : fds_) shutdown(fd, SHUT_RDWR);  // ends blocked reads
    servers.swap(servers_);
  }
  for (std::thread& t : servers) t.join();
}

std::vector<std::string> ScriptedServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void ScriptedServer::Accept() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    absl::MutexLock lock(&mu_);
    fds_.push_back(fd);
    servers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void ScriptedServer::Serve(int fd) {
  std::string buffer;
  char chunk[4096];
  bool open = true;
  SSL* ssl = nullptr;
  if (tls_ != nullptr) {
    ssl = SSL_new(tls_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) open = false;
  }
  auto read_some = [&]() -> ssize_t {
    if (ssl == nullptr) return read(fd, chunk, sizeof chunk);
    const int n = SSL_read(ssl, chunk, sizeof chunk);
    return n > 0 ? n : -1;
  };
  auto write_all = [&](const std::string& piece) {
    if (ssl == nullptr) {
      (void)!send(fd, piece.data(), piece.size(), MSG_NOSIGNAL);
    } else if (!piece.empty()) {
      (void)SSL_write(ssl, piece.data(), static_cast<int>(piece.size()));
    }
  };
  while (open && !stopping_.load()) {
    const ssize_t n = read_some();
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    while (open) {
      const size_t length = RequestLength(buffer);
      if (length == 0) break;
      int index;
      {
        absl::MutexLock lock(&mu_);
        index = static_cast<int>(requests_.size());
        requests_.push_back(buffer.substr(0, length));
      }
      buffer.erase(0, length);
      const Reply reply = script_(index);
      absl::SleepFor(reply.delay);
      for (size_t i = 0; i < reply.pieces.size(); ++i) {
        if (i > 0) absl::SleepFor(reply.gap);
        write_all(reply.pieces[i]);
      }
      if (reply.close) open = false;
    }
  }
  SSL_free(ssl);
  absl::MutexLock lock(&mu_);
  for (int& f : fds_) {
    if (f == fd) f = -1;
  }
  close(fd);
  if (!open) ++closed_;
}

}  // namespace barrage::testing
