// Copyright 2026 The Barrage Authors.
//
// The commands that talk to a controller, their flags and arguments:
//   barrage run FILE [--local N | --controller ADDR] [--out KIND=F]... [-q] ...
//   barrage agents | status
//   barrage runs [--scenario NAME] [--limit N]
//   barrage stop [RUN] [--now]
//   barrage report RUN|FILE [--format text|json|junit|html|csv] [-o F]
// (report of an existing FILE, a result JSON, needs no controller)
// All take --controller ADDR (default $BARRAGE_CONTROLLER, else
// 127.0.0.1:7400), --token-file F, --tls-ca F and --insecure; `--help` prints
// the full list (see commands.h).
#ifndef BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_
#define BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/data/data_files.h"
#include "common/scenario/scenario.h"
#include "common/util/flags.h"
#include "controller/cli/remote_run.h"

namespace barrage {

// The flags of every command that talks to a controller, as given.
struct RemoteFlags {
  std::string controller;
  std::string token_file;
  std::string tls_ca;
  bool insecure = false;
};

// Defines --controller (unless !with_controller: `barrage health` takes the
// address as its argument), --token-file, --tls-ca and --insecure on
// `flags`, bound to `f` (both borrowed; `f` must outlive the parse).
void DefineRemoteFlags(FlagSet& flags, RemoteFlags& f, absl::string_view insecure_help,
                       bool with_controller = true);
// Copies the flags into `remote`, reading the files they name; an
// unreadable or empty file is an error naming the flag.
absl::Status ApplyRemoteFlags(const RemoteFlags& f, RemoteOptions& remote);

// $BARRAGE_TARGET, or "" (the default of --target).
std::string DefaultTarget();
// Replaces the scenario's target with `url` (from --target or
// $BARRAGE_TARGET), checked as the file's target is; InvalidArgument naming
// `source` otherwise.
absl::Status OverrideTarget(const std::string& url, absl::string_view source,
                            Scenario& scenario);
// Reads defaults.tls.ca, .cert and .key (relative to the scenario file's
// folder) into the scenario, whose PEM then travels to the agents, and
// checks it.
absl::Status ReadTlsFiles(const std::string& scenario_file, Scenario& scenario);
// Reads monitor.token_file (relative to the scenario file's folder) into
// the scenario's monitor token, which goes only to the controller.
absl::Status ReadMonitorToken(const std::string& scenario_file, Scenario& scenario);

// A scenario file made ready to run, as `run` and `capacity` do it: loaded
// with its data files, the target overridden by `target_url` from `source`
// when given, certificate checks off for `insecure_local` (--local
// --insecure; a client certificate stays), the TLS files and the monitor
// token read. The error is the message to print (usage, exit 2); a bad
// target's says `command` ("barrage run").
absl::StatusOr<LoadedScenario> PrepareScenario(const std::string& file,
                                               const std::string& target_url,
                                               const char* source, bool insecure_local,
                                               absl::string_view command);

// `interrupt` counts Ctrl-C presses (1: graceful stop, 2: stop at once).
int RunRun(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::atomic<int>* interrupt);
// `command` is "agents", "status", "stop", "runs" or "report".
int RunControlCommand(const std::string& command,
                      const std::vector<std::string>& args, std::ostream& out,
                      std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_RUN_COMMAND_H_
