// Copyright 2026 The Barrage Authors.
//
// The search of `barrage capacity` (README "Capacity planning"): the
// highest load the service sustains within an SLO, found by real runs of
// the scenario, each judged by step_verdict.h.
//
//   1. Exponential: from `start`, x2 per step (capped at `max`) until a step
//      does not pass.
//   2. Bisection between the last passing and the first failing load (the
//      integer midpoint) until they are within `resolution` of the passing
//      one (2%), or the next step would not end before `deadline` (time is
//      kept for the confirmation).
//   3. Confirmation: one more step at the found load. If it does not pass,
//      the answer drops to the highest passing step below it (none: no
//      capacity found).
// An UNDECIDED step is extended: another run at the same load, its
// measured intervals pooled with the step's, up to `max_extensions` times
// (while the deadline allows); still undecided, it counts as not passing
// (the answer is never guessed upwards). A GENERATOR-BOUND step, or a load
// the fleet refuses (StepRunner's ResourceExhausted, an agent's --max-rate),
// stops the search: the answer is the highest passing load so far and is
// limited by the generator, with advice.
//
// The search owns nothing; the runner and the clock are borrowed for the
// call. One thread: SearchCapacity calls the runner and `on_step` in turn.
#ifndef BARRAGE_CONTROLLER_CAPACITY_SEARCH_H_
#define BARRAGE_CONTROLLER_CAPACITY_SEARCH_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "controller/capacity/step_verdict.h"

namespace barrage {

// What a step varies: the open model's arrival rate (requests/s) or the
// closed model's virtual users.
enum class LoadModel { kRate, kVus };
const char* LoadModelName(LoadModel model);  // "rate", "vus"

// One run the search asks for.
struct StepLoad {
  LoadModel model = LoadModel::kRate;
  int64_t load = 0;     // requests/s (kRate) or VUs (kVus); > 0
  int step = 0;         // the step's index in the search (the confirmation's too)
  int attempt = 0;      // 0: the step's first run; 1..: its extensions
  bool confirmation = false;
};

// One finished run of a step.
struct StepRun {
  std::string run_id;
  StepEvidence evidence;  // its measured intervals (warm-up left out) and agents
};

// Runs steps: the scenario with its stages replaced by a warm-up and a
// measured stage at the step's load. Called from the search's thread only.
class StepRunner {
 public:
  virtual ~StepRunner() = default;
  // ResourceExhausted when the fleet refuses the load (an agent's
  // --max-rate): the generator's limit, the message saying why. Any other
  // error stops the search with it.
  virtual absl::StatusOr<StepRun> Run(const StepLoad& load) = 0;
};

struct SearchOptions {
  LoadModel model = LoadModel::kRate;
  int64_t start = 10;          // the first step's load (> 0)
  int64_t max = 1'000'000;     // no step above it (>= start)
  double resolution = 0.02;    // stop when (fail - pass) <= resolution * pass
  absl::Duration deadline = absl::Minutes(10);  // for the whole search
  // How long a run takes (warm-up, measured stage, start-up), until one has
  // been timed: the deadline check uses the longest run seen so far.
  absl::Duration run_estimate = absl::Seconds(40);
  int max_extensions = 3;
  VerdictOptions verdict;
};

enum class LimitedBy { kService, kGenerator };
const char* LimitedByName(LimitedBy limited_by);  // "service", "generator"

// One step as judged, after its extensions.
struct StepRecord {
  int step = 0;
  LoadModel model = LoadModel::kRate;
  int64_t load = 0;
  bool confirmation = false;
  std::vector<std::string> run_ids;  // its runs, first to last
  StepJudgement judgement;           // of the pooled runs
  std::string refusal;               // the fleet refused the load: why ("": it ran)

  bool passed() const { return refusal.empty() && judgement.verdict == StepVerdict::kPass; }
  bool generator_bound() const {
    return !refusal.empty() || judgement.verdict == StepVerdict::kGenerator;
  }
  // The step's throughput: the offered rate (kRate), else the achieved one.
  double rps() const;
};

struct CapacityResult {
  bool found = false;          // some load passed (and held at confirmation)
  int64_t capacity_load = 0;   // the highest sustained load (rate or VUs)
  double capacity_rps = 0;     // its throughput (StepRecord::rps)
  // The capacity lies in [lo, hi] (rps): the sustained step's and the
  // lowest not-passing step's above it (hi == lo when --max was reached,
  // or when that VU step achieved less, past the USL's peak; for a
  // generator-bound answer, the load the generator could not drive).
  double interval_lo_rps = 0;
  double interval_hi_rps = 0;
  LimitedBy limited_by = LimitedBy::kService;
  std::string advice;          // generator-bound: what to add
  // Why the search ended: "resolution", "deadline", "max", "generator",
  // "first step failed".
  std::string stopped_by;
  std::vector<StepRecord> steps;          // in the order run, without the confirmation
  std::optional<StepRecord> confirmation;
  // The knee: the lightest step whose p95 is at least twice the lightest
  // step's (queueing has begun), and the heaviest step below it.
  std::optional<double> knee_rps;        // that step's rps
  std::optional<double> knee_before_rps;
};

// Reports each step (and the confirmation) once its verdict is final.
using StepObserver = std::function<void(const StepRecord&)>;

// Errors: InvalidArgument for bad options; else the runner's (not
// ResourceExhausted, which is an answer).
absl::StatusOr<CapacityResult> SearchCapacity(const SearchOptions& options, const Slo& slo,
                                              StepRunner& runner, Clock& clock,
                                              const StepObserver& on_step);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CAPACITY_SEARCH_H_
