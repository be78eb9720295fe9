// Copyright 2026 The Barrage Authors.

#include "controller/run/run_coordinator.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/stats/histogram_codec.h"
#include "common/scenario/codec.h"
#include "common/scenario/schedule.h"
#include "controller/report/run_metrics.h"
#include "controller/report/summary_text.h"
#include "common/util/exit_codes.h"

namespace barrage {
namespace {

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

}  // namespace

uint64_t AssignmentSeed(const std::string& run_id, size_t index) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : run_id) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  return h + index * 0x9e3779b97f4a7c15ULL;
}

RunCoordinator::RunCoordinator(AgentRegistry& registry, Clock& clock,
                               CoordinatorOptions options)
    : registry_(registry),
      clock_(clock),
      options_(std::move(options)),
      writer_(options_.store != nullptr || !options_.data_dir.empty()
                  ? std::make_unique<ResultWriter>(options_.store, options_.data_dir)
                  : nullptr) {}

RunCoordinator::~RunCoordinator() { Shutdown(); }

void RunCoordinator::Shutdown() {
  if (writer_) writer_->Shutdown();
  std::vector<std::unique_ptr<MonitorSampler>> retired;
  {
    absl::MutexLock lock(&mu_);
    retired.swap(retired_samplers_);
    if (run_ && run_->sampler) run_->sampler->Stop();
  }
  retired.clear();  // joins their threads
}

std::string RunCoordinator::NewRunId() {
  const std::string when =
      absl::FormatTime("%Y%m%d-%H%M%S", clock_.WallTime(), absl::UTCTimeZone());
  // The random part comes from the OS (not the Clock), so two controllers,
  // or one before and after a restart, do not repeat each other's ids.
  std::random_device random;
  std::string id;
  do {
    id = absl::StrFormat("r-%s-%08x", when, static_cast<uint32_t>(random()));
  } while (id == last_run_id_);
  last_run_id_ = id;
  return id;
}

absl::StatusOr<std::shared_ptr<EventQueue>> RunCoordinator::StartRun(
    Scenario scenario, std::string file) {
  absl::MutexLock lock(&mu_);
  if (run_ && !IsTerminal(run_->state)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "run ", run_->id, " (", run_->scenario.name, ") is ",
        RunStateName(run_->state), "; this controller runs one at a time"));
  }
  if (absl::Status data = CheckDataUploaded(scenario); !data.ok()) return data;
  run_ = std::make_unique<Active>();
  run_->id = NewRunId();
  run_->file = std::move(file);
  run_->scenario = std::move(scenario);
  run_->events = std::make_shared<EventQueue>();
  run_->created_ns = clock_.NowNs();
  run_->live_thresholds.resize(run_->scenario.thresholds.size());
  for (size_t i = 0; i < run_->live_thresholds.size(); ++i) {
    run_->live_thresholds[i].expression = run_->scenario.thresholds[i].Expression();
    run_->live_thresholds[i].no_data = true;
  }
  std::shared_ptr<EventQueue> events = run_->events;
  // Start at once if enough agents are already here.
  if (static_cast<int>(registry_.IdleMatching(run_->scenario.agents.select_labels).size()) >=
      run_->scenario.agents.min) {
    Apply(RunEventKind::kAgentsReady);
  }
  return events;
}

absl::Status RunCoordinator::StopRun(const std::string& run_id, bool immediate) {
  absl::MutexLock lock(&mu_);
  if (!run_ || IsTerminal(run_->state) || (!run_id.empty() && run_id != run_->id)) {
    return absl::NotFoundError(run_id.empty() ? "no run is active"
                                              : absl::StrCat("run ", run_id, " is not active"));
  }
  Notice("stop_requested", "", immediate ? "immediate" : "graceful");
  if (immediate && run_->state == RunState::kAborting) {
    SendStop(true, "user");
    return absl::OkStatus();
  }
  Apply(RunEventKind::kStopRequested);
  if (immediate) SendStop(true, "user");
  return absl::OkStatus();
}

