// Copyright 2026 The Barrage Authors.

#include "controller/cli/commands.h"


#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/scenario/fields.h"
#include "common/util/host_port.h"
#include "common/scenario/yaml_loader.h"
#include "controller/cli/plan_printer.h"
#include "controller/cli/run_command.h"
#include "tools/target/target_server.h"
#include "controller/run/load_splitter.h"

namespace barrage {
namespace {

constexpr char kUsage[] =
    R"(usage: barrage <command> [arguments]

commands:
  run FILE [--controller ADDR]   run the scenario on a controller's agents, or
      [--local N [--workers W]]  here with N agents (W threads each); live
      [--http-engine auto|curl]  (local agents' HTTP client; default auto)
      [--out json=F] [--quiet]   progress, summary, exit code (see below)
      [--token-file F]
  agents [--controller ADDR]     list the controller's agents
  status [--controller ADDR]     the active (or last) run and its progress
  stop [RUN] [--now]             stop the active run (gracefully, or at once)
  runs                           the runs the controller keeps (--data)
  report RUN [--format json]     a kept run's result JSON
  validate FILE...               check scenario files; print the normalized plan
  plan FILE --agents N           print how the load splits across N agents
       [--capacity W1,W2,...]    relative agent capacities (default: equal)
  target [--listen HOST:PORT]    serve HTTP/1.1 for tests (default 127.0.0.1:8080)
         [--delay D] [--jitter D]  answer after D +/- jitter (like 10ms)
         [--error-rate F]          fraction answered 500 (like 1% or 0.01)
         [--status N] [--threads N] [--seed N]
  help                           this text

The controller address defaults to $BARRAGE_CONTROLLER, else 127.0.0.1:7400.

exit codes: 0 passed, 99 a threshold failed, 2 bad usage or invalid scenario,
  3 could not start, 4 aborted (abort threshold or Ctrl-C), 1 internal error
)";

// "HOST:PORT" with an IPv4 address, localhost or a bracketed IPv6 address.
absl::Status ParseListen(absl::string_view text, TargetServer::Options& o) {
  absl::StatusOr<HostPort> address = ParseHostPort(text);
  if (!address.ok()) return address.status();
  o.host = address->host;
  o.port = address->port;
  return absl::OkStatus();
}

// Applies one `barrage target` flag's value.
absl::Status ApplyTargetFlag(absl::string_view flag, const std::string& value,
                             TargetServer::Options& o) {
  if (flag == "--listen") return ParseListen(value, o);
  if (flag == "--delay" || flag == "--jitter") {
    absl::StatusOr<absl::Duration> d = ParseDurationField(value);
    if (!d.ok()) return d.status();
    (flag == "--delay" ? o.delay : o.jitter) = *d;
    return absl::OkStatus();
  }
  if (flag == "--error-rate") {
    absl::StatusOr<double> rate = ParseFractionField(value);
    if (!rate.ok()) return rate.status();
    o.error_rate = *rate;
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> n = ParseIntField(value);
  if (!n.ok()) return n.status();
  if (flag == "--status") {
    if (*n < 200 || *n > 599) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", value, "' is not a status from 200 to 599"));
    }
    o.status = static_cast<int>(*n);
  } else if (flag == "--threads") {
    if (*n < 1 || *n > 64) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", value, "' is not a thread count from 1 to 64"));
    }
    o.threads = static_cast<int>(*n);
  } else {  // --seed
    if (*n < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", value, "' is negative"));
    }
    o.seed = static_cast<uint64_t>(*n);
  }
  return absl::OkStatus();
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

int RunTarget(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  static constexpr absl::string_view kFlags[] = {
      "--listen", "--delay",   "--jitter", "--error-rate",
      "--status", "--threads", "--seed"};
  TargetServer::Options options;
  std::vector<absl::string_view> seen;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view flag;
    std::string value;
    for (absl::string_view f : kFlags) {
      const size_t at = i;
      if (TakeFlag(args, i, f, value)) {
        flag = f;
        break;
      }
      i = at;
    }
    if (flag.empty()) {
      err << "barrage target: unknown argument, or flag without a value: '"
          << args[i] << "'\n"
          << kUsage;
      return kExitUsage;
    }
    if (std::find(seen.begin(), seen.end(), flag) != seen.end()) {
      err << "barrage target: " << flag << " given twice\n";
      return kExitUsage;
    }
    seen.push_back(flag);
    if (absl::Status s = ApplyTargetFlag(flag, value, options); !s.ok()) {
      err << "barrage target: " << flag << ": " << s.message() << "\n";
      return kExitUsage;
    }
  }

  TargetServer server(options);
  if (absl::Status s = server.Start(); !s.ok()) {
    err << "barrage target: " << s.message() << "\n";
    return absl::IsInvalidArgument(s) ? kExitUsage : kExitCannotStart;
  }
  out << "barrage target listening on " << server.address() << std::endl;
  // main() counts SIGINT/SIGTERM; serve until the first one.
  while (InterruptCounter().load() == 0) absl::SleepFor(absl::Milliseconds(20));
  server.Stop();

  const TargetStats stats = server.Stats();
  out << "barrage target served " << stats.requests
      << (stats.requests == 1 ? " request (" : " requests (");
  for (size_t k = 0; k < stats.by_status.size(); ++k) {
    out << (k > 0 ? ", " : "") << stats.by_status[k].first << ": "
        << stats.by_status[k].second;
  }
  out << (stats.by_status.empty() ? "none" : "") << ") on " << stats.connections
      << (stats.connections == 1 ? " connection" : " connections") << std::endl;
  return kExitPassed;
}

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

std::atomic<int>& InterruptCounter() {
  static std::atomic<int> counter{0};
  return counter;
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err) {
  if (argv.size() < 2) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = argv[1];
  const std::vector<std::string> args(argv.begin() + 2, argv.end());
  if (command == "run") return RunRun(args, out, err, &InterruptCounter());
  if (command == "agents" || command == "status" || command == "stop" ||
      command == "runs" || command == "report") {
    return RunControlCommand(command, args, out, err);
  }
  if (command == "validate") return RunValidate(args, out, err);
  if (command == "plan") return RunPlan(args, out, err);
  if (command == "target") return RunTarget(args, out, err);
  if (command == "help" || command == "--help" || command == "-h") {
    out << kUsage;
    return kExitPassed;
  }
  err << "barrage: unknown command '" << command << "'\n" << kUsage;
  return kExitUsage;
}

}  // namespace barrage
