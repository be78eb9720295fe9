// Copyright 2026 The Barrage Authors.
//
// The `barrage` CLI's commands as functions: arguments in, text to the given
// streams, exit code out (see README "Exit codes"). main() only dispatches.
//
// Every command parses its flags with a FlagSet (common/util/flags.h) built
// by CommandFlags: `barrage CMD --help` (or -h, or `barrage help CMD`) prints
// the generated help and exits 0; a bad flag or argument prints the error and
// "see 'barrage CMD --help'" and exits kExitUsage.
#ifndef BARRAGE_CONTROLLER_CLI_COMMANDS_H_
#define BARRAGE_CONTROLLER_CLI_COMMANDS_H_

#include <atomic>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/util/exit_codes.h"
#include "common/util/flags.h"

namespace barrage {

// `args` excludes the program and command names.
int RunValidate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err);
int RunPlan(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err);
// `barrage target`: serves HTTP (see tools/target/target_server.h) until
// InterruptCounter() moves (main's SIGINT/SIGTERM handler), then prints the
// served count. Returns kExitUsage for bad flags, kExitCannotStart when it
// cannot listen.
int RunTarget(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

// An empty FlagSet for the command `name` ("run", "plan", ...), with the
// usage line "barrage NAME ARGS [flags]" and the command's summary from the
// command table. `name` must be a command of the table.
FlagSet CommandFlags(absl::string_view name);

// What parsing a command's arguments came to.
struct ParsedCommand {
  std::vector<std::string> positional;
  // Set when the command is done: kExitPassed after printing the help for
  // --help, kExitUsage after printing the error.
  std::optional<int> exit_code;
};

// Parses `args` with `flags` (from CommandFlags(command)), printing the help
// to `out` or the error to `err` as the file comment says.
ParsedCommand ParseCommand(absl::string_view command, FlagSet& flags,
                           const std::vector<std::string>& args,
                           std::ostream& out, std::ostream& err);

// Prints "barrage COMMAND: MESSAGE" and "see 'barrage COMMAND --help'" to
// `err`; returns kExitUsage.
int UsageError(absl::string_view command, absl::string_view message,
               std::ostream& err);

// Counts SIGINT/SIGTERM deliveries for `barrage run` (main's handler
// increments it): 1 stops gracefully, 2 stops at once.
std::atomic<int>& InterruptCounter();

// Dispatches argv (including the program name) to a command; also answers
// `barrage help [COMMAND]`, `--help`, `-h` and `--version`.
int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_COMMANDS_H_
