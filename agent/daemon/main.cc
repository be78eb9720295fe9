// Copyright 2026 The Barrage Authors.
//
// barrage-agent: wiring only. Flags -> AgentDaemon (+ /healthz) -> run
// until SIGINT (stop at once) or SIGTERM (a graceful leave: a run's share is
// handed back to the controller first, within kLeaveGrace).

#include <signal.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <sstream>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "agent/daemon/agent_daemon.h"
#include "agent/daemon/grpc_control_stream.h"
#include "common/scenario/fields.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/util/flags.h"
#include "common/util/host_port.h"
#include "common/util/listen.h"
#include "common/util/version.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
void OnSignal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

// How long a SIGTERM'd agent may take to leave its run (Kubernetes gives a
// pod 30 s by default).
constexpr absl::Duration kLeaveGrace = absl::Seconds(5);

// The flags' values; DefineFlags binds them.
struct Flags {
  std::string controller;
  std::string id;
  std::string http;
  int64_t workers = 0;
  int64_t capacity = 0;
  std::vector<std::string> allow_targets;
  std::string max_rate;
  bool insecure_targets = false;
  bool require_tls_verify = false;
  std::vector<std::string> labels;
  std::string http_engine;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  bool insecure = false;
  bool version = false;
};

void DefineFlags(barrage::FlagSet& flags, Flags& f) {
  flags.String("controller", &f.controller, "127.0.0.1:7400", "HOST:PORT",
               "controller gRPC address");
  flags.String("id", &f.id, "", "NAME", "agent id (default: the host name)");
  flags.String("http", &f.http, "127.0.0.1:9401", "HOST:PORT",
               "HTTP listen address (/metrics, /healthz); empty: none");
  flags.Int("workers", &f.workers, 0, 0, 10'000, "N", "worker threads; 0: one per core");
  flags.Int("capacity", &f.capacity, 0, 0, 1'000'000, "W",
            "relative load weight; 0: the number of workers");
  flags.Repeated("allow-target", &f.allow_targets, "PATTERN",
                 "allow only targets matching this host glob or CIDR (none: any)");
  flags.String("max-rate", &f.max_rate, "", "N/s", "cap on this agent's share, like 500/s");
  flags.Bool("insecure-targets", &f.insecure_targets,
             "deprecated: the scenario's defaults.tls.verify decides; refuses runs that verify");
  flags.Bool("require-tls-verify", &f.require_tls_verify,
             "refuse runs whose scenario turns TLS verification off");
  flags.Repeated("label", &f.labels, "KEY=VALUE",
                 "a label for the scenario's agents.select (like zone=a)");
  flags.String("http-engine", &f.http_engine, "auto", "auto|curl",
               "auto: native HTTP/1.1 for http:// and https://, libcurl for HTTP/2; curl: libcurl");
  flags.String("tls-cert", &f.tls_cert, "", "FILE", "PEM certificate of this agent (CN = --id)");
  flags.String("tls-key", &f.tls_key, "", "FILE", "PEM private key of this agent");
  flags.String("tls-ca", &f.tls_ca, "", "FILE",
               "PEM CA that signed the controller's certificate (turns on TLS)");
  flags.Bool("insecure", &f.insecure, "allow plaintext to a non-loopback controller");
  flags.Bool("version", &f.version, "print the version and exit");
}

}  // namespace

