// Copyright 2026 The Barrage Authors.

#include "agent/daemon/agent_flags.h"

#include "agent/daemon/in_flight_limit.h"

namespace barrage {

void DefineAgentFlags(FlagSet& flags, AgentFlags& f) {
  flags.String("controller", &f.controller, "127.0.0.1:7400", "HOST:PORT",
               "controller gRPC address");
  flags.String("id", &f.id, "", "NAME", "agent id (default: the host name)");
  flags.String("http", &f.http, "127.0.0.1:9401", "HOST:PORT",
               "HTTP listen address (/metrics, /healthz); empty: none");
  flags.Int("workers", &f.workers, 0, 0, 10'000, "N", "worker threads; 0: one per core");
  flags.Int("capacity", &f.capacity, 0, 0, 1'000'000, "W",
            "relative load weight; 0: the number of workers");
  flags.Int("max-in-flight", &f.max_in_flight, 0, 0, kMaxInFlightCeiling, "N",
            "most requests (connections) in flight at once; 0: the open-file limit "
            "(raised to its hard limit) less 64");
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
               "auto: native HTTP/1.1 and HTTP/2 for http:// and https://; curl: libcurl");
  flags.String("tls-cert", &f.tls_cert, "", "FILE", "PEM certificate of this agent (CN = --id)");
  flags.String("tls-key", &f.tls_key, "", "FILE", "PEM private key of this agent");
  flags.String("tls-ca", &f.tls_ca, "", "FILE",
               "PEM CA that signed the controller's certificate (turns on TLS)");
  flags.Bool("insecure", &f.insecure, "allow plaintext to a non-loopback controller");
  flags.Bool("version", &f.version, "print the version and exit");
}

}  // namespace barrage
