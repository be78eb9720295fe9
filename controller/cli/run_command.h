// Copyright 2026 The Barrage Authors.
//
// Argument parsing for the commands that talk to a controller:
//   barrage run FILE [--local N | --controller ADDR] [--out json=F] [--quiet]
//   barrage agents | status [--controller ADDR]
//   barrage stop [RUN] [--now] [--controller ADDR]
// All take --token-file F. The controller address defaults to
// $BARRAGE_CONTROLLER, else 127.0.0.1:7400.
#ifndef BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_
#define BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

namespace barrage {

// `interrupt` counts Ctrl-C presses (1: graceful stop, 2: stop at once).
int RunRun(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::atomic<int>* interrupt);
// `command` is "agents", "status" or "stop".
int RunControlCommand(const std::string& command,
                      const std::vector<std::string>& args, std::ostream& out,
                      std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_
