// Copyright 2026 The Barrage Authors.

#include "controller/cli/run_command.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "controller/cli/local_run.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/scenario/yaml_loader.h"
#include "controller/cli/commands.h"
#include "controller/cli/remote_run.h"

namespace barrage {
namespace {

std::string DefaultController() {
  const char* env = std::getenv("BARRAGE_CONTROLLER");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:7400";
}

bool ReadToken(const std::string& file, std::string& token, std::ostream& err) {
  absl::StatusOr<std::string> text = ReadNonEmptyFile(file, /*strip_whitespace=*/true);
  if (!text.ok()) {
    err << "barrage: --token-file " << text.status().message() << "\n";
    return false;
  }
  token = std::move(*text);
  return true;
}

bool ReadPem(const std::string& file, std::string& pem, std::ostream& err) {
  absl::StatusOr<std::string> text = ReadNonEmptyFile(file, /*strip_whitespace=*/false);
  if (!text.ok()) {
    err << "barrage: --tls-ca " << text.status().message() << "\n";
    return false;
  }
  pem = std::move(*text);
  return true;
}

}  // namespace

int RunRun(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::atomic<int>* interrupt) {
  std::string file;
  RemoteOptions remote;
  remote.controller = DefaultController();
  remote.interrupt = interrupt;
  LocalOptions local;
  bool is_local = false;
  bool has_controller = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (TakeFlag(args, i, "--local", value)) {
      if (!absl::SimpleAtoi(value, &local.agents) || local.agents < 1 || local.agents > 64) {
        err << "barrage run: --local: '" << value << "' is not a number of agents from 1 to 64\n";
        return kExitUsage;
      }
      is_local = true;
    } else if (TakeFlag(args, i, "--workers", value)) {
      if (!absl::SimpleAtoi(value, &local.workers_per_agent) ||
          local.workers_per_agent < 1 || local.workers_per_agent > 256) {
        err << "barrage run: --workers: '" << value << "' is not a number from 1 to 256\n";
        return kExitUsage;
      }
    } else if (TakeFlag(args, i, "--http-engine", value)) {
      if (!ParseHttpEngine(value, &local.http_engine)) {
        err << "barrage run: --http-engine: '" << value << "' is not auto or curl\n";
        return kExitUsage;
      }
    } else if (TakeFlag(args, i, "--controller", value)) {
      remote.controller = value;
      has_controller = true;
    } else if (TakeFlag(args, i, "--token-file", value)) {
      if (!ReadToken(value, remote.token, err)) return kExitUsage;
    } else if (TakeFlag(args, i, "--tls-ca", value)) {
      if (!ReadPem(value, remote.tls_ca_pem, err)) return kExitUsage;
    } else if (TakeFlag(args, i, "--out", value)) {
      absl::string_view spec = value;
      if (absl::ConsumePrefix(&spec, "json=") && !spec.empty()) {
        remote.json_out = std::string(spec);
      } else {
        err << "barrage run: --out: '" << value << "' is not json=FILE\n";
        return kExitUsage;
      }
    } else if (args[i] == "--quiet" || args[i] == "-q") {
      remote.quiet = true;
    } else if (args[i] == "--insecure") {
      local.insecure_targets = true;
      remote.insecure = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      err << "barrage run: unknown or incomplete flag '" << args[i] << "'\n";
      return kExitUsage;
    } else if (file.empty()) {
      file = args[i];
    } else {
      err << "barrage run: one scenario file only\n";
      return kExitUsage;
    }
  }
  if (file.empty()) {
    err << "barrage run: give a scenario file\n";
    return kExitUsage;
  }
  if (is_local && has_controller) {
    err << "barrage run: give --local N or --controller ADDR, not both\n";
    return kExitUsage;
  }
  absl::StatusOr<Scenario> scenario = LoadScenarioFile(file);
  if (!scenario.ok()) {
    err << scenario.status().message() << "\n";
    return kExitUsage;
  }
  if (is_local) return RunLocal(*scenario, file, local, remote, out, err);
  return RunRemote(*scenario, file, remote, out, err);
}

int RunControlCommand(const std::string& command, const std::vector<std::string>& args,
                      std::ostream& out, std::ostream& err) {
  RemoteOptions remote;
  remote.controller = DefaultController();
  std::string run_id;
  bool now = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (TakeFlag(args, i, "--controller", value)) {
      remote.controller = value;
    } else if (TakeFlag(args, i, "--token-file", value)) {
      if (!ReadToken(value, remote.token, err)) return kExitUsage;
    } else if (TakeFlag(args, i, "--tls-ca", value)) {
      if (!ReadPem(value, remote.tls_ca_pem, err)) return kExitUsage;
    } else if (args[i] == "--insecure") {
      remote.insecure = true;
    } else if (command == "stop" && args[i] == "--now") {
      now = true;
    } else if ((command == "stop" || command == "report") && run_id.empty() &&
               !args[i].empty() && args[i][0] != '-') {
      run_id = args[i];
    } else if (command == "report" && TakeFlag(args, i, "--format", value)) {
      if (value != "json") {
        err << "barrage report: --format " << value << " is not supported yet (json)\n";
        return kExitUsage;
      }
    } else {
      err << "barrage " << command << ": unexpected argument '" << args[i] << "'\n";
      return kExitUsage;
    }
  }
  if (command == "agents") return RunAgents(remote, out, err);
  if (command == "status") return RunStatus(remote, out, err);
  if (command == "runs") return RunRuns(remote, out, err);
  if (command == "report") {
    if (run_id.empty()) {
      err << "barrage report: give a run id (see barrage runs)\n";
      return kExitUsage;
    }
    return ShowReport(remote, run_id, out, err);
  }
  return RunStop(remote, run_id, now, out, err);
}

}  // namespace barrage
