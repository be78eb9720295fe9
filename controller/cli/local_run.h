// Copyright 2026 The Barrage Authors.
//
// `barrage run --local N`: an embedded controller and N agent daemons on
// loopback (real gRPC), then the run exactly as against a remote controller.
// The one place where the controller's side of the tree links the agent.
#ifndef BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
#define BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_

#include <ostream>
#include <string>

#include "agent/engine/run_executor.h"
#include "common/scenario/scenario.h"
#include "controller/cli/remote_run.h"

namespace barrage {

struct LocalOptions {
  int agents = 1;
  int workers_per_agent = 0;  // 0: cores / agents, at least 1
  HttpEngine http_engine = HttpEngine::kAuto;
  // Each agent's --max-in-flight; 0: the process's open-file limit (raised
  // to its hard limit) less a reserve, shared by the agents.
  int64_t max_in_flight_per_agent = 0;
};

// Starts the embedded controller and `local.agents` agents, then RunRemote
// against it; returns the run's exit code.
int RunLocal(const Scenario& scenario, const std::string& file,
             const LocalOptions& local, RemoteOptions options,
             std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
