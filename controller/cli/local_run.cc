// Copyright 2026 The Barrage Authors.

#include "controller/cli/local_run.h"

#include <unistd.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "agent/run_executor.h"
#include "common/clock.h"
#include "common/schedule.h"
#include "controller/cli/commands.h"
#include "controller/load_splitter.h"
#include "controller/run_merger.h"
#include "controller/run_result.h"

namespace barrage {
namespace {

std::string NewRunId(absl::Time now) {
  return absl::StrCat("r-", absl::FormatTime("%Y%m%d-%H%M%S", now, absl::UTCTimeZone()));
}

// Plan rate at t for the progress line.
double TargetRate(const Scenario& s, absl::Duration t) {
  const int stage = StageAt(s, t);
  if (stage < 0) return 0;
  const Stage& st = s.stages[static_cast<size_t>(stage)];
  if (!st.is_open()) return 0;
  absl::Duration start;
  for (int i = 0; i < stage; ++i) start += s.stages[static_cast<size_t>(i)].duration;
  const double f = absl::FDivDuration(t - start, st.duration);
  return st.rate_from.ToDouble() + (st.rate_to - st.rate_from).ToDouble() * f;
}

}  // namespace

int RunLocal(const Scenario& scenario, const LocalRunOptions& options,
             std::ostream& out, std::ostream& err) {
  const int agents = std::max(options.agents, 1);
  std::vector<AgentCapacity> capacities;
  for (int i = 0; i < agents; ++i) {
    capacities.push_back({absl::StrCat("local-", i + 1), 1});
  }
  Scenario adjusted = scenario;
  adjusted.agents.min = std::min(adjusted.agents.min, agents);
  absl::StatusOr<SplitPlan> plan = SplitLoad(adjusted, capacities);
  if (!plan.ok()) {
    err << "barrage run: " << plan.status().message() << "\n";
    return kExitCannotStart;
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = options.workers_per_agent > 0
                          ? options.workers_per_agent
                          : std::max(1, cores / agents);
  const absl::Time started_at = absl::Now();
  const std::string run_id = NewRunId(started_at);
  Clock& clock = SystemClock();

  std::mutex mu;
  RunMerger merger(run_id, scenario);
  std::vector<std::unique_ptr<RunExecutor>> executors;
  for (int i = 0; i < agents; ++i) {
    const Share& share = plan->shares[static_cast<size_t>(i)];
    AgentRunConfig config;
    config.run_id = run_id;
    config.agent_id = share.agent_id;
    config.scenario = scenario;
    config.period = plan->period;
    config.slots = share.slots;
    config.seed = 0x5eed0000u + static_cast<uint64_t>(i);
    config.workers = workers;
    config.http.http = scenario.http;
    config.http.insecure = options.insecure;
    absl::StatusOr<std::unique_ptr<RunExecutor>> ex =
        RunExecutor::Create(config, clock, CurlClients(config));
    if (!ex.ok()) {
      err << "barrage run: " << ex.status().message() << "\n";
      return kExitInternal;
    }
    executors.push_back(std::move(*ex));
  }
  if (!options.quiet) {
    out << "barrage run " << run_id << ": " << scenario.name << " -> "
        << scenario.target.url << ", " << agents << " local agent(s) x "
        << workers << " worker(s), " << HumanDuration(scenario.TotalDuration())
        << "\n";
    out.flush();
  }
  // All agents start together, 100 ms from now.
  const int64_t start_ns = clock.NowNs() + 100'000'000;
  for (auto& ex : executors) {
    ex->Start(start_ns, [&mu, &merger, &err](const v1::StatsReport& r) {
      std::lock_guard<std::mutex> lock(mu);
      if (absl::Status s = merger.Apply(r); !s.ok()) {
        err << "barrage run: report rejected: " << s.message() << "\n";
      }
    });
  }

  // Progress once a second until every agent sent its final report.
  const bool tty = isatty(STDOUT_FILENO) != 0;
  bool aborted = false;
  int stop_level = 0;
  uint64_t shown_requests = 0;
  while (true) {
    absl::SleepFor(absl::Milliseconds(200));
    if (options.interrupt != nullptr) {
      const int level = options.interrupt->load();
      if (level > stop_level) {
        stop_level = level;
        aborted = true;
        for (auto& ex : executors) ex->Stop(level >= 2);
        if (!options.quiet) out << (level >= 2 ? "\nstopping now\n" : "\nstopping: draining in-flight requests (Ctrl-C again to abandon them)\n");
      }
    }
    bool done = true;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& ex : executors) {
        auto it = merger.agents().find(ex->config().agent_id);
        done = done && it != merger.agents().end() && it->second.final_seen;
      }
      const uint64_t requests = merger.Requests(kAllRequests);
      if (!options.quiet && requests != shown_requests) {
        const absl::Duration elapsed = absl::Nanoseconds(clock.NowNs() - start_ns);
        const std::vector<uint64_t>& by = merger.requests_by_interval();
        const double last = by.size() >= 2 ? static_cast<double>(by[by.size() - 2]) : 0;
        const Histogram all = merger.Responses(kAllRequests);
        std::string line = absl::StrFormat(
            "%6.1fs/%s  target %.1f/s  achieved %.1f/s  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  requests %d  errors %d  dropped %d",
            absl::ToDoubleSeconds(elapsed), HumanDuration(scenario.TotalDuration()),
            TargetRate(scenario, elapsed), last, all.Quantile(0.5) / 1000.0,
            all.Quantile(0.95) / 1000.0, all.Quantile(0.99) / 1000.0, requests,
            merger.Errors(kAllRequests), merger.Dropped());
        out << (tty ? "\r\033[K" : "") << line << (tty ? "" : "\n");
        out.flush();
        shown_requests = requests;
      }
    }
    if (done) break;
  }
  for (auto& ex : executors) ex->Wait();
  if (!options.quiet && tty) out << "\n";

  RunReport report;
  report.run_id = run_id;
  report.started_at = started_at;
  report.duration_s = static_cast<double>(clock.NowNs() - start_ns) / 1e9;
  report.duration_s = std::min(report.duration_s, absl::ToDoubleSeconds(scenario.TotalDuration()) + 0.0);
  report.thresholds = EvaluateRunThresholds(scenario, merger, report.duration_s);
  report.status = StatusFor(report.thresholds, aborted);
  if (aborted) {
    report.events.push_back({report.duration_s, "aborted", "", "user stop"});
  }
  out << SummaryText(report, scenario, merger);
  if (!options.json_out.empty()) {
    std::ofstream f(options.json_out);
    f << ResultJson(report, scenario, merger);
    if (!f) {
      err << "barrage run: cannot write " << options.json_out << "\n";
      return kExitInternal;
    }
  }
  if (report.status == "aborted") return kExitAborted;
  if (report.status == "failed") return kExitThresholdFailed;
  return kExitPassed;
}

}  // namespace barrage
