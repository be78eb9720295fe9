// Copyright 2026 The Barrage Authors.

#include "controller/cli/capacity_command.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/scenario/fields.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader.h"
#include "common/util/clock.h"
#include "common/util/exit_codes.h"
#include "common/util/files.h"
#include "controller/capacity/capacity_analysis.h"
#include "controller/capacity/capacity_output.h"
#include "controller/capacity/projection.h"
#include "controller/cli/commands.h"
#include "controller/cli/local_run.h"
#include "controller/cli/remote_run.h"
#include "controller/cli/run_command.h"
#include "controller/report/capacity_html.h"

namespace barrage {
namespace {

constexpr char kCommand[] = "capacity";

// One --out value: json=FILE (the JSON answer) or html=FILE (its report).
struct CapacityOutput {
  bool html = false;
  std::string path;
};

absl::StatusOr<CapacityOutput> ParseCapacityOutput(const std::string& spec) {
  for (const bool html : {false, true}) {
    const std::string kind = html ? "html=" : "json=";
    if (absl::StartsWith(spec, kind) && spec.size() > kind.size()) {
      return CapacityOutput{html, spec.substr(kind.size())};
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--out: '", spec, "' is not json=FILE or html=FILE"));
}

// Writes `text` to a temporary file beside `path`, then renames it over
// `path`: a reader sees the old file or the whole new one, never a part.
absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = absl::StrCat(path, ".tmp-", ::getpid());
  {
    std::ofstream f(temporary, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temporary, " to ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// Runs each step as `barrage run` would (RunRemote), quietly, and reads its
// result's evidence. The fleet (for --local) is borrowed.
class RemoteStepRunner final : public StepRunner {
 public:
  RemoteStepRunner(const Scenario& base, std::string file, RemoteOptions remote,
                   absl::Duration warmup, absl::Duration step, const LocalFleet* fleet)
      : base_(base), file_(std::move(file)), remote_(std::move(remote)), warmup_(warmup),
        step_(step), fleet_(fleet) {}

  absl::StatusOr<StepRun> Run(const StepLoad& load) override {
    if (remote_.interrupt != nullptr && remote_.interrupt->load() > 0) {
      return absl::CancelledError("interrupted");
    }
    absl::StatusOr<Scenario> s = StepScenario(base_, load, warmup_, step_);
    if (!s.ok()) return s.status();
    RemoteOptions options = remote_;
    options.quiet = true;
    options.outputs.clear();
    std::string run_id, result_json;
    options.on_result = [&](const std::string& id, const std::string& json) {
      run_id = id;
      result_json = json;
    };
    std::ostringstream out, err;  // the step's own summary is not shown
    const int code =
        RunRemote(fleet_ != nullptr ? fleet_->ForFleet(*s) : *s, file_, options, out, err);
    // Why a run did not start or end: the CLI's error, else its summary.
    std::string why(absl::StripAsciiWhitespace(err.str()));
    if (why.empty()) why = std::string(absl::StripAsciiWhitespace(out.str()));
    const bool max_rate = absl::StrContains(err.str(), "max-rate") ||
                          absl::StrContains(out.str(), "max-rate");
    if (remote_.interrupt != nullptr && remote_.interrupt->load() > 0) {
      return absl::CancelledError("interrupted");
    }
    if (code == kExitCannotStart) {
      // An agent's --max-rate below its share is the generator's limit.
      if (max_rate) return absl::ResourceExhaustedError(why);
      return absl::UnavailableError(why);
    }
    if ((code != kExitPassed && code != kExitThresholdFailed) || result_json.empty()) {
      return absl::InternalError(absl::StrCat("step run ", run_id, " exited ", code, ": ", why));
    }
    absl::StatusOr<StepEvidence> evidence =
        EvidenceFromResultJson(result_json, absl::ToDoubleSeconds(warmup_),
                               absl::ToDoubleSeconds(warmup_ + step_));
    if (!evidence.ok()) {
      return absl::Status(evidence.status().code(),
                          absl::StrCat("run ", run_id, ": ", evidence.status().message()));
    }
    return StepRun{run_id, *std::move(evidence)};
  }

 private:
  const Scenario& base_;
  const std::string file_;
  const RemoteOptions remote_;
  const absl::Duration warmup_;
  const absl::Duration step_;
  const LocalFleet* const fleet_;
};

// "400", "400/s" (rate), or a whole number of VUs.
absl::StatusOr<int64_t> ParseLoad(absl::string_view flag, absl::string_view text,
                                  LoadModel model) {
  absl::string_view number = text;
  if (model == LoadModel::kRate) absl::ConsumeSuffix(&number, "/s");
  int64_t n = 0;
  if (!absl::SimpleAtoi(number, &n) || n < 1 || n > 10'000'000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": '", text, "' is not ",
        model == LoadModel::kRate ? "a whole rate from 1 to 10000000, like 100 or 100/s"
                                  : "a whole number of VUs from 1 to 10000000"));
  }
  return n;
}

absl::StatusOr<absl::Duration> ParseFlagDuration(absl::string_view flag, absl::string_view text,
                                                 bool zero_ok) {
  absl::StatusOr<absl::Duration> d = ParseDurationField(text);
  if (!d.ok()) return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", d.status().message()));
  if (!zero_ok && *d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": must be > 0"));
  }
  return *d;
}

}  // namespace

absl::StatusOr<Scenario> StepScenario(const Scenario& base, const StepLoad& load,
                                      absl::Duration warmup, absl::Duration step) {
  Scenario s = base;
  absl::Duration think;
  for (const Stage& st : base.stages) {
    if (!st.is_open()) {
      think = st.think;
      break;
    }
  }
  Stage measured;
  if (load.model == LoadModel::kRate) {
    measured.kind = Stage::Kind::kRate;
    measured.rate_from = measured.rate_to = Rational::FromInt(load.load);
  } else {
    measured.kind = Stage::Kind::kVus;
    measured.vus_from = measured.vus_to = load.load;
    measured.think = think;
  }
  measured.duration = step;
  s.stages.clear();
  if (warmup > absl::ZeroDuration()) {
    Stage w = measured;
    w.duration = warmup;
    w.warmup = true;
    s.stages.push_back(w);
  }
  s.stages.push_back(measured);
  s.thresholds.clear();
  if (absl::Status v = ValidateScenario(s); !v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("step at ", load.load, load.model == LoadModel::kRate ? "/s" : " VUs", ": ",
                     v.message()));
  }
  return s;
}