void RunCoordinator::Notice(const std::string& kind, const std::string& agent,
                            const std::string& action) {
  const double at = ElapsedS();
  run_->log.push_back({at, kind, agent, action});
  v1::RunEvent e;
  v1::RunEvent::Notice* n = e.mutable_event();
  n->set_at_s(at);
  n->set_kind(kind);
  n->set_agent(agent);
  n->set_detail(action);
  run_->events->Push(std::move(e));
}

double RunCoordinator::ElapsedS() const {
  if (run_->zero_ns == 0) return 0;
  return std::max<double>(0, static_cast<double>(clock_.NowNs() - run_->zero_ns) / 1e9);
}

std::vector<ThresholdResult> RunCoordinator::CurrentThresholds() {
  std::vector<ThresholdResult> out = run_->live_thresholds;
  if (!run_->merger) return out;
  for (size_t i = 0; i < run_->scenario.thresholds.size(); ++i) {
    const Threshold& t = run_->scenario.thresholds[i];
    if (!t.whole_run) continue;
    out[i] = t.metric == ThresholdMetric::kMonitor
                 ? JudgeMonitor(t, 0, ElapsedS())
                 : EvaluateThreshold(
                       t, run_->merger->ThresholdRunView(t, std::max(ElapsedS(), 1e-9)));
  }
  return out;
}

void RunCoordinator::Publish() {
  if (options_.metrics == nullptr) return;
  RunMetricsView v;
  v.run_id = run_->id;
  v.scenario = &run_->scenario;
  v.merged = run_->merger.get();
  v.state = RunStateName(run_->state);
  v.previous_state = run_->published_state;
  v.target_rps = run_->zero_ns == 0 || IsTerminal(run_->state)
                     ? 0
                     : PlanRateAt(run_->scenario, absl::Nanoseconds(clock_.NowNs() - run_->zero_ns));
  v.virtual_users = run_->last_progress.active_vus();
  v.agents_in_run = IsTerminal(run_->state) ? 0 : static_cast<int>(run_->live.size());
  v.thresholds = CurrentThresholds();
  PublishRunMetrics(*options_.metrics, v);
  run_->published_state = v.state;
}

void RunCoordinator::Apply(RunEventKind event) {
  const RunTransition t = NextRunState(run_->state, event);
  if (t.action == RunAction::kIgnore) return;
  const bool changed = run_->state != t.next;
  run_->state = t.next;
  if (t.next == RunState::kRunning) run_->reached_running = true;
  if (changed && !IsTerminal(t.next)) Publish();
  switch (t.action) {
    case RunAction::kSplitAndStart:
      SplitAndStart();
      break;
    case RunAction::kFailToStart:
      Finish();
      break;
    case RunAction::kStopAgents:
      run_->stop_ns = clock_.NowNs();
      SendStop(false, event == RunEventKind::kPlanElapsed ? "plan_done" : "user");
      break;
    case RunAction::kAbortAgents:
      run_->stop_ns = clock_.NowNs();
      SendStop(true, event == RunEventKind::kAbortThreshold ? "abort_threshold"
                     : event == RunEventKind::kStopRequested ? "user"
                                                             : "agent_loss");
      if (IsTerminal(run_->state)) Finish();
      break;
    case RunAction::kFinish:
      Finish();
      break;
    case RunAction::kNone:
    case RunAction::kApplyLossPolicy:
    case RunAction::kIgnore:
      break;
  }
}

