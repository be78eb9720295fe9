// Copyright 2026 The Barrage Authors.

#include "controller/cli/run_command.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "common/scenario_yaml.h"
#include "controller/cli/commands.h"
#include "controller/cli/local_run.h"

namespace barrage {

int RunRun(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::atomic<int>* interrupt) {
  std::string file;
  LocalRunOptions options;
  options.interrupt = interrupt;
  bool local = false;
  std::string controller;
  auto value_of = [&](size_t& i, absl::string_view flag, std::string& value) {
    absl::string_view arg = args[i];
    if (!absl::ConsumePrefix(&arg, flag)) return false;
    if (arg.empty() && i + 1 < args.size()) {
      value = args[++i];
      return true;
    }
    if (absl::ConsumePrefix(&arg, "=")) {
      value = std::string(arg);
      return true;
    }
    return false;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (value_of(i, "--local", value)) {
      int n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 1 || n > 64) {
        err << "barrage run: --local: '" << value << "' is not a number of agents from 1 to 64\n";
        return kExitUsage;
      }
      options.agents = n;
      local = true;
    } else if (value_of(i, "--workers", value)) {
      int n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 1 || n > 256) {
        err << "barrage run: --workers: '" << value << "' is not a number from 1 to 256\n";
        return kExitUsage;
      }
      options.workers_per_agent = n;
    } else if (value_of(i, "--controller", value)) {
      controller = value;
    } else if (value_of(i, "--out", value)) {
      absl::string_view spec = value;
      if (absl::ConsumePrefix(&spec, "json=") && !spec.empty()) {
        options.json_out = std::string(spec);
      } else {
        err << "barrage run: --out: '" << value << "' is not json=FILE\n";
        return kExitUsage;
      }
    } else if (args[i] == "--quiet" || args[i] == "-q") {
      options.quiet = true;
    } else if (args[i] == "--insecure") {
      options.insecure = true;
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
  if (local == !controller.empty()) {
    err << "barrage run: give exactly one of --local N or --controller ADDR\n";
    return kExitUsage;
  }
  absl::StatusOr<Scenario> scenario = LoadScenarioFile(file);
  if (!scenario.ok()) {
    err << scenario.status().message() << "\n";
    return kExitUsage;
  }
  if (!controller.empty()) {
    err << "barrage run: --controller is not available in this build yet; use --local N\n";
    return kExitCannotStart;
  }
  return RunLocal(*scenario, options, out, err);
}

}  // namespace barrage
