// Copyright 2026 The Barrage Authors.

#include "controller/capacity/search.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

// The search's state over one call: the runner, the clock and the deadline.
class Search {
 public:
  Search(const SearchOptions& options, const Slo& slo, StepRunner& runner, Clock& clock,
         const StepObserver& on_step)
      : options_(options), slo_(slo), runner_(runner), clock_(clock), on_step_(on_step),
        start_ns_(clock.NowNs()), estimate_(options.run_estimate) {}

  absl::StatusOr<CapacityResult> Run() {
    CapacityResult r;
    // 1. Exponential.
    int64_t load = options_.start;
    std::optional<int64_t> pass, fail;
    while (true) {
      absl::StatusOr<StepRecord> step = RunStep(load, /*confirmation=*/false);
      if (!step.ok()) return step.status();
      r.steps.push_back(*step);
      if (step->generator_bound()) return GeneratorStop(std::move(r), *step, pass);
      if (!step->passed()) {
        fail = load;
        break;
      }
      pass = load;
      if (load >= options_.max) {
        r.stopped_by = "max";
        break;
      }
      if (!HasTimeFor(2)) {
        r.stopped_by = "deadline";
        break;
      }
      load = std::min(options_.max, load * 2);
    }
    if (!pass) {
      r.stopped_by = "first step failed";
      Finish(r);
      return r;
    }
    // 2. Bisection.
    while (fail && r.stopped_by.empty()) {
      if (static_cast<double>(*fail - *pass) <= options_.resolution * static_cast<double>(*pass) ||
          *fail - *pass <= 1) {
        r.stopped_by = "resolution";
        break;
      }
      if (!HasTimeFor(2)) {
        r.stopped_by = "deadline";
        break;
      }
      const int64_t mid = *pass + (*fail - *pass) / 2;
      absl::StatusOr<StepRecord> step = RunStep(mid, /*confirmation=*/false);
      if (!step.ok()) return step.status();
      r.steps.push_back(*step);
      if (step->generator_bound()) return GeneratorStop(std::move(r), *step, pass);
      (step->passed() ? pass : fail) = mid;
    }
    // 3. Confirmation.
    absl::StatusOr<StepRecord> confirm = RunStep(*pass, /*confirmation=*/true);
    if (!confirm.ok()) return confirm.status();
    r.confirmation = *confirm;
    if (confirm->passed()) {
      SetAnswer(r, *pass, fail);
    } else {
      // The last passing step below it, the confirmed load being the first failure.
      std::optional<int64_t> below;
      for (const StepRecord& s : r.steps) {
        if (s.passed() && s.load < *pass && (!below || s.load > *below)) below = s.load;
      }
      if (confirm->generator_bound()) {
        r.limited_by = LimitedBy::kGenerator;
        r.advice = Advice(*confirm);
      }
      if (below) SetAnswer(r, *below, *pass);
    }
    Finish(r);
    return r;
  }

 private:
  // Whether `runs` more runs end before the deadline.
  bool HasTimeFor(int runs) const {
    const absl::Duration elapsed = absl::Nanoseconds(clock_.NowNs() - start_ns_);
    return elapsed + runs * estimate_ <= options_.deadline;
  }

  // The step at `load`: its runs (the first and its extensions) pooled.
  absl::StatusOr<StepRecord> RunStep(int64_t load, bool confirmation) {
    StepRecord rec;
    rec.step = next_step_++;
    rec.model = options_.model;
    rec.load = load;
    rec.confirmation = confirmation;
    StepEvidence pooled;
    for (int attempt = 0; attempt <= options_.max_extensions; ++attempt) {
      if (attempt > 0 && !HasTimeFor(confirmation ? 1 : 2)) break;
      StepLoad ask{options_.model, load, rec.step, attempt, confirmation};
      const int64_t before = clock_.NowNs();
      absl::StatusOr<StepRun> run = runner_.Run(ask);
      estimate_ = std::max(estimate_, absl::Nanoseconds(clock_.NowNs() - before));
      if (absl::IsResourceExhausted(run.status())) {
        rec.refusal = std::string(run.status().message());
        rec.judgement.verdict = StepVerdict::kGenerator;
        rec.judgement.reason = rec.refusal;
        rec.judgement.advice = absl::StrCat("add agents: ", rec.refusal);
        break;
      }
      if (!run.ok()) return run.status();
      rec.run_ids.push_back(run->run_id);
      if (absl::Status s = PoolEvidence(run->evidence, pooled); !s.ok()) return s;
      rec.judgement = JudgeStep(pooled, slo_, options_.verdict);
      if (rec.judgement.verdict != StepVerdict::kUndecided) break;
    }
    if (on_step_) on_step_(rec);
    return rec;
  }

