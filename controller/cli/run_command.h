// Copyright 2026 The Barrage Authors.
//
// `barrage run FILE [--local N | --controller ADDR] [--out json=F] [--quiet]`.
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

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_
