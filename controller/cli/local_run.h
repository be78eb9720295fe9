// Copyright 2026 The Barrage Authors.
//
// `barrage run FILE --local N`: runs a scenario on this machine with N
// in-process agents (each its exact share of the plan, as the splitter
// deals it, each with its own worker threads and libcurl clients), merges
// their reports exactly, prints live progress and the summary, writes the
// result JSON, and returns the exit code.
#ifndef BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
#define BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_

#include <atomic>
#include <ostream>
#include <string>

#include "common/scenario.h"

namespace barrage {

struct LocalRunOptions {
  int agents = 1;
  int workers_per_agent = 0;  // 0: number of cores / agents, at least 1
  std::string json_out;       // "" = none
  bool quiet = false;         // no live progress
  bool insecure = false;      // https without verification
  // Set by a signal handler: 1 = stop gracefully, 2 = stop at once.
  const std::atomic<int>* interrupt = nullptr;
};

int RunLocal(const Scenario& scenario, const LocalRunOptions& options,
             std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_LOCAL_RUN_H_
