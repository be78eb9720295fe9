// Copyright 2026 The Barrage Authors.

#include "controller/cli/local_run.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/daemon/agent_daemon.h"
#include "common/metrics/process_stats.h"
#include "agent/daemon/grpc_control_stream.h"
#include "agent/daemon/in_flight_limit.h"
#include "common/util/exit_codes.h"
#include "controller/server/controller_server.h"

namespace barrage {

int RunLocal(const Scenario& scenario, const std::string& file,
             const LocalOptions& local, RemoteOptions options, std::ostream& out,
             std::ostream& err) {
  // The agents share this process's descriptors: each holds its part.
  absl::StatusOr<int64_t> max_in_flight =
      ResolveMaxInFlight(local.max_in_flight_per_agent, RaiseFdLimit(), local.agents);
  if (!max_in_flight.ok()) {
    err << "barrage run: --local " << local.agents << ": " << max_in_flight.status().message()
        << "\n";
    return kExitCannotStart;
  }
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  c.coordinator.start_delay_ns = 200'000'000;
  ControllerServer controller(c);
  if (absl::Status s = controller.Start(); !s.ok()) {
    err << "barrage run: embedded controller: " << s.message() << "\n";
    return kExitCannotStart;
  }
  const int cores = CpuCores();
  std::vector<std::unique_ptr<AgentDaemon>> agents;
  std::vector<std::thread> threads;
  for (int i = 0; i < local.agents; ++i) {
    AgentDaemonOptions a;
    a.controller = controller.grpc_target();
    a.id = absl::StrCat("local-", i + 1);
    a.workers = local.workers_per_agent > 0 ? local.workers_per_agent
                                            : std::max(1, cores / local.agents);
    a.capacity = 1;
    a.max_in_flight = static_cast<size_t>(*max_in_flight);
    a.http_engine = local.http_engine;
    a.backoff_initial_ms = 20;
    agents.push_back(std::make_unique<AgentDaemon>(a, GrpcDialerFor(a), controller.clock()));
    threads.emplace_back([d = agents.back().get()] { d->Run(); });
  }
  // The plan needs every local agent; wait for them briefly. A scenario
  // asking for more agents than --local gives is run on what it gives, and
  // says so.
  if (scenario.agents.min > local.agents) {
    err << "note: --local " << local.agents << " overrides agents.min "
        << scenario.agents.min << "\n";
  }
  Scenario s = scenario;
  s.agents.min = local.agents;
  s.agents.wait = absl::Seconds(10);
  options.controller = controller.grpc_target();
  const int code = RunRemote(s, file, options, out, err);
  for (auto& a : agents) a->Shutdown();
  for (auto& t : threads) t.join();
  controller.Shutdown();
  return code;
}

}  // namespace barrage
