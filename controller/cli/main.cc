// Copyright 2026 The Barrage Authors.
//
// `barrage`: the command-line interface. Wiring only; see commands.h.

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "common/util/exit_codes.h"
#include "controller/cli/commands.h"

namespace {

// The first Ctrl-C asks `barrage run` to stop gracefully, the second to stop
// at once; a third exits without waiting.
void OnInterrupt(int) {
  if (barrage::InterruptCounter().fetch_add(1) >= 2) _exit(barrage::kExitInterrupted);
}

}  // namespace

int main(int argc, char** argv) {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::vector<std::string> args(argv, argv + argc);
  return barrage::RunCli(args, std::cout, std::cerr);
}
