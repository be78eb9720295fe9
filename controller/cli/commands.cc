// Copyright 2026 The Barrage Authors.

#include "controller/cli/commands.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/scenario_yaml.h"
#include "controller/cli/plan_printer.h"
#include "controller/load_splitter.h"

namespace barrage {
namespace {

constexpr char kUsage[] =
    R"(usage: barrage <command> [arguments]

commands:
  validate FILE...               check scenario files; print the normalized plan
  plan FILE --agents N           print how the load splits across N agents
       [--capacity W1,W2,...]    relative agent capacities (default: equal)
  help                           this text

exit codes: 0 ok, 2 bad usage or invalid scenario, 1 internal error
)";

// Splits "--flag=value" and "--flag value" forms; returns false when a flag
// that needs a value has none.
bool TakeFlag(const std::vector<std::string>& args, size_t& i,
              absl::string_view name, std::string& value) {
  absl::string_view arg = args[i];
  if (!absl::ConsumePrefix(&arg, name)) return false;
  if (arg.empty()) {
    if (i + 1 >= args.size()) return false;
    value = args[++i];
    return true;
  }
  if (absl::ConsumePrefix(&arg, "=")) {
    value = std::string(arg);
    return true;
  }
  return false;
}

}  // namespace

int RunValidate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  std::vector<std::string> files;
  bool quiet = false;
  for (const std::string& a : args) {
    if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      err << "barrage validate: unknown flag '" << a << "'\n" << kUsage;
      return kExitUsage;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    err << "barrage validate: give at least one scenario file\n" << kUsage;
    return kExitUsage;
  }
  int code = kExitPassed;
  for (const std::string& file : files) {
    absl::StatusOr<Scenario> scenario = LoadScenarioFile(file);
    if (!scenario.ok()) {
      err << scenario.status().message() << "\n";
      code = kExitUsage;
      continue;
    }
    out << file << ": valid\n";
    if (!quiet) out << RenderPlan(*scenario) << (files.size() > 1 ? "\n" : "");
  }
  return code;
}

int RunPlan(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  std::string file;
  std::string agents_text;
  std::string capacity_text;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (TakeFlag(args, i, "--agents", value)) {
      agents_text = value;
    } else if (TakeFlag(args, i, "--capacity", value)) {
      capacity_text = value;
    } else if (!args[i].empty() && args[i][0] == '-') {
      err << "barrage plan: unknown or incomplete flag '" << args[i] << "'\n"
          << kUsage;
      return kExitUsage;
    } else if (file.empty()) {
      file = args[i];
    } else {
      err << "barrage plan: one scenario file only\n";
      return kExitUsage;
    }
  }
  if (file.empty()) {
    err << "barrage plan: give a scenario file\n" << kUsage;
    return kExitUsage;
  }
  std::vector<AgentCapacity> agents;
  if (!capacity_text.empty()) {
    for (absl::string_view part : absl::StrSplit(capacity_text, ',')) {
      int64_t w = 0;
      if (!absl::SimpleAtoi(part, &w) || w < 1 || w > 1'000'000) {
        err << "barrage plan: --capacity: '" << part
            << "' is not a whole number from 1 to 1000000\n";
        return kExitUsage;
      }
      agents.push_back({absl::StrCat("agent-", agents.size() + 1), w});
    }
  }
  if (!agents_text.empty()) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(agents_text, &n) || n < 1 || n > 10'000) {
      err << "barrage plan: --agents: '" << agents_text
          << "' is not a whole number from 1 to 10000\n";
      return kExitUsage;
    }
    if (!agents.empty() && static_cast<int64_t>(agents.size()) != n) {
      err << "barrage plan: --capacity lists " << agents.size()
          << " agents but --agents is " << n << "\n";
      return kExitUsage;
    }
    for (int64_t k = static_cast<int64_t>(agents.size()); k < n; ++k) {
      agents.push_back({absl::StrCat("agent-", k + 1), 1});
    }
  }
  if (agents.empty()) {
    err << "barrage plan: give --agents N (or --capacity W1,W2,...)\n";
    return kExitUsage;
  }
  absl::StatusOr<Scenario> scenario = LoadScenarioFile(file);
  if (!scenario.ok()) {
    err << scenario.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<SplitPlan> plan = SplitLoad(*scenario, agents);
  if (!plan.ok()) {
    err << "barrage plan: " << file << ": " << plan.status().message() << "\n";
    return kExitUsage;
  }
  out << RenderSplit(*scenario, *plan);
  return kExitPassed;
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err) {
  if (argv.size() < 2) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = argv[1];
  const std::vector<std::string> args(argv.begin() + 2, argv.end());
  if (command == "validate") return RunValidate(args, out, err);
  if (command == "plan") return RunPlan(args, out, err);
  if (command == "help" || command == "--help" || command == "-h") {
    out << kUsage;
    return kExitPassed;
  }
  err << "barrage: unknown command '" << command << "'\n" << kUsage;
  return kExitUsage;
}

}  // namespace barrage
