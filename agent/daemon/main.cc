// Copyright 2026 The Barrage Authors.
//
// barrage-agent: wiring only. Flags -> AgentDaemon (+ /healthz) -> run
// until SIGINT/SIGTERM.

#include <signal.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "agent/daemon/agent_daemon.h"
#include "agent/daemon/grpc_control_stream.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/util/flag_names.h"
#include "common/util/host_port.h"

ABSL_FLAG(std::string, controller, "127.0.0.1:7400", "controller gRPC address");
ABSL_FLAG(std::string, id, "", "agent id (default: host name)");
ABSL_FLAG(std::string, http, "127.0.0.1:9401", "HTTP listen address (/healthz); empty: none");
ABSL_FLAG(int, workers, 0, "worker threads (default: cores)");
ABSL_FLAG(int, capacity, 0, "relative load weight (default: workers)");
ABSL_FLAG(std::string, max_rate, "", "cap on this agent's share, like 500/s");
ABSL_FLAG(bool, insecure_targets, false, "https targets without certificate checks");
ABSL_FLAG(std::string, http_engine, "auto",
          "auto: native HTTP/1.1 for http:// targets, libcurl otherwise; curl: libcurl always");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate of this agent (CN = --id)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of this agent");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA that signed the controller's certificate");
ABSL_FLAG(bool, insecure, false, "allow plaintext to a non-loopback controller");

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  // --allow-target may repeat: collect it before absl sees the flags.
  std::vector<std::string> normalized = barrage::NormalizeFlagNames(argc, argv);
  std::vector<std::string> allow;
  std::vector<char*> rest;
  for (size_t i = 0; i < normalized.size(); ++i) {
    absl::string_view a = normalized[i];
    if (absl::ConsumePrefix(&a, "--allow_target")) {
      if (absl::ConsumePrefix(&a, "=")) {
        allow.emplace_back(a);
      } else if (a.empty() && i + 1 < normalized.size()) {
        allow.emplace_back(normalized[++i]);
      } else {
        std::cerr << "barrage-agent: --allow-target needs a pattern\n";
        return 2;
      }
      continue;
    }
    rest.push_back(normalized[i].data());
  }
  absl::SetProgramUsageMessage(
      "barrage-agent --controller 127.0.0.1:7400 --id NAME [--allow-target PATTERN]...");
  int rest_argc = static_cast<int>(rest.size());
  absl::ParseCommandLine(rest_argc, rest.data());
  barrage::AgentDaemonOptions options;
  for (auto [flag, path, out] :
       {std::tuple{"--tls-cert", absl::GetFlag(FLAGS_tls_cert), &options.tls_cert_pem},
        std::tuple{"--tls-key", absl::GetFlag(FLAGS_tls_key), &options.tls_key_pem},
        std::tuple{"--tls-ca", absl::GetFlag(FLAGS_tls_ca), &options.tls_ca_pem}}) {
    if (path.empty()) continue;
    absl::StatusOr<std::string> text = barrage::ReadNonEmptyFile(path, /*strip_whitespace=*/false);
    if (!text.ok()) {
      std::cerr << "barrage-agent: " << flag << " " << text.status().message() << "\n";
      return barrage::kExitUsage;
    }
    *out = std::move(*text);
  }
  const bool tls = !options.tls_ca_pem.empty();
  if (tls && (options.tls_cert_pem.empty() || options.tls_key_pem.empty())) {
    std::cerr << "barrage-agent: TLS needs --tls-ca, --tls-cert and --tls-key\n";
    return 2;
  }
  options.controller = absl::GetFlag(FLAGS_controller);
  {
    const std::string& c = options.controller;
    if (!tls && !barrage::IsLoopbackAddress(c) && !absl::GetFlag(FLAGS_insecure)) {
      std::cerr << "barrage-agent: refusing plaintext to non-loopback " << c
                << ": give --tls-ca/--tls-cert/--tls-key, or --insecure\n";
      return 2;
    }
  }
  options.id = absl::GetFlag(FLAGS_id);
  if (options.id.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options.id = host;
  }
  options.workers = absl::GetFlag(FLAGS_workers);
  options.capacity = absl::GetFlag(FLAGS_capacity);
  options.allow_targets = allow;
  options.insecure_targets = absl::GetFlag(FLAGS_insecure_targets);
  if (const std::string e = absl::GetFlag(FLAGS_http_engine);
      !barrage::ParseHttpEngine(e, &options.http_engine)) {
    std::cerr << "barrage-agent: --http-engine: '" << e << "' is not auto or curl\n";
    return 2;
  }
  if (std::string r = absl::GetFlag(FLAGS_max_rate); !r.empty()) {
    absl::string_view v = r;
    double n = 0;
    if (!absl::ConsumeSuffix(&v, "/s") || !absl::SimpleAtod(v, &n) || n <= 0) {
      std::cerr << "barrage-agent: --max-rate: '" << r << "' is not like 500/s\n";
      return 2;
    }
    options.max_rate_per_s = n;
  }
  options.log = [](const std::string& line) {
    std::cerr << "barrage-agent: " << line << std::endl;
  };
  barrage::AgentDaemon daemon(options, barrage::GrpcDialerFor(options), barrage::SystemClock());
  httplib::Server http;
  std::thread http_thread;
  if (const std::string addr = absl::GetFlag(FLAGS_http); !addr.empty()) {
    absl::StatusOr<barrage::HostPort> listen = barrage::ParseHostPort(addr);
    if (!listen.ok()) {
      std::cerr << "barrage-agent: --http: " << listen.status().message() << "\n";
      return barrage::kExitUsage;
    }
    http.Get("/metrics", [&daemon](const httplib::Request&, httplib::Response& res) {
      res.set_content(barrage::RenderAgentMetrics(daemon.metrics()),
                      "text/plain; version=0.0.4; charset=utf-8");
    });
    http.Get("/healthz", [&daemon](const httplib::Request&, httplib::Response& res) {
      res.set_content(daemon.connected() ? "ok: connected\n" : "ok: connecting\n", "text/plain");
    });
    if (!http.bind_to_port(listen->host, listen->port)) {
      std::cerr << "barrage-agent: cannot listen on " << addr << "\n";
      return 3;
    }
    http_thread = std::thread([&http] { http.listen_after_bind(); });
  }
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  std::thread stopper([&daemon] {
    while (!g_stop.load()) absl::SleepFor(absl::Milliseconds(100));
    daemon.Shutdown();
  });
  std::cout << "barrage-agent " << options.id << " dialing " << options.controller << std::endl;
  daemon.Run();
  g_stop.store(true);
  stopper.join();
  http.stop();
  if (http_thread.joinable()) http_thread.join();
  return 0;
}
