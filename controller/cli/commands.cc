// Copyright 2026 The Barrage Authors.

#include "controller/cli/commands.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/data/data_files.h"
#include "common/scenario/fields.h"
#include "common/scenario/yaml_loader.h"
#include "common/util/host_port.h"
#include "common/util/version.h"
#include "controller/cli/capacity_command.h"
#include "controller/cli/compare_command.h"
#include "controller/cli/health_check.h"
#include "controller/cli/plan_printer.h"
#include "controller/cli/run_command.h"
#include "controller/cli/trend_command.h"
#include "controller/run/load_splitter.h"
#include "tools/target/service_queue.h"
#include "tools/target/target_server.h"

namespace barrage {
namespace {

using CommandFunction = int (*)(const std::vector<std::string>& args,
                                std::ostream& out, std::ostream& err);

struct Command {
  const char* name;
  const char* args;  // the positional arguments in the usage line
  const char* summary;
  CommandFunction run;
};

int CommandRun(const std::vector<std::string>& args, std::ostream& out,
        std::ostream& err) {
  return RunRun(args, out, err, &InterruptCounter());
}
int CommandCapacity(const std::vector<std::string>& args, std::ostream& out,
                    std::ostream& err) {
  return RunCapacity(args, out, err, &InterruptCounter());
}
int CommandAgents(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  return RunControlCommand("agents", args, out, err);
}
int CommandStatus(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  return RunControlCommand("status", args, out, err);
}
int CommandStop(const std::vector<std::string>& args, std::ostream& out,
         std::ostream& err) {
  return RunControlCommand("stop", args, out, err);
}
int CommandRuns(const std::vector<std::string>& args, std::ostream& out,
         std::ostream& err) {
  return RunControlCommand("runs", args, out, err);
}
int CommandReport(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  return RunControlCommand("report", args, out, err);
}

constexpr Command kCommands[] = {
    {"run", "FILE",
     "run a scenario on a controller's agents, or here (--local N)",
     CommandRun},
    {"capacity", "FILE",
     "the highest load the service sustains within an SLO (--slo): 0 found, 99 none",
     CommandCapacity},
    {"agents", "", "list the controller's agents", CommandAgents},
    {"status", "", "the active (or last) run and its progress", CommandStatus},
    {"stop", "[RUN]", "stop the active run (gracefully, or at once with --now)",
     CommandStop},
    {"runs", "", "the runs the controller keeps (its --data)", CommandRuns},
    {"report", "RUN|FILE",
     "a kept run's (or a result file's) summary, result JSON, JUnit, HTML or CSV",
     CommandReport},
    {"trend", "NAME", "a scenario's latency and errors over its kept runs, with change points",
     RunTrend},
    {"compare", "BASELINE CURRENT",
     "is CURRENT worse than BASELINE (result files or run ids)? 0 no, 99 regressed, 98 inconclusive",
     RunCompare},
    {"health", "ADDR",
     "is a controller serving (gRPC health), or an agent (--http)? 0 yes, 1 no, 3 no answer",
     RunHealth},
    {"validate", "FILE...", "check scenario files; print each normalized plan",
     RunValidate},
    {"plan", "FILE", "print how the load splits across agents", RunPlan},
    {"target", "", "serve HTTP/1.1 for tests until Ctrl-C", RunTarget},
};

const Command* FindCommand(absl::string_view name) {
  for (const Command& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The command list, notes and exit codes: `barrage` alone prints this.
std::string Overview() {
  std::string out = "usage: barrage <command> [arguments] [flags]\n\ncommands:\n";
  auto line = [&out](absl::string_view left, absl::string_view right) {
    std::string l = absl::StrCat("  ", left);
    l.resize(std::max<size_t>(l.size() + 2, 20), ' ');
    absl::StrAppend(&out, l, right, "\n");
  };
  for (const Command& c : kCommands) {
    line(absl::StrCat(c.name, *c.args != '\0' ? " " : "", c.args), c.summary);
  }
  line("help [COMMAND]", "this text with every command's flags, or COMMAND's");
  absl::StrAppend(
      &out,
      "\n'barrage help COMMAND' or 'barrage COMMAND --help' lists a command's "
      "flags.\nThe controller address defaults to $BARRAGE_CONTROLLER, else "
      "127.0.0.1:7400.\n\n"
      "exit codes: 0 passed, 99 a threshold failed, 2 bad usage or invalid "
      "scenario,\n  3 could not start, 4 aborted (abort threshold or Ctrl-C), "
      "5 lost the controller\n  during the run, 1 internal error\n");
  return out;
}

// `barrage help [COMMAND]`.
int RunHelp(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  if (args.empty()) {
    out << Overview();
    for (const Command& c : kCommands) {
      out << "\n";
      c.run({"--help"}, out, err);
    }
    return kExitPassed;
  }
  const Command* command = FindCommand(args[0]);
  if (command == nullptr || args.size() > 1) {
    err << "barrage help: "
        << (command == nullptr ? absl::StrCat("unknown command '", args[0], "'")
                               : std::string("give one command"))
        << "\nsee 'barrage help'\n";
    return kExitUsage;
  }
  return command->run({"--help"}, out, err);
}

// Applies one `barrage target` string flag's value (the int flags are
// checked by the FlagSet).
absl::Status ApplyTargetFlag(absl::string_view flag, const std::string& value,
                             TargetServer::Options& o) {
  if (flag == "listen") {
    absl::StatusOr<HostPort> address = ParseHostPort(value);
    if (!address.ok()) return address.status();
    o.host = address->host;
    o.port = address->port;
    return absl::OkStatus();
  }
  if (flag == "delay" || flag == "jitter") {
    absl::StatusOr<absl::Duration> d = ParseDurationField(value);
    if (!d.ok()) return d.status();
    (flag == "delay" ? o.delay : o.jitter) = *d;
    return absl::OkStatus();
  }
  if (flag == "contention" || flag == "coherency") {
    double x = 0;
    if (!absl::SimpleAtod(value, &x) || !std::isfinite(x) || x < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", value, "' is not a number >= 0, like 0.05"));
    }
    (flag == "contention" ? o.contention : o.coherency) = x;
    return absl::OkStatus();
  }
  absl::StatusOr<double> rate = ParseFractionField(value);  // error-rate
  if (!rate.ok()) return rate.status();
  o.error_rate = *rate;
  return absl::OkStatus();
}

}  // namespace

FlagSet CommandFlags(absl::string_view name) {
  const Command* c = FindCommand(name);
  if (c == nullptr) return FlagSet(absl::StrCat("barrage ", name, " [flags]"));
  return FlagSet(absl::StrCat("barrage ", c->name, *c->args != '\0' ? " " : "",
                              c->args, " [flags]"),
                 c->summary);
}

ParsedCommand ParseCommand(absl::string_view command, FlagSet& flags,
                           const std::vector<std::string>& args,
                           std::ostream& out, std::ostream& err) {
  ParsedCommand parsed;
  absl::StatusOr<std::vector<std::string>> positional = flags.Parse(args);
  if (!positional.ok()) {
    parsed.exit_code = UsageError(command, positional.status().message(), err);
  } else if (flags.help_requested()) {
    out << flags.Help();
    parsed.exit_code = kExitPassed;
  } else {
    parsed.positional = std::move(*positional);
  }
  return parsed;
}

int UsageError(absl::string_view command, absl::string_view message,
               std::ostream& err) {
  err << "barrage " << command << ": " << message << "\nsee 'barrage "
      << command << " --help'\n";
  return kExitUsage;
}

int RunValidate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  FlagSet flags = CommandFlags("validate");
  bool quiet = false;
  flags.Bool("quiet", &quiet, "print only 'FILE: valid', not the plan");
  flags.Short('q', "quiet");
  const ParsedCommand parsed = ParseCommand("validate", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  const std::vector<std::string>& files = parsed.positional;
  if (files.empty()) {
    return UsageError("validate", "give at least one scenario file", err);
  }
  int code = kExitPassed;
  for (const std::string& file : files) {
    absl::StatusOr<LoadedScenario> loaded = LoadScenarioWithData(file);
    if (!loaded.ok()) {
      err << loaded.status().message() << "\n";
      code = kExitUsage;
      continue;
    }
    out << file << ": valid\n";
    if (!quiet) out << RenderPlan(loaded->scenario) << (files.size() > 1 ? "\n" : "");
  }
  return code;
}

int RunPlan(const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  FlagSet flags = CommandFlags("plan");
  int64_t agent_count = 0;
  std::string capacity_text;
  flags.Int("agents", &agent_count, 0, 1, 10'000, "N",
            "split across N agents (equal, unless --capacity)");
  flags.String("capacity", &capacity_text, "", "W1,W2,...",
               "relative agent capacities, each from 1 to 1000000");
  int64_t max_in_flight = 0;
  flags.Int("max-in-flight", &max_in_flight, 0, 0, 1'000'000, "N",
            "each agent's in-flight limit (barrage agents shows it): VUs are kept within it, "
            "or the plan says how many agents it needs; 0: not checked");
  const ParsedCommand parsed = ParseCommand("plan", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 1) {
    return UsageError("plan", "give one scenario file", err);
  }
  const std::string& file = parsed.positional[0];
  std::vector<AgentCapacity> agents;
  if (!capacity_text.empty()) {
    for (absl::string_view part : absl::StrSplit(capacity_text, ',')) {
      int64_t w = 0;
      if (!absl::SimpleAtoi(part, &w) || w < 1 || w > 1'000'000) {
        return UsageError("plan",
                          absl::StrCat("--capacity: '", part,
                                       "' is not a whole number from 1 to 1000000"),
                          err);
      }
      agents.push_back({absl::StrCat("agent-", agents.size() + 1), w});
    }
  }
  if (flags.Given("agents")) {
    if (!agents.empty() && static_cast<int64_t>(agents.size()) != agent_count) {
      return UsageError("plan",
                        absl::StrCat("--capacity lists ", agents.size(),
                                     " agents but --agents is ", agent_count),
                        err);
    }
    for (int64_t k = static_cast<int64_t>(agents.size()); k < agent_count; ++k) {
      agents.push_back({absl::StrCat("agent-", k + 1), 1});
    }
  }
  if (agents.empty()) {
    return UsageError("plan", "give --agents N (or --capacity W1,W2,...)", err);
  }
  absl::StatusOr<LoadedScenario> loaded = LoadScenarioWithData(file);
  if (!loaded.ok()) {
    err << loaded.status().message() << "\n";
    return kExitUsage;
  }
  Scenario* scenario = &loaded->scenario;
  for (AgentCapacity& a : agents) a.max_in_flight = max_in_flight;
  absl::StatusOr<SplitPlan> plan = SplitLoad(*scenario, agents);
  if (!plan.ok()) {
    err << "barrage plan: " << file << ": " << plan.status().message() << "\n";
    return kExitUsage;
  }
  out << RenderSplit(*scenario, *plan, max_in_flight);
  return kExitPassed;
}

int RunTarget(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  FlagSet flags = CommandFlags("target");
  TargetServer::Options options;
  std::string listen, delay, jitter, error_rate, contention, coherency;
  int64_t status = 0, threads = 0, seed = 0, concurrency = 0;
  flags.String("listen", &listen, "127.0.0.1:8080", "HOST:PORT",
               "listen address (port 0: any free port)");
  flags.String("delay", &delay, "0ms", "D", "answer after D, like 10ms");
  flags.String("jitter", &jitter, "0ms", "D", "+/- uniform jitter on the delay");
  flags.String("error-rate", &error_rate, "0", "F",
               "fraction answered 500, like 1% or 0.01");
  flags.Int("status", &status, options.status, 200, 599, "N",
            "status of the other answers");
  flags.Int("threads", &threads, options.threads, 1, 64, "N", "worker threads");
  flags.Int("concurrency", &concurrency, 0, 0, ServiceQueue::kMaxConcurrency,
            "K", "at most K requests in service, the rest wait (0: any)");
  flags.String("contention", &contention, "0", "S",
               "service time x (1 + S(n-1) + C n(n-1)), n in service");
  flags.String("coherency", &coherency, "0", "C",
               "the C of --contention's formula (USL coherency)");
  flags.Int("seed", &seed, static_cast<int64_t>(options.seed), 0, std::numeric_limits<int64_t>::max(),
            "N", "seed of the error choice and the jitter");
  const ParsedCommand parsed = ParseCommand("target", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (!parsed.positional.empty()) {
    return UsageError(
        "target", absl::StrCat("unexpected argument '", parsed.positional[0], "'"),
        err);
  }
  const std::pair<const char*, const std::string*> string_flags[] = {
      {"listen", &listen}, {"delay", &delay}, {"jitter", &jitter},
      {"error-rate", &error_rate}, {"contention", &contention},
      {"coherency", &coherency}};
  for (const auto& [name, value] : string_flags) {
    if (!flags.Given(name)) continue;
    if (absl::Status s = ApplyTargetFlag(name, *value, options); !s.ok()) {
      return UsageError("target", absl::StrCat("--", name, ": ", s.message()), err);
    }
  }
  options.status = static_cast<int>(status);
  options.threads = static_cast<int>(threads);
  options.concurrency = static_cast<int>(concurrency);
  options.seed = static_cast<uint64_t>(seed);

  TargetServer server(options);
  if (absl::Status s = server.Start(); !s.ok()) {
    err << "barrage target: " << s.message() << "\n";
    // A bad flag or a busy or foreign address: the user must change it.
    return absl::IsInvalidArgument(s) || absl::IsFailedPrecondition(s) ? kExitUsage
                                                                        : kExitCannotStart;
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

std::atomic<int>& InterruptCounter() {
  static std::atomic<int> counter{0};
  return counter;
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err) {
  if (argv.size() < 2) {
    err << Overview();
    return kExitUsage;
  }
  const std::string& name = argv[1];
  const std::vector<std::string> args(argv.begin() + 2, argv.end());
  if (const Command* command = FindCommand(name); command != nullptr) {
    return command->run(args, out, err);
  }
  if (name == "help" || name == "--help" || name == "-h") {
    return RunHelp(args, out, err);
  }
  if (name == "--version") {
    out << VersionLine("barrage") << "\n";
    return kExitPassed;
  }
  err << "barrage: unknown command '" << name << "'\nsee 'barrage help'\n";
  return kExitUsage;
}

}  // namespace barrage
