// Copyright 2026 The Barrage Authors.
//
// An agent that speaks TLS to the controller (trusting its CA) but presents
// no client certificate is refused, and told why.

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/daemon/agent_daemon.h"
#include "agent/daemon/grpc_control_stream.h"
#include "controller/server/controller_server.h"

namespace barrage {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("a TLS agent without a client certificate is refused") {
  char dir[] = "/tmp/barrage-pki-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string pki = dir;
  const std::string make = absl::StrCat("bash ", BARRAGE_SOURCE_DIR,
                                        "/deploy/certs/make-certs.sh ", pki, " >/dev/null 2>&1");
  if (std::system(make.c_str()) != 0) SKIP("openssl cannot make certificates");
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  c.tls_cert_pem = Read(pki + "/controller.pem");
  c.tls_key_pem = Read(pki + "/controller-key.pem");
  c.tls_ca_pem = Read(pki + "/ca.pem");
  ControllerServer controller(c);
  REQUIRE(controller.Start().ok());

  AgentDaemonOptions a;
  a.controller = controller.grpc_target();
  a.id = "nocert";
  a.tls_ca_pem = c.tls_ca_pem;  // trusts the controller, has no certificate
  a.backoff_initial_ms = 50;
  std::mutex mu;
  std::string log;
  a.log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(mu);
    log += line + "\n";
  };
  AgentDaemon agent(a, GrpcDialerFor(a), SystemClock());
  std::thread t([&] { agent.Run(); });
  bool told = false;
  for (int i = 0; i < 100 && !told; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    std::lock_guard<std::mutex> lock(mu);
    told = log.find("certificate") != std::string::npos;
  }
  CHECK(told);
  CHECK(controller.registry().size() == 0);
  CHECK_FALSE(agent.connected());
  agent.Shutdown();
  t.join();
  controller.Shutdown();
  std::system(absl::StrCat("rm -rf ", pki).c_str());
}

}  // namespace
}  // namespace barrage
