// Copyright 2026 The Barrage Authors.

#include "tests/support/nginx_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace barrage::testing {
namespace {

bool CanConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

NginxFixture::~NginxFixture() { Stop(); }

std::string NginxFixture::url() const {
  return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", port_);
}

absl::Status NginxFixture::StartTls(const TlsFiles& files) {
  files_ = files;
  return Start(Mode::kTls);
}

std::vector<std::string> NginxFixture::AccessLog() const {
  std::ifstream in(dir_ + "/logs/access.log");
  std::vector<std::string> lines;
  std::string line;
  // Without the last field, the connection's number (DistinctConnections).
  while (std::getline(in, line)) lines.push_back(line.substr(0, line.rfind(' ')));
  return lines;
}

absl::Status NginxFixture::Start(Mode mode) {
  const char* binary = "/usr/sbin/nginx";
  if (access(binary, X_OK) != 0) {
    return absl::FailedPreconditionError("nginx is not installed");
  }
  char tmpl[] = "/tmp/barrage-nginx-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  dir_ = tmpl;
  std::filesystem::create_directories(dir_ + "/logs");
  port_ = FreeLoopbackPort();
  tls_ = mode == Mode::kTls;
  const bool own_cert = tls_ && !files_.cert.empty();
  if (tls_ && !own_cert) {
    const std::string cmd = absl::StrCat(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1",
        " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout ", dir_,
        "/key.pem -out ", dir_, "/cert.pem >/dev/null 2>&1");
    if (std::system(cmd.c_str()) != 0) {
      return absl::FailedPreconditionError("openssl cannot make a certificate");
    }
  }
  const char* listen_opts = mode == Mode::kH2c ? " http2"
                            : own_cert           ? (files_.http2 ? " ssl http2" : " ssl")
                            : tls_               ? " ssl http2"
                                                 : "";
  const std::string cert = own_cert ? files_.cert : dir_ + "/cert.pem";
  const std::string key = own_cert ? files_.key : dir_ + "/key.pem";
  std::string tls_conf;
  if (tls_) {
    tls_conf = absl::StrCat("    ssl_certificate ", cert, ";\n    ssl_certificate_key ", key,
                            ";\n    ssl_session_cache shared:tls:1m;\n");
    if (!files_.protocols.empty()) {
      absl::StrAppend(&tls_conf, "    ssl_protocols ", files_.protocols, ";\n");
    }
    if (!files_.client_ca.empty()) {
      absl::StrAppend(&tls_conf, "    ssl_client_certificate ", files_.client_ca,
                      ";\n    ssl_verify_client on;\n");
    }
  }
  {
    std::ofstream conf(dir_ + "/nginx.conf");
    conf << "worker_processes 1;\n"
         << "error_log " << dir_ << "/logs/error.log warn;\n"
         << "pid " << dir_ << "/nginx.pid;\n"
         << (geteuid() == 0 ? "user root;\n" : "")
         << "events { worker_connections 4096; }\n"
         << "http {\n"
         << "  log_format proto '$server_protocol $status $ssl_session_reused $connection';\n"
         << "  access_log " << dir_ << "/logs/access.log proto;\n"
         << "  client_body_temp_path " << dir_ << "/body;\n"
         << "  keepalive_requests 1000000;\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << port_ << listen_opts << ";\n"
         << tls_conf
         << "    location / { return 200 \"ok\\n\"; }\n"
         << "    location /slow { return 200 \"ok\\n\"; }\n"
         << "  }\n"
         << "}\n";
  }
  pid_ = fork();
  if (pid_ == 0) {
    execl(binary, "nginx", "-p", dir_.c_str(), "-c",
          (dir_ + "/nginx.conf").c_str(), "-g", "daemon off;", nullptr);
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!CanConnect(port_)) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError("nginx exited at start; see " + dir_ + "/logs/error.log");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return absl::DeadlineExceededError("nginx did not start listening");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::OkStatus();
}

void NginxFixture::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

int NginxFixture::DistinctConnections() const {
  std::ifstream in(dir_ + "/logs/access.log");
  std::string line;
  std::set<std::string> seen;
  while (std::getline(in, line)) seen.insert(line.substr(line.rfind(' ') + 1));
  return static_cast<int>(seen.size());
}

int NginxFixture::AccessLogLines(const std::string& protocol) const {
  std::ifstream in(dir_ + "/logs/access.log");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (protocol.empty() || line.rfind(protocol + " ", 0) == 0) ++n;
  }
  return n;
}

int NginxFixture::AwaitAccessLogLines(const std::string& protocol, int want) const {
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  int n = AccessLogLines(protocol);
  while (n < want && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
    n = AccessLogLines(protocol);
  }
  return n;
}

}  // namespace barrage::testing