void RunCoordinator::SplitAndStart() {
  std::vector<AgentInfo> idle = registry_.IdleMatching(run_->scenario.agents.select_labels);
  std::vector<AgentCapacity> capacities;
  for (const AgentInfo& a : idle) {
    capacities.push_back({a.id, a.capacity, a.max_in_flight});
    run_->max_in_flight[a.id] = a.max_in_flight;
  }
  absl::StatusOr<SplitPlan> plan = SplitLoad(run_->scenario, capacities);
  if (!plan.ok()) {
    run_->error = std::string(plan.status().message());
    run_->state = RunState::kFailed;
    Finish();
    return;
  }
  const int64_t now = clock_.NowNs();
  run_->start_sent_ns = now;
  run_->zero_ns = now + options_.start_delay_ns;
  run_->started_at = clock_.WallTime() + absl::Nanoseconds(options_.start_delay_ns);
  run_->merger = std::make_unique<RunMerger>(run_->id, run_->scenario);
  run_->period = plan->period;
  StartMonitor();
  StartDealers();
  const v1::ScenarioSpec spec = AgentSpec(run_->scenario);
  v1::RunEvent accepted;
  accepted.mutable_accepted()->set_run_id(run_->id);
  for (size_t i = 0; i < plan->shares.size(); ++i) {
    const Share& share = plan->shares[i];
    std::shared_ptr<AgentHandle> handle = registry_.Handle(share.agent_id);
    if (!handle) continue;
    registry_.SetRun(share.agent_id, run_->id);
    v1::ControllerMessage msg;
    v1::StartRun* start = msg.mutable_start_run();
    start->set_run_id(run_->id);
    *start->mutable_scenario() = spec;
    v1::Assignment* a = start->mutable_assignment();
    a->set_index(static_cast<int32_t>(i));
    a->set_period(plan->period);
    for (int64_t slot : share.slots) a->add_slots(slot);
    a->set_seed(AssignmentSeed(run_->id, i));
    a->set_agents_in_run(static_cast<int32_t>(plan->shares.size()));
    start->set_start_delay_ms(options_.start_delay_ns / 1'000'000);
    SendDataFiles(*handle);
    handle->Send(msg);
    run_->agents.push_back(share.agent_id);
    run_->live.insert(share.agent_id);
    run_->slots[share.agent_id] = share.slots;
    accepted.mutable_accepted()->add_agents(share.agent_id);
    for (const AgentInfo& info : idle) {
      if (info.id == share.agent_id) run_->versions[info.id] = info.version;
    }
  }
  run_->events->Push(std::move(accepted));
}

void RunCoordinator::SendStop(bool immediate, const std::string& reason) {
  v1::ControllerMessage msg;
  msg.mutable_stop_run()->set_run_id(run_->id);
  msg.mutable_stop_run()->set_reason(reason);
  msg.mutable_stop_run()->set_immediate(immediate);
  for (const std::string& id : Takers()) {
    if (auto h = registry_.Handle(id)) h->Send(msg);
  }
}

