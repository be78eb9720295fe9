// Copyright 2026 The Barrage Authors.

#include "controller/cli/run_command.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/data/data_files.h"
#include "common/scenario/fields.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "common/util/flags.h"
#include "controller/cli/commands.h"
#include "controller/cli/local_run.h"
#include "controller/cli/remote_run.h"
#include "controller/cli/report_outputs.h"

namespace barrage {
namespace {

constexpr char kInsecureHelp[] = "allow plaintext to a non-loopback controller";

std::string DefaultController() {
  const char* env = std::getenv("BARRAGE_CONTROLLER");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:7400";
}

}  // namespace

std::string DefaultTarget() {
  const char* env = std::getenv("BARRAGE_TARGET");
  return env != nullptr ? env : "";
}

absl::Status OverrideTarget(const std::string& url, absl::string_view source,
                            Scenario& scenario) {
  absl::StatusOr<Target> target = ParseTargetField(url);
  if (!target.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", target.status().message()));
  }
  scenario.target = *std::move(target);
  if (absl::Status s = ValidateScenario(scenario); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", s.message()));
  }
  return absl::OkStatus();
}

absl::Status ReadTlsFiles(const std::string& scenario_file, Scenario& scenario) {
  TlsPolicy& tls = scenario.tls;
  if (tls.ca_file.empty() && tls.cert_file.empty() && tls.key_file.empty()) {
    return absl::OkStatus();
  }
  const struct {
    const char* field;
    const std::string& file;
    std::string& pem;
  } files[] = {{"ca", tls.ca_file, tls.ca_pem},
               {"cert", tls.cert_file, tls.cert_pem},
               {"key", tls.key_file, tls.key_pem}};
  for (const auto& f : files) {
    if (f.file.empty()) continue;
    std::string path = f.file;
    if (path[0] != '/') {
      const size_t slash = scenario_file.find_last_of('/');
      if (slash != std::string::npos) path = scenario_file.substr(0, slash + 1) + path;
    }
    absl::StatusOr<std::string> pem = ReadNonEmptyFile(path, /*strip_whitespace=*/false);
    if (!pem.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(scenario_file, ": defaults.tls.", f.field,
                                                     ": ", pem.status().message()));
    }
    f.pem = *std::move(pem);
  }
  if (absl::Status s = ValidateScenario(scenario); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(scenario_file, ": ", s.message()));
  }
  return absl::OkStatus();
}

