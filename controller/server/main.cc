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
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/util/flag_names.h"
#include "controller/server/controller_server.h"
#include "controller/report/result_store.h"

ABSL_FLAG(std::string, grpc, "127.0.0.1:7400", "gRPC listen address (agents and CLI)");
ABSL_FLAG(std::string, http, "127.0.0.1:9400", "HTTP listen address (/healthz, /readyz)");
ABSL_FLAG(std::string, data, "", "directory for run results");
ABSL_FLAG(std::string, token_file, "", "file holding the CLI's bearer token");
ABSL_FLAG(bool, insecure, false, "allow plaintext gRPC on a non-loopback address");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate of this controller (TLS)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of this controller (TLS)");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA that signs agent certificates (mTLS)");
ABSL_FLAG(int, metrics_grace, 60, "seconds a finished run's series stay on /metrics");

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "barrage-controller --grpc 127.0.0.1:7400 --http 127.0.0.1:9400 --data DIR");
  std::vector<std::string> normalized = barrage::NormalizeFlagNames(argc, argv);
  std::vector<char*> args;
  for (std::string& a : normalized) args.push_back(a.data());
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  barrage::ControllerOptions options;
  auto read_file = [](const std::string& flag, const std::string& path, std::string& out) {
    if (path.empty()) return true;
    absl::StatusOr<std::string> text = barrage::ReadNonEmptyFile(path, /*strip_whitespace=*/false);
    if (!text.ok()) {
      std::cerr << "barrage-controller: " << flag << " " << text.status().message() << "\n";
      return false;
    }
    out = std::move(*text);
    return true;
  };
  if (!read_file("--tls-cert", absl::GetFlag(FLAGS_tls_cert), options.tls_cert_pem) ||
      !read_file("--tls-key", absl::GetFlag(FLAGS_tls_key), options.tls_key_pem) ||
      !read_file("--tls-ca", absl::GetFlag(FLAGS_tls_ca), options.tls_ca_pem)) {
    return 2;
  }
  options.metrics_grace_ns = int64_t{absl::GetFlag(FLAGS_metrics_grace)} * 1'000'000'000;
  options.grpc_address = absl::GetFlag(FLAGS_grpc);
  options.http_address = absl::GetFlag(FLAGS_http);
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.coordinator.data_dir = options.data_dir;
  options.insecure = absl::GetFlag(FLAGS_insecure);
  if (const std::string f = absl::GetFlag(FLAGS_token_file); !f.empty()) {
    absl::StatusOr<std::string> token = barrage::ReadNonEmptyFile(f, /*strip_whitespace=*/true);
    if (!token.ok()) {
      std::cerr << "barrage-controller: --token-file " << token.status().message() << "\n";
      return barrage::kExitUsage;
    }
    options.token = std::move(*token);
  }
  std::unique_ptr<barrage::ResultStore> store;
  if (!options.data_dir.empty()) {
    int interrupted = 0;
    absl::StatusOr<std::unique_ptr<barrage::ResultStore>> opened =
        barrage::ResultStore::Open(options.data_dir, &interrupted);
    if (!opened.ok()) {
      std::cerr << "barrage-controller: " << opened.status().message() << "\n";
      return 2;
    }
    store = std::move(*opened);
    options.coordinator.store = store.get();
    if (interrupted > 0) {
      std::cout << "barrage-controller: " << interrupted
                << " run(s) were interrupted by the last shutdown; their last checkpoint is kept"
                << std::endl;
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