  static std::string Advice(const StepRecord& step) {
    return step.judgement.advice.empty() ? "add agents or workers" : step.judgement.advice;
  }

  void SetAnswer(CapacityResult& r, int64_t load, std::optional<int64_t> fail) const {
    r.found = true;
    r.capacity_load = load;
    const StepRecord* at = Find(r, load);
    r.capacity_rps = at != nullptr ? at->rps() : static_cast<double>(load);
    r.interval_lo_rps = r.capacity_rps;
    const StepRecord* above = fail ? Find(r, *fail) : nullptr;
    r.interval_hi_rps = above != nullptr ? above->rps()
                        : fail          ? static_cast<double>(*fail)
                                        : r.capacity_rps;
    // VU steps past the USL's peak achieve less at more VUs: the failing
    // step's rate can be below the sustained one's, which is then both ends.
    r.interval_hi_rps = std::max(r.interval_hi_rps, r.capacity_rps);
  }

  // The last passing step at `load` (the confirmation first), else any step there.
  static const StepRecord* Find(const CapacityResult& r, int64_t load) {
    if (r.confirmation && r.confirmation->load == load && r.confirmation->passed()) {
      return &*r.confirmation;
    }
    const StepRecord* any = nullptr;
    for (const StepRecord& s : r.steps) {
      if (s.load != load) continue;
      if (s.passed()) return &s;
      any = &s;
    }
    return any;
  }

  absl::StatusOr<CapacityResult> GeneratorStop(CapacityResult r, const StepRecord& step,
                                               std::optional<int64_t> pass) const {
    r.limited_by = LimitedBy::kGenerator;
    r.advice = Advice(step);
    r.stopped_by = "generator";
    if (pass) {
      SetAnswer(r, *pass, std::nullopt);
      // The service's capacity is above what the generator could drive.
      r.interval_hi_rps = std::max(r.capacity_rps, step.rps());
    }
    Finish(r);
    return r;
  }

  static void Finish(CapacityResult& r) {
    std::vector<const StepRecord*> by_load;
    for (const StepRecord& s : r.steps) {
      if (s.refusal.empty() && s.judgement.requests > 0) by_load.push_back(&s);
    }
    std::stable_sort(by_load.begin(), by_load.end(),
                     [](const StepRecord* a, const StepRecord* b) { return a->load < b->load; });
    if (by_load.empty()) return;
    const double base = by_load.front()->judgement.p95_ms.value;
    for (size_t k = 1; k < by_load.size(); ++k) {
      if (by_load[k]->judgement.p95_ms.value >= 2 * base) {
        r.knee_rps = by_load[k]->rps();
        r.knee_before_rps = by_load[k - 1]->rps();
        return;
      }
    }
  }

  const SearchOptions& options_;
  const Slo& slo_;
  StepRunner& runner_;
  Clock& clock_;
  const StepObserver& on_step_;
  const int64_t start_ns_;
  absl::Duration estimate_;
  int next_step_ = 0;
};

}  // namespace

const char* LoadModelName(LoadModel model) {
  return model == LoadModel::kRate ? "rate" : "vus";
}

const char* LimitedByName(LimitedBy limited_by) {
  return limited_by == LimitedBy::kService ? "service" : "generator";
}

double StepRecord::rps() const {
  if (model == LoadModel::kRate) return static_cast<double>(load);
  return judgement.achieved_rps;
}

absl::StatusOr<CapacityResult> SearchCapacity(const SearchOptions& options, const Slo& slo,
                                              StepRunner& runner, Clock& clock,
                                              const StepObserver& on_step) {
  if (options.start <= 0) return absl::InvalidArgumentError("--start: must be > 0");
  if (options.max < options.start) {
    return absl::InvalidArgumentError("--max: must be at least --start");
  }
  if (options.resolution <= 0 || options.resolution >= 1) {
    return absl::InvalidArgumentError("resolution: must lie in (0, 1)");
  }
  if (options.max_extensions < 0) {
    return absl::InvalidArgumentError("max_extensions: must be >= 0");
  }
  return Search(options, slo, runner, clock, on_step).Run();
}

}  // namespace barrage
