// Copyright 2026 The Barrage Authors.
//
// The controller's grpc.health.v1 service on its real gRPC port, and
// `barrage health` against it: SERVING once Start returns, NOT_SERVING to a
// watcher when it shuts down, no answer (exit 3) once it is gone; TLS with
// --tls-ca.

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/util/exit_codes.h"
#include "controller/cli/commands.h"
#include "controller/cli/health_check.h"
#include "controller/server/controller_server.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Cli(std::vector<std::string> args) {
  args.insert(args.begin(), {"barrage", "health"});
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ControllerOptions Loopback() {
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  return c;
}

TEST_CASE("barrage health exits 0 on a ready controller and 3 once it is gone") {
  auto controller = std::make_unique<ControllerServer>(Loopback());
  REQUIRE(controller->Start().ok());
  const std::string address = controller->grpc_target();

  Result r = Cli({address});
  CHECK(r.code == kExitPassed);
  CHECK(r.out == address + ": SERVING\n");
  CHECK(r.err.empty());
  for (const char* service : {"barrage.v1.RunControl", "barrage.v1.AgentControl"}) {
    CHECK(Cli({address, "--service", service}).code == kExitPassed);
  }
  r = Cli({address, "--service", "no.such.Service"});
  CHECK(r.code == 1);
  CHECK(r.out == address + ": SERVICE_UNKNOWN\n");

  controller->Shutdown();
  controller.reset();
  r = Cli({address, "--timeout", "1s"});
  CHECK(r.code == kExitCannotStart);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, ContainsSubstring("barrage health: cannot reach " + address));
}

TEST_CASE("a watcher sees SERVING, then NOT_SERVING when the controller shuts down") {
  ControllerServer controller(Loopback());
  REQUIRE(controller.Start().ok());
  std::unique_ptr<Health::Stub> stub = Health::NewStub(
      grpc::CreateChannel(controller.grpc_target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> watch =
      stub->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  REQUIRE(watch->Read(&response));
  CHECK(response.status() == HealthCheckResponse::SERVING);

  std::thread shutdown([&] { controller.Shutdown(); });
  REQUIRE(watch->Read(&response));
  CHECK(response.status() == HealthCheckResponse::NOT_SERVING);
  shutdown.join();
  context.TryCancel();
  while (watch->Read(&response)) {
  }
  watch->Finish();
}

TEST_CASE("barrage health speaks TLS to a TLS controller with --tls-ca") {
  char dir[] = "/tmp/barrage-health-pki-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string pki = dir;
  const std::string make = absl::StrCat("bash ", BARRAGE_SOURCE_DIR,
                                        "/deploy/certs/make-certs.sh ", pki, " >/dev/null 2>&1");
  if (std::system(make.c_str()) != 0) SKIP("openssl cannot make certificates");
  ControllerOptions c = Loopback();
  c.tls_cert_pem = Read(pki + "/controller.pem");
  c.tls_key_pem = Read(pki + "/controller-key.pem");
  c.tls_ca_pem = Read(pki + "/ca.pem");
  c.token = "s3cret";
  ControllerServer controller(c);
  REQUIRE(controller.Start().ok());
  const std::string address = controller.grpc_target();

  // The health service needs no token (Kubernetes' probes send none).
  Result r = Cli({address, "--tls-ca", pki + "/ca.pem"});
  CHECK(r.code == kExitPassed);
  CHECK(r.out == address + ": SERVING\n");
  // Plaintext to a TLS port: the handshake fails; no answer.
  r = Cli({address, "--timeout", "1s"});
  CHECK(r.code == kExitCannotStart);
  CHECK_THAT(r.err, ContainsSubstring("barrage health: "));
  controller.Shutdown();
  std::system(absl::StrCat("rm -rf ", pki).c_str());
}

}  // namespace
}  // namespace barrage