int RunCapacity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                const std::atomic<int>* interrupt) {
  FlagSet flags = CommandFlags(kCommand);
  std::string slo_text, start_text, max_text, step_text, warmup_text, model_text, deadline_text;
  std::string http_engine, target_url;
  std::string growth_text, peak_text, baseline_text, times_text;
  int64_t local_agents = 0, workers = 0;
  std::vector<std::string> out_specs;
  RemoteFlags remote_flags;
  flags.String("slo", &slo_text, "", "LIMITS",
               "what a step must meet, like 'p95<200ms,error_rate<1%' (p50, p95, p99, error_rate)");
  flags.String("start", &start_text, "10", "R", "the first step's rate (/s), or VUs with --model vus");
  flags.String("max", &max_text, "", "R", "no step above R (default 10000000)");
  flags.String("step", &step_text, "30s", "D", "each step's measured stage");
  flags.String("warmup", &warmup_text, "5s", "D", "each step's warm-up, discarded (0s: none)");
  flags.String("model", &model_text, "rate", "rate|vus",
               "what the steps vary: the arrival rate (open model) or the VUs (closed)");
  flags.String("deadline", &deadline_text, "10m", "D",
               "end the search by then (the confirmation run included)");
  flags.Int("local", &local_agents, 0, 1, 64, "N",
            "run here: an embedded controller and N agent daemons on loopback");
  flags.Int("workers", &workers, 0, 1, 256, "W",
            "with --local: threads per agent (default: cores / agents)");
  flags.String("http-engine", &http_engine, "auto", "auto|curl",
               "with --local: the agents' HTTP client");
  DefineRemoteFlags(flags, remote_flags,
                    "allow plaintext to a non-loopback controller; with "
                    "--local: https targets without certificate checks");
  flags.String("target", &target_url, DefaultTarget(), "URL",
               "search against URL instead of the scenario's target; "
               "$BARRAGE_TARGET sets the default");
  flags.String("growth", &growth_text, "", "G",
               "with --peak: when the headroom runs out at G compound growth, like 8%/month");
  flags.String("peak", &peak_text, "", "R", "with --growth: today's peak rate, like 500/min");
  flags.String("baseline", &baseline_text, "", "R",
               "check that --times x R is sustained, like 200/min");
  flags.String("times", &times_text, "10", "K", "with --baseline: the factor (default 10)");
  flags.Repeated("out", &out_specs, "json=FILE|html=FILE",
                 "also write the answer as JSON, or as the HTML report, to FILE (repeatable)");
  const ParsedCommand parsed = ParseCommand(kCommand, flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 1) return UsageError(kCommand, "give one scenario file", err);
  const std::string& file = parsed.positional[0];
  const bool is_local = flags.Given("local");
  if (is_local && flags.Given("controller")) {
    return UsageError(kCommand, "give --local N or --controller ADDR, not both", err);
  }
  if (!flags.Given("slo")) return UsageError(kCommand, "give --slo, like 'p95<200ms'", err);
  absl::StatusOr<Slo> slo = ParseSlo(slo_text);
  if (!slo.ok()) return UsageError(kCommand, absl::StrCat("--slo: ", slo.status().message()), err);

  CapacityAnalysisOptions analysis;
  if (flags.Given("growth") != flags.Given("peak")) {
    return UsageError(kCommand, "give --growth and --peak together", err);
  }
  if (flags.Given("growth")) {
    absl::StatusOr<double> growth = ParseMonthlyGrowth(growth_text);
    if (!growth.ok()) {
      return UsageError(kCommand, absl::StrCat("--growth: ", growth.status().message()), err);
    }
    absl::StatusOr<double> peak = ParseRatePerSecond(peak_text);
    if (!peak.ok()) {
      return UsageError(kCommand, absl::StrCat("--peak: ", peak.status().message()), err);
    }
    analysis.monthly_growth = *growth;
    analysis.peak_rps = *peak;
  }
  if (flags.Given("times") && !flags.Given("baseline")) {
    return UsageError(kCommand, "--times needs --baseline", err);
  }
  if (flags.Given("baseline")) {
    absl::StatusOr<double> baseline = ParseRatePerSecond(baseline_text);
    if (!baseline.ok()) {
      return UsageError(kCommand, absl::StrCat("--baseline: ", baseline.status().message()),
                        err);
    }
    analysis.baseline_rps = *baseline;
    double times = 0;
    if (!absl::SimpleAtod(times_text, &times) || !(times > 0) || !std::isfinite(times)) {
      return UsageError(kCommand,
                        absl::StrCat("--times: '", times_text, "' is not a number > 0, like 10"),
                        err);
    }
    analysis.baseline_factor = times;
  }

  SearchOptions search;
  if (model_text == "vus") {
    search.model = LoadModel::kVus;
  } else if (model_text != "rate") {
    return UsageError(kCommand, absl::StrCat("--model: '", model_text, "' is not rate or vus"),
                      err);
  }
  absl::StatusOr<int64_t> start = ParseLoad("start", start_text, search.model);
  if (!start.ok()) return UsageError(kCommand, start.status().message(), err);
  search.start = *start;
  search.max = 10'000'000;
  if (flags.Given("max")) {
    absl::StatusOr<int64_t> max = ParseLoad("max", max_text, search.model);
    if (!max.ok()) return UsageError(kCommand, max.status().message(), err);
    if (*max < search.start) return UsageError(kCommand, "--max: must be at least --start", err);
    search.max = *max;
  }
  absl::StatusOr<absl::Duration> step = ParseFlagDuration("step", step_text, false);
  absl::StatusOr<absl::Duration> warmup = ParseFlagDuration("warmup", warmup_text, true);
  absl::StatusOr<absl::Duration> deadline = ParseFlagDuration("deadline", deadline_text, false);
  for (const absl::Status& s : {step.status(), warmup.status(), deadline.status()}) {
    if (!s.ok()) return UsageError(kCommand, s.message(), err);
  }
  search.deadline = *deadline;
  // A run's start-up (the plan, the agents' start delay) and result.
  search.run_estimate = *warmup + *step + absl::Seconds(2);

  std::vector<CapacityOutput> outputs;
  for (const std::string& spec : out_specs) {
    absl::StatusOr<CapacityOutput> o = ParseCapacityOutput(spec);
    if (!o.ok()) return UsageError(kCommand, o.status().message(), err);
    if (absl::Status s = CheckWritableFile(o->path); !s.ok()) {
      err << "barrage capacity: --out " << s.message() << "\n";
      return kExitUsage;
    }
    outputs.push_back(*std::move(o));
  }
  LocalOptions local;
  local.agents = static_cast<int>(local_agents);
  local.workers_per_agent = static_cast<int>(workers);
  if (absl::StatusOr<HttpEngine> engine = ParseHttpEngine(http_engine); engine.ok()) {
    local.http_engine = *engine;
  } else {
    return UsageError(kCommand, absl::StrCat("--http-engine: ", engine.status().message()), err);
  }
  RemoteOptions remote;
  if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
    err << "barrage capacity: " << s.message() << "\n";
    return kExitUsage;
  }
  remote.interrupt = interrupt;
  absl::StatusOr<LoadedScenario> loaded =
      PrepareScenario(file, target_url, flags.Given("target") ? "--target" : "$BARRAGE_TARGET",
                      is_local && remote_flags.insecure, "barrage capacity");
  if (!loaded.ok()) {
    err << loaded.status().message() << "\n";
    return kExitUsage;
  }
  Scenario* scenario = &loaded->scenario;
  remote.data = &loaded->data;
  for (int64_t load : {search.start, search.max}) {
    absl::StatusOr<Scenario> probe =
        StepScenario(*scenario, StepLoad{search.model, load}, *warmup, *step);
    if (!probe.ok()) {
      err << "barrage capacity: " << file << ": " << probe.status().message() << "\n";
      return kExitUsage;
    }
  }

  if (scenario->monitor) {
    for (const MonitorQuery& q : scenario->monitor->queries) {
      analysis.monitors.push_back({q.name, q.saturation});
    }
  }

  std::unique_ptr<LocalFleet> fleet;
  if (is_local) {
    absl::StatusOr<std::unique_ptr<LocalFleet>> started = LocalFleet::Start(local);
    if (!started.ok()) {
      err << "barrage capacity: " << started.status().message() << "\n";
      return kExitCannotStart;
    }
    fleet = *std::move(started);
    remote.controller = fleet->controller_target();
  }
  out << "barrage capacity: " << scenario->name << " -> " << scenario->target.url << ", SLO "
      << slo->text << ", " << LoadModelName(search.model) << " steps from " << search.start
      << (search.model == LoadModel::kRate ? "/s" : " VUs") << " (x2, then bisection to "
      << search.resolution * 100 << "%), " << absl::FormatDuration(*warmup) << " warm-up + "
      << absl::FormatDuration(*step) << " each, deadline " << absl::FormatDuration(*deadline)
      << (is_local ? absl::StrCat(", --local ", local.agents) : absl::StrCat(", controller ", remote.controller))
      << std::endl;
  RemoteStepRunner runner(*scenario, file, remote, *warmup, *step, fleet.get());
  const StepObserver progress = [&out](const StepRecord& s) {
    out << StepProgressLine(s) << std::endl;
  };
  absl::StatusOr<CapacityResult> result =
      SearchCapacity(search, *slo, runner, SystemClock(), progress);
  fleet.reset();
  if (!result.ok()) {
    err << "barrage capacity: " << result.status().message() << "\n";
    if (absl::IsCancelled(result.status())) return kExitAborted;
    if (absl::IsInvalidArgument(result.status())) return kExitUsage;
    return absl::IsUnavailable(result.status()) ? kExitCannotStart : kExitInternal;
  }
  const CapacityHooks hooks = AnalyseCapacity(*result, *slo, analysis);
  out << "\n" << CapacityText(*result, *slo, hooks);
  if (!outputs.empty()) {
    const std::string json = CapacityJson(*result, *slo, hooks);
    bool written = true;
    for (const CapacityOutput& o : outputs) {
      absl::StatusOr<std::string> text = o.html ? CapacityHtml(json) : json;
      absl::Status s = text.ok() ? WriteFileAtomically(o.path, *text) : text.status();
      if (!s.ok()) {
        err << "barrage capacity: --out " << (o.html ? "html=" : "json=") << o.path << ": "
            << s.message() << "\n";
        written = false;
      }
    }
    if (!written) return kExitInternal;
  }
  return CapacityExitCode(*result);
}

}  // namespace barrage
