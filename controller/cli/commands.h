// Copyright 2026 The Barrage Authors.
//
// The `barrage` CLI's commands as functions: arguments in, text to the given
// streams, exit code out (see README "Exit codes"). main() only dispatches.
#ifndef BARRAGE_CONTROLLER_CLI_COMMANDS_H_
#define BARRAGE_CONTROLLER_CLI_COMMANDS_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/util/exit_codes.h"

namespace barrage {


// `args` excludes the program and command names.
int RunValidate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err);
int RunPlan(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);
// `barrage target`: serves HTTP until SIGINT or SIGTERM (see
// target_server.h), then prints the served count. Blocks both signals in the
// calling thread (and so in the server's threads) while it runs.
int RunTarget(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

// Reads a flag's value in the "--flag value" or "--flag=value" form at
// args[i] (advancing i past a separate value). False when args[i] is not
// that flag or the value is missing.
bool TakeFlag(const std::vector<std::string>& args, size_t& i,
              absl::string_view name, std::string& value);

// Counts SIGINT/SIGTERM deliveries for `barrage run` (main's handler
// increments it): 1 stops gracefully, 2 stops at once.
std::atomic<int>& InterruptCounter();

// Dispatches argv (including the program name) to a command.
int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_COMMANDS_H_
