// Copyright 2026 The Barrage Authors.
//
// barrage-controller: wiring only. Flags -> ControllerServer -> wait for
// SIGINT/SIGTERM -> shut down.

#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "controller/controller_server.h"

ABSL_FLAG(std::string, grpc, "127.0.0.1:7400", "gRPC listen address (agents and CLI)");
ABSL_FLAG(std::string, http, "127.0.0.1:9400", "HTTP listen address (/healthz, /readyz)");
ABSL_FLAG(std::string, data, "", "directory for run results");
ABSL_FLAG(std::string, token_file, "", "file holding the CLI's bearer token");
ABSL_FLAG(bool, insecure, false, "allow plaintext gRPC on a non-loopback address");
ABSL_FLAG(std::string, tls_cert, "", "TLS certificate (mTLS; not yet supported)");
ABSL_FLAG(std::string, tls_key, "", "TLS key (mTLS; not yet supported)");
ABSL_FLAG(std::string, tls_ca, "", "TLS CA (mTLS; not yet supported)");

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "barrage-controller --grpc 127.0.0.1:7400 --http 127.0.0.1:9400 --data DIR");
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_tls_cert).empty() || !absl::GetFlag(FLAGS_tls_key).empty() ||
      !absl::GetFlag(FLAGS_tls_ca).empty()) {
    std::cerr << "barrage-controller: mTLS (--tls-*) is not supported yet\n";
    return 2;
  }
  barrage::ControllerOptions options;
  options.grpc_address = absl::GetFlag(FLAGS_grpc);
  options.http_address = absl::GetFlag(FLAGS_http);
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.coordinator.data_dir = options.data_dir;
  options.insecure = absl::GetFlag(FLAGS_insecure);
  if (const std::string f = absl::GetFlag(FLAGS_token_file); !f.empty()) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    options.token = std::string(absl::StripAsciiWhitespace(text.str()));
    if (!in || options.token.empty()) {
      std::cerr << "barrage-controller: --token-file " << f << ": cannot read a token\n";
      return 2;
    }
  }
  barrage::ControllerServer server(options);
  if (absl::Status s = server.Start(); !s.ok()) {
    std::cerr << "barrage-controller: " << s.message() << "\n";
    return absl::IsInvalidArgument(s) || absl::IsFailedPrecondition(s) ? 2 : 3;
  }
  std::cout << "barrage-controller listening: grpc 127.0.0.1:" << server.grpc_port()
            << (server.http_port() > 0 ? ", http port " + std::to_string(server.http_port()) : "")
            << std::endl;
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  while (!g_stop.load()) absl::SleepFor(absl::Milliseconds(100));
  server.Shutdown();
  return 0;
}