void RunCoordinator::OnStats(const v1::StatsReport& report) {
  absl::MutexLock lock(&mu_);
  if (!run_ || !run_->merger || report.run_id() != run_->id ||
      std::find(run_->agents.begin(), run_->agents.end(), report.agent_id()) ==
          run_->agents.end()) {
    ++rejected_total_;
    return;
  }
  // Reports from the future (beyond a generous clock allowance) are refused.
  if (report.interval_start_ns() > clock_.NowNs() - run_->zero_ns + 30'000'000'000) {
    ++rejected_total_;
    return;
  }
  const absl::Status s = run_->merger->Apply(report);
  if (!s.ok()) {
    if (!absl::IsAlreadyExists(s)) ++rejected_total_;
    return;
  }
  OnDataUsed(report);
  if (report.counters().vus_capped()) {
    NotHeld(report.agent_id(),
            absl::StrFormat("planned %d VUs, held %d (its in-flight limit)",
                            report.counters().active_vus(), report.counters().max_in_flight()));
  }
  if (report.final()) {
    run_->finals.insert(report.agent_id());
    // A leaver is done: no interval waits for it any more.
    if (run_->leaving.count(report.agent_id())) run_->live.erase(report.agent_id());
  }
  // The start skew is the first agents'; a newcomer starts when it joins.
  if (report.run_started_unix_ns() > 0 && !run_->joined.count(report.agent_id()) &&
      run_->started_unix_ns.emplace(report.agent_id(), report.run_started_unix_ns()).second &&
      run_->started_unix_ns.size() == run_->agents.size() - run_->joined.size()) {
    int64_t lo = INT64_MAX;
    int64_t hi = INT64_MIN;
    for (const auto& [id, t] : run_->started_unix_ns) {
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    Notice("started", "", absl::StrFormat("%d agents within %.2f ms",
                                          run_->started_unix_ns.size(), (hi - lo) / 1e6));
  }
}

void RunCoordinator::Tick() {
  const std::vector<std::string> expired = registry_.Expire();
  for (const std::string& id : expired) OnAgentGone(id);
  std::vector<std::unique_ptr<MonitorSampler>> retired;
  {
    absl::MutexLock lock(&mu_);
    retired.swap(retired_samplers_);
  }
  retired.clear();  // joins stopped samplers' threads, outside the lock
  absl::MutexLock lock(&mu_);
  if (options_.metrics != nullptr) {
    const int64_t now = clock_.NowNs();
    for (auto it = expiring_.begin(); it != expiring_.end();) {
      if (now >= it->second) {
        options_.metrics->RemoveWhere("run", it->first);
        it = expiring_.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (run_) NoticeStoreErrors();
  if (!run_ || IsTerminal(run_->state)) return;
  const int64_t now = clock_.NowNs();
  switch (run_->state) {
    case RunState::kWaitingForAgents: {
      const std::map<std::string, std::string>& select = run_->scenario.agents.select_labels;
      const size_t idle = registry_.IdleMatching(select).size();
      if (static_cast<int>(idle) >= run_->scenario.agents.min) {
        Apply(RunEventKind::kAgentsReady);
      } else if (now - run_->created_ns >= absl::ToInt64Nanoseconds(run_->scenario.agents.wait)) {
        run_->error = absl::StrCat("only ", idle, " of the ", run_->scenario.agents.min,
                                   " agents needed connected within ",
                                   HumanDuration(run_->scenario.agents.wait),
                                   select.empty() ? "" : " matching agents.select labels ",
                                   FormatLabels(select));
        Apply(RunEventKind::kWaitTimedOut);
      }
      return;
    }
    case RunState::kStarting:
      if (run_->accepted.size() >= run_->live.size()) {
        Apply(RunEventKind::kAllAccepted);
      } else if (now - run_->start_sent_ns > options_.accept_timeout_ns) {
        run_->error = "not every agent accepted the run in time";
        Apply(RunEventKind::kAcceptTimedOut);
      }
      return;
    default:
      break;
  }
  const int64_t elapsed = now - run_->zero_ns;
  if (writer_ && options_.store != nullptr && run_->merger &&
      now - run_->checkpoint_ns >= options_.checkpoint_interval_ns) {
    // A checkpoint of the merged state so far: what a restart keeps.
    run_->checkpoint_ns = now;
    RunReport partial;
    partial.run_id = run_->id;
    partial.status = "running";
    partial.started_at = run_->started_at;
    partial.duration_s = std::max(0.0, ElapsedS());
    partial.thresholds = CurrentThresholds();
    partial.events = run_->log;
    partial.file = run_->file;
    partial.agent_versions = run_->versions;
    if (run_->monitor) partial.monitor = run_->monitor->Summary();
    const std::string id = run_->id;
    // Under the lock only the result without its series and what changed
    // in the series since the last checkpoint: the writer's thread renders
    // the series (result_writer.h).
    Persist(partial, ResultJson(partial, run_->scenario, *run_->merger, /*with_series=*/false),
            /*final=*/false,
            [this, id](const absl::Status& s) {
              if (s.ok()) return;
              absl::MutexLock errors_lock(&store_errors_mu_);
              store_errors_.emplace_back(id, std::string(s.message()));
            },
            run_->merger->series().TakeDelta());
  }
  CollectMonitor();
  std::vector<std::string> live(run_->live.begin(), run_->live.end());
  run_->merger->CloseIntervals(elapsed, live, options_.interval_grace_ns);
  if (run_->merger->closed_through() > run_->progress_through) OnIntervalsClosed();
  if (IsTerminal(run_->state)) return;
  AdmitJoiners();
  const bool all_final = std::all_of(live.begin(), live.end(), [&](const std::string& a) {
    return run_->finals.count(a) > 0;
  });
  if (run_->state == RunState::kRunning) {
    if (all_final && elapsed > 0) {
      Apply(RunEventKind::kAllFinal);
    } else if (elapsed >= absl::ToInt64Nanoseconds(run_->scenario.TotalDuration()) +
                              options_.interval_grace_ns) {
      // Agents end their share at the plan's end on their own clocks, which
      // start a little after this one's: a stop at the plan's end itself
      // would cut their last arrivals. The grace also bounds flow
      // iterations still finishing their steps.
      Apply(RunEventKind::kPlanElapsed);
    }
    return;
  }
  if (all_final) {
    Apply(RunEventKind::kAllFinal);
    return;
  }
  absl::Duration longest;
  for (const RequestSpec& r : run_->scenario.requests) longest = std::max(longest, r.timeout);
  if (now - run_->stop_ns > absl::ToInt64Nanoseconds(longest) + options_.drain_extra_ns) {
    Notice("drain_timeout", "", "finished without every agent's final report");
    Apply(RunEventKind::kDrainTimedOut);
  }
}

std::optional<double> AchievedRps(uint64_t requests, int64_t first, int64_t last,
                                  int64_t interval_ns, int64_t end_ns) {
  const int64_t from_ns = first * interval_ns;
  const int64_t to_ns = std::min((last + 1) * interval_ns, end_ns);
  if (to_ns <= from_ns) return std::nullopt;
  return static_cast<double>(requests) * 1e9 / static_cast<double>(to_ns - from_ns);
}

void RunCoordinator::OnIntervalsClosed() {
  RunMerger& m = *run_->merger;
  const Scenario& s = run_->scenario;
  const int64_t interval_ns = m.interval_ns();
  const int64_t k_closed = m.closed_through();
  // The series' closed intervals: the plan's offered rate (its arrivals in
  // the interval, exactly, over its length; 0 in closed-model stages) and
  // the agents in the run.
  for (int64_t j = std::max<int64_t>(0, run_->progress_through + 1); j <= k_closed; ++j) {
    const int64_t arrivals = ArrivalsBefore(s, absl::Nanoseconds((j + 1) * interval_ns)) -
                             ArrivalsBefore(s, absl::Nanoseconds(j * interval_ns));
    m.series().Describe(j, static_cast<double>(arrivals) * 1e9 / static_cast<double>(interval_ns),
                        static_cast<int32_t>(run_->live.size()));
  }
  for (size_t i = 0; i < s.thresholds.size(); ++i) {
    const Threshold& t = s.thresholds[i];
    MetricView view;
    if (t.whole_run) {
      if (!t.abort) continue;  // judged at the end
      view = m.ThresholdRunView(
          t, static_cast<double>(m.closed_through() + 1) * interval_ns / 1e9);
    } else {
      const int64_t n = std::max<int64_t>(
          1, (absl::ToInt64Nanoseconds(t.window) + interval_ns - 1) / interval_ns);
      view = m.ThresholdWindow(t, n);
    }
    const double end_s = static_cast<double>(k_closed + 1) * interval_ns / 1e9;
    ThresholdResult r =
        t.metric != ThresholdMetric::kMonitor
            ? EvaluateThreshold(t, view)
            : JudgeMonitor(t, t.whole_run ? 0 : end_s - absl::ToDoubleSeconds(t.window), end_s);
    if (r.no_data) continue;
    ThresholdResult& live = run_->live_thresholds[i];
    // An abort waits for its grace (Threshold::AbortGraceOver).
    const bool abort_now =
        !r.passed && t.abort &&
        t.AbortGraceOver(m.ThresholdResults(t), absl::Seconds(std::max(0.0, ElapsedS())));
    if (!r.passed && (live.passed || live.no_data)) {
      Notice("threshold_failed", "",
             absl::StrCat(r.expression, !t.abort   ? ""
                                        : abort_now ? ": aborting"
                                                    : ": aborting once its grace is over"));
    }
    if (!t.whole_run) {
      TrackWorstWindow(t, r, static_cast<double>(k_closed + 1) * interval_ns / 1e9, live);
    }
    if (live.passed || live.no_data) {  // keep the first failure, and the worst window
      ThresholdResult worst = live;
      live = r;
      live.has_worst = worst.has_worst;
      live.worst_value = worst.worst_value;
      live.worst_at_s = worst.worst_at_s;
    }
    if (abort_now) Apply(RunEventKind::kAbortThreshold);
  }
  // Progress over the last closed interval and the last 10 s.
  const int64_t k = m.closed_through();
  v1::Progress& p = run_->last_progress;
  p.set_elapsed_s(ElapsedS());
  p.set_total_s(absl::ToDoubleSeconds(s.TotalDuration()));
  p.set_stage(StageAt(s, absl::Nanoseconds(k * interval_ns)));
  p.set_target_rps(PlanRateAt(s, absl::Nanoseconds(k * interval_ns + interval_ns / 2)));
  // Every interval closed since the last progress (Finish closes the last
  // ones together), not only the newest, which may hold just the requests
  // that completed after the load ended.
  const int64_t first = std::max(run_->progress_through + 1, k - 599);
  uint64_t closed_requests = 0;
  for (int64_t j = first; j <= k; ++j) closed_requests += m.IntervalRequests(j);
  int64_t end_ns = absl::ToInt64Nanoseconds(s.TotalDuration());
  if (run_->stop_ns > 0) end_ns = std::min(end_ns, run_->stop_ns - run_->zero_ns);
  if (std::optional<double> rps = AchievedRps(closed_requests, first, k, interval_ns, end_ns)) {
    p.set_achieved_rps(*rps);
  }
  const MetricView ten = m.Window(kAllRequests, (10'000'000'000 + interval_ns - 1) / interval_ns);
  p.set_p50_ms_10s(ten.responses.Quantile(0.5) / 1000.0);
  p.set_p95_ms_10s(ten.responses.Quantile(0.95) / 1000.0);
  p.set_p99_ms_10s(ten.responses.Quantile(0.99) / 1000.0);
  p.set_requests(m.Requests(kAllRequests));
  p.set_errors(m.Errors(kAllRequests));
  p.set_agents(static_cast<int32_t>(run_->live.size()));
  p.set_dropped(m.Dropped());
  MonitorProgress(p);
  int64_t vus = 0;
  for (const auto& [id, a] : m.agents()) vus += a.last_active_vus;
  p.set_active_vus(vus);
  v1::RunEvent e;
  *e.mutable_progress() = p;
  run_->events->Push(std::move(e));
  run_->progress_through = k;
  Publish();
}

void RunCoordinator::Finish() {
  Active& r = *run_;
  const double elapsed = ElapsedS();
  StopMonitor();
  if (r.merger) {
    r.merger->CloseIntervals(clock_.NowNs() - r.zero_ns, {}, 0, /*all=*/true);
    if (r.merger->closed_through() > r.progress_through) OnIntervalsClosed();
  } else {
    r.merger = std::make_unique<RunMerger>(r.id, r.scenario);
  }
  RunReport report;
  report.run_id = r.id;
  report.started_at = r.zero_ns == 0 ? clock_.WallTime() : r.started_at;
  const double total = absl::ToDoubleSeconds(r.scenario.TotalDuration());
  report.duration_s = r.state == RunState::kFinished ? std::min(elapsed, total) : elapsed;
  for (size_t i = 0; i < r.scenario.thresholds.size(); ++i) {
    const Threshold& t = r.scenario.thresholds[i];
    if (t.whole_run && t.metric == ThresholdMetric::kMonitor) {
      report.thresholds.push_back(JudgeMonitor(t, 0, elapsed + 1));
    } else if (t.whole_run) {
      report.thresholds.push_back(
          EvaluateThreshold(t, r.merger->ThresholdRunView(t, report.duration_s)));
    } else {
      report.thresholds.push_back(r.live_thresholds[i]);
    }
  }
  if (!r.started_unix_ns.empty() &&
      r.started_unix_ns.size() == r.agents.size() - r.joined.size()) {
    int64_t lo = INT64_MAX;
    int64_t hi = INT64_MIN;
    for (const auto& [id, t] : r.started_unix_ns) {
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    report.start_skew_ms = (hi - lo) / 1e6;
  }
  if (r.scenario.PeakVus() > 0 && r.reached_running) {
    report.checks.push_back({"concurrency_held", r.concurrency_failures.empty(),
                             absl::StrJoin(r.concurrency_failures, "; ")});
  }
  int exit_code = kExitPassed;
  if (r.state == RunState::kAborted) {
    report.status = "aborted";
    exit_code = kExitAborted;
  } else if (r.state == RunState::kFailed) {
    report.status = "error";
    exit_code = r.reached_running ? kExitInternal : kExitCannotStart;
    if (r.error.empty()) r.error = "the run failed";
  } else {
    report.status = StatusFor(report.thresholds, false, report.checks);
    if (report.status == "failed") exit_code = kExitThresholdFailed;
  }
  report.error = r.error;
  report.events = r.log;
  report.exit_code = exit_code;
  report.file = r.file;
  report.agent_versions = r.versions;
  if (r.monitor) report.monitor = r.monitor->Summary();
  report.data = DataUses();
  const std::string json = ResultJson(report, r.scenario, *r.merger);
  v1::RunEvent e;
  v1::RunResult* result = e.mutable_result();
  result->set_status(report.status);
  result->set_summary_json(json);
  result->set_exit_code(exit_code);
  // The JSON was just rendered here, so it parses.
  result->set_summary_text(SummaryText(json).value_or(""));
  result->set_error(r.error);
  if (writer_) {
    // The result goes to the client once it is on disk, from the writer's
    // thread; a failed write is noticed just before it.
    const double at = ElapsedS();
    Persist(report, json, /*final=*/true,
            [events = r.events, e = std::move(e), at](const absl::Status& s) mutable {
              if (!s.ok()) {
                v1::RunEvent n;
                n.mutable_event()->set_at_s(at);
                n.mutable_event()->set_kind("store_error");
                n.mutable_event()->set_detail(std::string(s.message()));
                events->Push(std::move(n));
              }
              events->Push(std::move(e));
              events->Close();
            });
  } else {
    r.events->Push(std::move(e));
    r.events->Close();
  }
  for (const std::string& id : r.agents) registry_.SetRun(id, "");
  // Final series (with the verdicts of the result), kept for the grace period.
  if (r.merger && r.live_thresholds.size() == report.thresholds.size()) {
    r.live_thresholds = report.thresholds;
  }
  Publish();
  expiring_.emplace_back(r.id, clock_.NowNs() + options_.metrics_grace_ns);
}

void RunCoordinator::Persist(const RunReport& report, const std::string& json, bool final,
                             std::function<void(const absl::Status&)> done,
                             std::optional<SeriesDelta> series) {
  ResultWrite write;
  if (options_.store != nullptr && run_->merger) {
    for (size_t i = 0; i < run_->merger->request_count(); ++i) {
      v1::HistogramSnapshot snapshot;
      EncodeHistogram(run_->merger->Responses(i), &snapshot);
      write.histograms.emplace_back(run_->merger->request_name(i),
                                    snapshot.SerializeAsString());
    }
  }
  write.run.id = run_->id;
  write.run.scenario = run_->scenario.name;
  write.run.status = report.status;
  write.run.started_at = Rfc3339(report.started_at);
  write.run.updated_at = Rfc3339(clock_.WallTime());
  write.run.result_json = json;
  write.final = final;
  write.done = std::move(done);
  write.series = std::move(series);
  writer_->Enqueue(std::move(write));
}

void RunCoordinator::NoticeStoreErrors() {
  std::vector<std::pair<std::string, std::string>> errors;
  {
    absl::MutexLock lock(&store_errors_mu_);
    errors.swap(store_errors_);
  }
  for (const auto& [id, why] : errors) {
    if (id == run_->id) Notice("store_error", "", why);
  }
}

RunStatusView RunCoordinator::Status() {
  absl::MutexLock lock(&mu_);
  RunStatusView v;
  if (!run_) return v;
  v.run_id = run_->id;
  v.scenario = run_->scenario.name;
  v.state = RunStateName(run_->state);
  v.progress = run_->last_progress;
  return v;
}

uint64_t RunCoordinator::reports_rejected() {
  absl::MutexLock lock(&mu_);
  return rejected_total_;
}

}  // namespace barrage
