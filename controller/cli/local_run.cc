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

LocalFleet::LocalFleet(int agents) : agent_count_(agents) {}

absl::StatusOr<std::unique_ptr<LocalFleet>> LocalFleet::Start(const LocalOptions& local) {
  // The agents share this process's descriptors: each holds its part.
  absl::StatusOr<int64_t> max_in_flight =
      ResolveMaxInFlight(local.max_in_flight_per_agent, RaiseFdLimit(), local.agents);
  if (!max_in_flight.ok()) {
    return absl::Status(max_in_flight.status().code(),
                        absl::StrCat("--local ", local.agents, ": ",
                                     max_in_flight.status().message()));
  }
  ControllerOptions c;
  c.grpc_address = "127.0.0.1:0";
  c.http_address = "";
  c.coordinator.start_delay_ns = 200'000'000;
  std::unique_ptr<LocalFleet> fleet(new LocalFleet(local.agents));
  fleet->controller_ = std::make_unique<ControllerServer>(c);
  if (absl::Status s = fleet->controller_->Start(); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("embedded controller: ", s.message()));
  }
  const int cores = CpuCores();
  for (int i = 0; i < local.agents; ++i) {
    AgentDaemonOptions a;
    a.controller = fleet->controller_->grpc_target();
    a.id = absl::StrCat("local-", i + 1);
    a.workers = local.workers_per_agent > 0 ? local.workers_per_agent
                                            : std::max(1, cores / local.agents);
    a.capacity = 1;
    a.max_in_flight = static_cast<size_t>(*max_in_flight);
    a.http_engine = local.http_engine;
    a.backoff_initial_ms = 20;
    fleet->agents_.push_back(
        std::make_unique<AgentDaemon>(a, GrpcDialerFor(a), fleet->controller_->clock()));
    fleet->threads_.emplace_back([d = fleet->agents_.back().get()] { d->Run(); });
  }
  return fleet;
}

LocalFleet::~LocalFleet() {
  for (auto& a : agents_) a->Shutdown();
  for (auto& t : threads_) t.join();
  if (controller_) controller_->Shutdown();
}

std::string LocalFleet::controller_target() const { return controller_->grpc_target(); }

Scenario LocalFleet::ForFleet(const Scenario& scenario) const {
  Scenario s = scenario;
  s.agents.min = agent_count_;
  s.agents.wait = absl::Seconds(10);
  return s;
}

int RunLocal(const Scenario& scenario, const std::string& file,
             const LocalOptions& local, RemoteOptions options, std::ostream& out,
             std::ostream& err) {
  absl::StatusOr<std::unique_ptr<LocalFleet>> fleet = LocalFleet::Start(local);
  if (!fleet.ok()) {
    err << "barrage run: " << fleet.status().message() << "\n";
    return kExitCannotStart;
  }
  // The plan needs every local agent; wait for them briefly. A scenario
  // asking for more agents than --local gives is run on what it gives, and
  // says so.
  if (scenario.agents.min > local.agents) {
    err << "note: --local " << local.agents << " overrides agents.min "
        << scenario.agents.min << "\n";
  }
  options.controller = (*fleet)->controller_target();
  return RunRemote((*fleet)->ForFleet(scenario), file, options, out, err);
}

}  // namespace barrage