// Reads monitor.token_file (relative to the scenario file's folder) into
// the scenario's monitor token, which goes only to the controller.
absl::Status ReadMonitorToken(const std::string& scenario_file, Scenario& scenario) {
  if (!scenario.monitor.has_value() || scenario.monitor->token_file.empty()) {
    return absl::OkStatus();
  }
  std::string path = scenario.monitor->token_file;
  if (path[0] != '/') {
    const size_t slash = scenario_file.find_last_of('/');
    if (slash != std::string::npos) path = scenario_file.substr(0, slash + 1) + path;
  }
  absl::StatusOr<std::string> token = ReadNonEmptyFile(path, /*strip_whitespace=*/true);
  if (!token.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(scenario_file, ": monitor.token_file: ", token.status().message()));
  }
  scenario.monitor->token = *std::move(token);
  if (absl::Status s = ValidateScenario(scenario); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(scenario_file, ": ", s.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadedScenario> PrepareScenario(const std::string& file,
                                               const std::string& target_url,
                                               const char* source, bool insecure_local,
                                               absl::string_view command) {
  absl::StatusOr<LoadedScenario> loaded = LoadScenarioWithData(file);
  if (!loaded.ok()) return loaded.status();
  Scenario& scenario = loaded->scenario;
  if (!target_url.empty()) {
    if (absl::Status s = OverrideTarget(target_url, source, scenario); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(command, ": ", s.message()));
    }
  }
  if (insecure_local) {
    // --local --insecure: the embedded agents skip certificate checks, as
    // the scenario's defaults.tls.verify: false would say.
    scenario.tls.verify = false;
    scenario.tls.ca_file.clear();
    scenario.tls.ca_pem.clear();
  }
  if (absl::Status s = ReadTlsFiles(file, scenario); !s.ok()) return s;
  if (absl::Status s = ReadMonitorToken(file, scenario); !s.ok()) return s;
  return loaded;
}

void DefineRemoteFlags(FlagSet& flags, RemoteFlags& f, absl::string_view insecure_help,
                       bool with_controller) {
  if (with_controller) {
    flags.String("controller", &f.controller, DefaultController(), "HOST:PORT",
                 "controller gRPC address; $BARRAGE_CONTROLLER sets the default");
  }
  flags.String("token-file", &f.token_file, "", "FILE",
               "file holding the controller's bearer token");
  flags.String("tls-ca", &f.tls_ca, "", "FILE",
               "PEM CA to verify the controller with (turns on TLS)");
  flags.Bool("insecure", &f.insecure, insecure_help);
}

absl::Status ApplyRemoteFlags(const RemoteFlags& f, RemoteOptions& remote) {
  remote.controller = f.controller;
  remote.insecure = f.insecure;
  return ReadFlagFiles({{"--token-file", &f.token_file, &remote.token, true},
                        {"--tls-ca", &f.tls_ca, &remote.tls_ca_pem}});
}

int RunRun(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::atomic<int>* interrupt) {
  FlagSet flags = CommandFlags("run");
  int64_t local_agents = 0;
  int64_t workers = 0;
  std::string http_engine;
  RemoteFlags remote_flags;
  std::vector<std::string> out_specs;
  RemoteOptions remote;
  flags.Int("local", &local_agents, 0, 1, 64, "N",
            "run here: an embedded controller and N agent daemons on loopback");
  flags.Int("workers", &workers, 0, 1, 256, "W",
            "with --local: threads per agent (default: cores / agents)");
  flags.String("http-engine", &http_engine, "auto", "auto|curl",
               "with --local: the agents' HTTP client (auto: native HTTP/1.1 "
               "and HTTP/2 for http(s)://, libcurl otherwise)");
  DefineRemoteFlags(flags, remote_flags,
                    "allow plaintext to a non-loopback controller; with "
                    "--local: https targets without certificate checks");
  std::string target_url;
  flags.String("target", &target_url, DefaultTarget(), "URL",
               "run against URL instead of the scenario's target; "
               "$BARRAGE_TARGET sets the default");
  flags.Repeated("out", &out_specs, "KIND=FILE",
                 "also write the result as KIND (json, junit, html or csv) to FILE; "
                 "repeatable");
  flags.Bool("quiet", &remote.quiet, "no live progress; the summary and the exit code only");
  flags.Short('q', "quiet");
  const ParsedCommand parsed = ParseCommand("run", flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 1) {
    return UsageError("run", "give one scenario file", err);
  }
  const std::string& file = parsed.positional[0];
  const bool is_local = flags.Given("local");
  if (is_local && flags.Given("controller")) {
    return UsageError("run", "give --local N or --controller ADDR, not both", err);
  }
  LocalOptions local;
  local.agents = static_cast<int>(local_agents);
  local.workers_per_agent = static_cast<int>(workers);
  if (absl::StatusOr<HttpEngine> engine = ParseHttpEngine(http_engine); engine.ok()) {
    local.http_engine = *engine;
  } else {
    return UsageError("run", absl::StrCat("--http-engine: ", engine.status().message()), err);
  }
  for (const std::string& spec : out_specs) {
    absl::StatusOr<ReportOutput> output = ParseReportOutput(spec);
    if (!output.ok()) return UsageError("run", output.status().message(), err);
    // Before any load is sent: a result must not be lost at the end.
    if (absl::Status s = CheckWritableFile(output->path); !s.ok()) {
      err << "barrage run: --out " << s.message() << "\n";
      return kExitUsage;
    }
    remote.outputs.push_back(*std::move(output));
  }
  if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
    err << "barrage run: " << s.message() << "\n";
    return kExitUsage;
  }
  remote.interrupt = interrupt;
  // Data files are read (and checked) with the scenario, and uploaded.
  const char* source = flags.Given("target") ? "--target" : "$BARRAGE_TARGET";
  absl::StatusOr<LoadedScenario> loaded =
      PrepareScenario(file, target_url, source, is_local && remote_flags.insecure, "barrage run");
  if (!loaded.ok()) {
    err << loaded.status().message() << "\n";
    return kExitUsage;
  }
  Scenario* scenario = &loaded->scenario;
  remote.data = &loaded->data;
  if (!target_url.empty()) remote.target_source = source;
  if (is_local) return RunLocal(*scenario, file, local, remote, out, err);
  return RunRemote(*scenario, file, remote, out, err);
}

