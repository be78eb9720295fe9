// Copyright 2026 The Barrage Authors.
//
// barrage-controller: wiring only. Flags -> ControllerServer -> wait for
// SIGINT/SIGTERM -> shut down.

#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/util/flags.h"
#include "common/util/version.h"
#include "controller/server/controller_server.h"
#include "controller/report/result_store.h"

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// The flags' values; DefineFlags binds them.
struct Flags {
  std::string grpc;
  std::string http;
  std::string data;
  std::string token_file;
  bool insecure = false;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  int64_t metrics_grace_s = 0;
  int64_t max_data_bytes = 0;
  bool version = false;
};

void DefineFlags(barrage::FlagSet& flags, Flags& f) {
  flags.String("grpc", &f.grpc, "127.0.0.1:7400", "HOST:PORT",
               "gRPC listen address (agents and CLI)");
  flags.String("http", &f.http, "127.0.0.1:9400", "HOST:PORT",
               "HTTP listen address (/metrics, /healthz, /readyz); empty: none");
  flags.String("data", &f.data, "", "DIR", "directory for run results (default: none kept)");
  flags.String("token-file", &f.token_file, "", "FILE", "file holding the CLI's bearer token");
  flags.Bool("insecure", &f.insecure, "allow plaintext gRPC on a non-loopback address");
  flags.String("tls-cert", &f.tls_cert, "", "FILE", "PEM certificate of this controller (TLS)");
  flags.String("tls-key", &f.tls_key, "", "FILE", "PEM private key of this controller (TLS)");
  flags.String("tls-ca", &f.tls_ca, "", "FILE", "PEM CA that signs agent certificates (mTLS)");
  flags.Int("metrics-grace", &f.metrics_grace_s, 60, 0, 1'000'000'000, "S",
            "seconds a finished run's series stay on /metrics");
  flags.Int("max-data-bytes", &f.max_data_bytes, barrage::kDefaultMaxDataBytes, 1,
            int64_t{1} << 40, "N",
            "the largest data file (scenario data:) a run may upload, in bytes (256 MiB)");
  flags.Bool("version", &f.version, "print the version and exit");
}

}  // namespace

int main(int argc, char** argv) {
  barrage::FlagSet flags("barrage-controller --grpc HOST:PORT --http HOST:PORT --data DIR [flags]");
  Flags f;
  DefineFlags(flags, f);
  if (std::optional<int> code = barrage::ParseMainFlags(flags, "barrage-controller", f.version,
                                                        argc, argv, std::cout, std::cerr)) {
    return *code;
  }
  barrage::ControllerOptions options;
  if (absl::Status s =
          barrage::ReadFlagFiles({{"--tls-cert", &f.tls_cert, &options.tls_cert_pem},
                                  {"--tls-key", &f.tls_key, &options.tls_key_pem},
                                  {"--tls-ca", &f.tls_ca, &options.tls_ca_pem},
                                  {"--token-file", &f.token_file, &options.token, true}});
      !s.ok()) {
    std::cerr << "barrage-controller: " << s.message() << "\n";
    return barrage::kExitUsage;
  }
  options.metrics_grace_ns = f.metrics_grace_s * 1'000'000'000;
  options.max_data_bytes = f.max_data_bytes;
  options.grpc_address = f.grpc;
  options.http_address = f.http;
  options.data_dir = f.data;
  options.coordinator.data_dir = options.data_dir;
  options.insecure = f.insecure;
  std::unique_ptr<barrage::ResultStore> store;
  if (!options.data_dir.empty()) {
    int interrupted = 0;
    absl::StatusOr<std::unique_ptr<barrage::ResultStore>> opened =
        barrage::ResultStore::Open(options.data_dir, &interrupted);
    if (!opened.ok()) {
      std::cerr << "barrage-controller: " << opened.status().message() << "\n";
      return barrage::kExitUsage;
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
    return absl::IsInvalidArgument(s) || absl::IsFailedPrecondition(s)
               ? barrage::kExitUsage
               : barrage::kExitCannotStart;
  }
  std::cout << "barrage-controller listening: grpc " << server.grpc_address()
            << (server.http_address().empty() ? "" : ", http " + server.http_address())
            << std::endl;
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  while (!g_stop.load()) absl::SleepFor(absl::Milliseconds(100));
  server.Shutdown();
  return barrage::kExitPassed;
}
