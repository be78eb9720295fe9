// Copyright 2026 The Barrage Authors.
//
// The CLI's side of the RunControl service: `barrage run --controller`,
// `agents`, `status` and `stop`, and `run --local N`, which starts an
// embedded controller and N agent daemons on loopback and then runs exactly
// as against a remote controller.
#ifndef BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
#define BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "agent/http_client.h"
#include "common/scenario.h"

namespace barrage {

struct RemoteOptions {
  std::string controller = "127.0.0.1:7400";
  std::string token;          // bearer token; "" = none
  std::string tls_ca_pem;     // TLS to the controller: the CA to verify it
  bool insecure = false;      // allow plaintext to a non-loopback controller
  std::string json_out;       // --out json=FILE
  bool quiet = false;
  const std::atomic<int>* interrupt = nullptr;  // Ctrl-C count
};

// Runs `scenario` on the controller; returns the run's exit code.
int RunRemote(const Scenario& scenario, const std::string& file,
              const RemoteOptions& options, std::ostream& out, std::ostream& err);

struct LocalOptions {
  int agents = 1;
  int workers_per_agent = 0;  // 0: cores / agents, at least 1
  bool insecure_targets = false;
  HttpEngine http_engine = HttpEngine::kAuto;
};

// Embedded controller + `local.agents` agents on loopback, then RunRemote.
int RunLocal(const Scenario& scenario, const std::string& file,
             const LocalOptions& local, RemoteOptions options,
             std::ostream& out, std::ostream& err);

int RunAgents(const RemoteOptions& options, std::ostream& out, std::ostream& err);
int RunStatus(const RemoteOptions& options, std::ostream& out, std::ostream& err);
int RunStop(const RemoteOptions& options, const std::string& run_id,
            bool immediate, std::ostream& out, std::ostream& err);
int RunRuns(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// Prints a stored run's result JSON.
int ShowReport(const RemoteOptions& options, const std::string& run_id,
               std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