int RunControlCommand(const std::string& command, const std::vector<std::string>& args,
                      std::ostream& out, std::ostream& err) {
  FlagSet flags = CommandFlags(command);
  RemoteFlags remote_flags;
  DefineRemoteFlags(flags, remote_flags, kInsecureHelp);
  bool now = false;
  std::string format;
  RunsQuery runs_query;
  int64_t runs_limit = 0;
  const bool takes_run = command == "stop" || command == "report";
  if (command == "stop") flags.Bool("now", &now, "stop at once: abandon in-flight requests");
  std::string output;
  std::string baseline;
  if (command == "report") {
    flags.String("format", &format, "text", "text|json|junit|html|csv",
                 "the summary as at the end of a run, the result JSON, JUnit XML, the "
                 "HTML report or the time series as CSV");
    flags.String("output", &output, "", "FILE", "write the report to FILE, not stdout");
    flags.Short('o', "output");
    flags.String("baseline", &baseline, "", "FILE",
                 "html: a baseline result JSON whose latency distribution is overlaid");
  }
  if (command == "runs") {
    flags.String("scenario", &runs_query.scenario, "", "NAME", "only the runs of scenario NAME");
    flags.Int("limit", &runs_limit, runs_query.limit, 1, 10'000, "N", "the newest N runs");
  }
  const ParsedCommand parsed = ParseCommand(command, flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  runs_query.limit = static_cast<int>(runs_limit);
  if (parsed.positional.size() > (takes_run ? 1 : 0)) {
    return UsageError(command,
                      absl::StrCat("unexpected argument '", parsed.positional.back(), "'"),
                      err);
  }
  const std::string run_id = parsed.positional.empty() ? "" : parsed.positional[0];
  absl::StatusOr<ReportFormat> report_format = ReportFormat::kText;
  if (command == "report") report_format = ParseReportFormat(format);
  if (!report_format.ok()) {
    return UsageError(command, absl::StrCat("--format: ", report_format.status().message()),
                      err);
  }
  if (command == "report" && run_id.empty()) {
    return UsageError(command, "give a run id (see barrage runs) or a result JSON file", err);
  }
  ReportOptions report_options;
  if (!baseline.empty()) {
    absl::StatusOr<std::string> json = ReadFile(baseline, size_t{256} << 20);
    if (!json.ok()) {
      return UsageError(command, absl::StrCat("--baseline: ", json.status().message()), err);
    }
    report_options.html.baseline_json = *std::move(json);
  }
  // A result file needs no controller: an argument naming a file is one.
  if (command == "report" && std::filesystem::is_regular_file(run_id)) {
    absl::StatusOr<std::string> json = ReadFile(run_id, size_t{256} << 20);
    if (!json.ok()) {
      err << "barrage report: " << json.status().message() << "\n";
      return kExitInternal;
    }
    return EmitReport(*report_format, *json, run_id, output, report_options, out, err);
  }
  RemoteOptions remote;
  if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
    err << "barrage " << command << ": " << s.message() << "\n";
    return kExitUsage;
  }
  if (command == "agents") return RunAgents(remote, out, err);
  if (command == "status") return RunStatus(remote, out, err);
  if (command == "runs") return RunRuns(remote, runs_query, out, err);
  if (command == "report") {
    return ShowReport(remote, run_id, *report_format, output, report_options, out, err);
  }
  return RunStop(remote, run_id, now, out, err);
}

}  // namespace barrage