int main(int argc, char** argv) {
  barrage::FlagSet flags(
      "barrage-agent --controller HOST:PORT --id NAME [--allow-target PATTERN]... [flags]");
  Flags f;
  DefineFlags(flags, f);
  if (std::optional<int> code =
          barrage::ParseMainFlags(flags, "barrage-agent", f.version, argc, argv, std::cout, std::cerr)) {
    return *code;
  }
  barrage::AgentDaemonOptions options;
  if (absl::Status s = barrage::ReadFlagFiles({{"--tls-cert", &f.tls_cert, &options.tls_cert_pem},
                                                 {"--tls-key", &f.tls_key, &options.tls_key_pem},
                                                 {"--tls-ca", &f.tls_ca, &options.tls_ca_pem}});
      !s.ok()) {
    std::cerr << "barrage-agent: " << s.message() << "\n";
    return barrage::kExitUsage;
  }
  const bool tls = !options.tls_ca_pem.empty();
  if (tls && (options.tls_cert_pem.empty() || options.tls_key_pem.empty())) {
    std::cerr << "barrage-agent: TLS needs --tls-ca, --tls-cert and --tls-key\n";
    return barrage::kExitUsage;
  }
  options.controller = f.controller;
  {
    const std::string& c = options.controller;
    if (!tls && !barrage::IsLoopbackAddress(c) && !f.insecure) {
      std::cerr << "barrage-agent: refusing plaintext to non-loopback " << c
                << ": give --tls-ca/--tls-cert/--tls-key, or --insecure\n";
      return barrage::kExitUsage;
    }
  }
  options.id = f.id;
  if (options.id.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options.id = host;
  }
  options.workers = static_cast<int>(f.workers);
  options.capacity = static_cast<int>(f.capacity);
  options.allow_targets = f.allow_targets;
  options.insecure_targets = f.insecure_targets;
  if (f.insecure_targets) {
    std::cerr << "barrage-agent: --insecure-targets is deprecated: the scenario's "
                 "defaults.tls.verify decides (this agent refuses runs that verify)\n";
  }
  if (f.insecure_targets && f.require_tls_verify) {
    std::cerr << "barrage-agent: --insecure-targets and --require-tls-verify disagree\n";
    return barrage::kExitUsage;
  }
  options.require_tls_verify = f.require_tls_verify;
  for (const std::string& label : f.labels) {
    const size_t eq = label.find('=');
    const std::string key = label.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : label.substr(eq + 1);
    if (eq == std::string::npos || !barrage::IsValidRequestName(key) ||
        !barrage::IsValidRequestName(value) || !options.labels.emplace(key, value).second) {
      std::cerr << "barrage-agent: --label: '" << label
                << "' is not KEY=VALUE (1-64 of A-Z a-z 0-9 _ . - each, each key once)\n";
      return barrage::kExitUsage;
    }
  }
  if (absl::StatusOr<barrage::HttpEngine> engine = barrage::ParseHttpEngine(f.http_engine);
      engine.ok()) {
    options.http_engine = *engine;
  } else {
    std::cerr << "barrage-agent: --http-engine: " << engine.status().message() << "\n";
    return barrage::kExitUsage;
  }
  if (const std::string& r = f.max_rate; !r.empty()) {
    absl::string_view v = r;
    double n = 0;
    if (!absl::ConsumeSuffix(&v, "/s") || !absl::SimpleAtod(v, &n) || n <= 0) {
      std::cerr << "barrage-agent: --max-rate: '" << r << "' is not like 500/s\n";
      return barrage::kExitUsage;
    }
    options.max_rate_per_s = n;
  }
  options.log = [](const std::string& line) {
    std::cerr << "barrage-agent: " << line << std::endl;
  };
  barrage::AgentDaemon daemon(options, barrage::GrpcDialerFor(options), barrage::SystemClock());
  httplib::Server http;
  std::thread http_thread;
  if (const std::string& addr = f.http; !addr.empty()) {
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
    http.set_socket_options(barrage::SetListenSocketOptions);  // not httplib's SO_REUSEPORT
    if (!http.bind_to_port(listen->host, listen->port)) {
      // httplib does not say why; a probe of the same address does.
      const absl::Status why = barrage::ProbeListen(listen->host, listen->port);
      std::cerr << "barrage-agent: --http: "
                << (why.ok() ? "cannot listen on " + addr : std::string(why.message())) << "\n";
      return absl::IsFailedPrecondition(why) ? barrage::kExitUsage : barrage::kExitCannotStart;
    }
    http_thread = std::thread([&http] { http.listen_after_bind(); });
  }
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  std::thread stopper([&daemon] {
    while (!g_stop.load()) absl::SleepFor(absl::Milliseconds(100));
    if (g_signal.load() == SIGTERM) {
      daemon.Leave(kLeaveGrace);
    } else {
      daemon.Shutdown();
    }
  });
  std::cout << "barrage-agent " << options.id << " dialing " << options.controller << std::endl;
  const absl::Status refused = daemon.Serve();
  if (!refused.ok()) {
    std::cerr << "barrage-agent: " << refused.message() << "; exiting\n";
  }
  g_stop.store(true);
  stopper.join();
  http.stop();
  if (http_thread.joinable()) http_thread.join();
  // A permanent refusal is bad usage: retrying with these flags cannot help.
  return refused.ok() ? barrage::kExitPassed : barrage::kExitUsage;
}
