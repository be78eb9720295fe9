// Copyright 2026 The Barrage Authors.
//
// `barrage run --local N`: an embedded controller and N agent daemons on
// loopback (real gRPC), then the run exactly as against a remote controller.
// The one place where the controller's side of the tree links the agent.
#ifndef BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
#define BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_

#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

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

class AgentDaemon;
class ControllerServer;

// The embedded controller and agents of `--local N`, up from Start() until
// destroyed, so that several runs (barrage capacity's steps) share them.
// Owns the controller, the agents and the agents' threads; not copyable.
// Its methods may be called from one thread at a time.
class LocalFleet {
 public:
  // Errors name what failed: "--local N: ..." (the in-flight budget does
  // not fit the open-file limit), "embedded controller: ...".
  static absl::StatusOr<std::unique_ptr<LocalFleet>> Start(const LocalOptions& local);
  ~LocalFleet();  // shuts the agents down, then the controller
  LocalFleet(const LocalFleet&) = delete;
  LocalFleet& operator=(const LocalFleet&) = delete;

  // The embedded controller's gRPC address, for RemoteOptions::controller.
  std::string controller_target() const;
  // `scenario` for this fleet: agents.min is the local agents (the plan
  // needs each), waited for up to 10 s.
  Scenario ForFleet(const Scenario& scenario) const;

 private:
  explicit LocalFleet(int agents);

  const int agent_count_;
  std::unique_ptr<ControllerServer> controller_;
  std::vector<std::unique_ptr<AgentDaemon>> agents_;
  std::vector<std::thread> threads_;
};

// Starts the embedded controller and `local.agents` agents, then RunRemote
// against it; returns the run's exit code.
int RunLocal(const Scenario& scenario, const std::string& file,
             const LocalOptions& local, RemoteOptions options,
             std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
