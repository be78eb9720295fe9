// Copyright 2026 The Barrage Authors.
//
// RunCoordinator's handling of the fleet during a run: agents accepting or
// refusing their share, agents lost, leaving and joining, and the exact
// re-split of slots among the agents that take them over. See
// run_coordinator.h for the contract and the locking (every method here
// runs with mu_ held).

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/scenario/codec.h"
#include "common/scenario/schedule.h"
#include "common/util/exit_codes.h"
#include "controller/run/run_coordinator.h"

namespace barrage {

std::set<std::string> RunCoordinator::Takers() const {
  std::set<std::string> takers;
  for (const std::string& id : run_->live) {
    if (!run_->leaving.count(id)) takers.insert(id);
  }
  return takers;
}

void RunCoordinator::OnAccepted(const std::string& agent,
                                const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  if (!run_ || run_->id != run_id || !run_->live.count(agent)) return;
  run_->accepted.insert(agent);
  if (run_->accepted.size() >= run_->live.size()) Apply(RunEventKind::kAllAccepted);
}

void RunCoordinator::OnRefused(const std::string& agent, const std::string& run_id,
                               const std::string& reason) {
  absl::MutexLock lock(&mu_);
  if (!run_ || run_->id != run_id || !run_->live.count(agent)) return;
  if (auto joined = run_->joined.find(agent); joined != run_->joined.end()) {
    // A newcomer that will not take its share: it goes back to the others.
    const int64_t from_ms = joined->second;
    run_->joined.erase(joined);
    run_->live.erase(agent);
    run_->agents.erase(std::remove(run_->agents.begin(), run_->agents.end(), agent),
                       run_->agents.end());
    run_->passed_over.insert(agent);
    registry_.SetRun(agent, "");
    Notice("agent_left_out", agent, reason);
    if (!Takers().empty()) Redistribute(agent, from_ms);
    return;
  }
  if (run_->state == RunState::kStarting) {
    const absl::Status carried = LeaveOut(agent);
    if (carried.ok()) {
      Notice("agent_left_out", agent, reason);
      if (run_->accepted.size() >= run_->live.size()) Apply(RunEventKind::kAllAccepted);
      return;
    }
    Notice("agent_refused", agent, reason);
    run_->error = absl::StrCat("agent ", agent, " refused the run: ", reason, "; ",
                               carried.message());
    Apply(RunEventKind::kAgentRefused);
    return;
  }
  Notice("agent_refused", agent, reason);
  run_->error = absl::StrCat("agent ", agent, " refused the run: ", reason);
  Apply(RunEventKind::kAgentRefused);
}

absl::Status RunCoordinator::LeaveOut(const std::string& agent) {
  const int remaining = static_cast<int>(run_->live.size()) - 1;
  if (remaining < std::max(1, run_->scenario.agents.min)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the other ", remaining, " agent(s) cannot carry it (agents.min: ",
        run_->scenario.agents.min, ")"));
  }
  // The survivors' shares once the refused slots are dealt, within their caps.
  std::map<std::string, std::vector<int64_t>> slots = run_->slots;
  std::set<std::string> survivors = run_->live;
  survivors.erase(agent);
  if (const std::vector<OverLimit> over = DealSlotsWithin(agent, survivors, slots);
      !over.empty()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the other agents cannot carry it: ", over.front().agent, " would run ",
        over.front().vus, " VUs, above its --max-in-flight ", over.front().limit));
  }
  const double peak = run_->scenario.PeakRate().ToDouble();
  for (const AgentInfo& info : registry_.Snapshot()) {
    if (!survivors.count(info.id) || info.max_rate_per_s <= 0) continue;
    const double share = peak * static_cast<double>(slots[info.id].size()) /
                         static_cast<double>(run_->period);
    if (share > info.max_rate_per_s) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "the other agents cannot carry it: %s would peak at %.6g requests/s, above its "
          "--max-rate %.6g/s",
          info.id, share, info.max_rate_per_s));
    }
  }
  run_->live.erase(agent);
  run_->agents.erase(std::remove(run_->agents.begin(), run_->agents.end(), agent),
                     run_->agents.end());
  registry_.SetRun(agent, "");
  Redistribute(agent);
  return absl::OkStatus();
}

void RunCoordinator::OnAgentGone(const std::string& agent) {
  absl::MutexLock lock(&mu_);
  if (!run_ || IsTerminal(run_->state) || !run_->live.count(agent) ||
      run_->finals.count(agent)) {
    return;
  }
  run_->live.erase(agent);
  ReturnRows(agent, /*graceful=*/false);
  if (run_->leaving.count(agent)) return;  // left gracefully; its slots are handed on
  if (run_->scenario.agents.on_loss == OnLoss::kAbort) {
    Notice("agent_lost", agent, "abort");
    run_->error = absl::StrCat("agent ", agent, " was lost (on_loss: abort)");
    Apply(RunEventKind::kAgentLostAbort);
  } else if (run_->scenario.agents.on_loss == OnLoss::kRedistribute &&
             !Takers().empty() && run_->state == RunState::kRunning) {
    Notice("agent_lost", agent, "redistribute");
    Apply(RunEventKind::kAgentLost);
    Redistribute(agent);
  } else {
    Notice("agent_lost", agent, "continue");
    Apply(RunEventKind::kAgentLost);
  }
}

std::vector<OverLimit> RunCoordinator::DealSlotsWithin(
    const std::string& lost, const std::set<std::string>& takers,
    std::map<std::string, std::vector<int64_t>>& slots) {
  // The lost slots go one at a time to the taker holding the fewest (so
  // shares stay within one slot of each other) among those with room.
  return DealSlots(lost, takers, run_->max_in_flight, run_->period, run_->scenario.PeakVus(),
                   slots);
}

void RunCoordinator::NotHeld(const std::string& agent, const std::string& detail) {
  if (!run_->not_held.insert(agent).second) return;
  Notice("concurrency_not_held", agent, detail);
  run_->concurrency_failures.push_back(absl::StrCat(agent, ": ", detail));
}

void RunCoordinator::OnLeaving(const std::string& agent, const std::string& run_id,
                               int64_t stop_ms) {
  absl::MutexLock lock(&mu_);
  if (!run_ || IsTerminal(run_->state) || run_->id != run_id || !run_->live.count(agent) ||
      run_->finals.count(agent) || run_->leaving.count(agent)) {
    return;
  }
  run_->leaving.insert(agent);
  if (run_->state == RunState::kRunning && !Takers().empty()) {
    Notice("agent_left", agent, "redistribute");
    Redistribute(agent, std::max<int64_t>(stop_ms, 0));
  } else {
    Notice("agent_left", agent, "continue");
  }
}

void RunCoordinator::AdmitJoiners() {
  if (run_->state != RunState::kRunning) return;
  const int64_t total_ns = absl::ToInt64Nanoseconds(run_->scenario.TotalDuration());
  for (const AgentInfo& a : registry_.IdleMatching(run_->scenario.agents.select_labels)) {
    if (run_->passed_over.count(a.id) ||
        std::find(run_->agents.begin(), run_->agents.end(), a.id) != run_->agents.end()) {
      continue;
    }
    if (run_->scenario.agents.on_join == OnJoin::kIgnore ||
        clock_.NowNs() - run_->zero_ns + options_.redistribute_delay_ns >= total_ns) {
      // Idle until the next run (also when this one ends before it could help).
      Notice("agent_joined", a.id, "ignore");
      run_->passed_over.insert(a.id);
      continue;
    }
    Join(a);
  }
}

void RunCoordinator::Join(const AgentInfo& agent) {
  std::vector<AgentCapacity> capacities;
  const std::set<std::string> takers = Takers();
  std::map<std::string, int64_t> capacity;
  for (const AgentInfo& info : registry_.Snapshot()) capacity[info.id] = info.capacity;
  run_->max_in_flight[agent.id] = agent.max_in_flight;
  for (const std::string& id : run_->agents) {
    if (takers.count(id)) {
      capacities.push_back({id, std::max<int64_t>(capacity[id], 1), run_->max_in_flight[id]});
    }
  }
  capacities.push_back({agent.id, std::max(agent.capacity, 1), agent.max_in_flight});
  Scenario relaxed = run_->scenario;
  relaxed.agents.min = 1;  // the run is under way; agents.min was for its start
  absl::StatusOr<SplitPlan> plan = SplitLoad(relaxed, capacities);
  if (absl::IsResourceExhausted(plan.status())) {
    // Even with the newcomer the agents hold fewer connections than the
    // VUs: it still helps. Split by capacity and say who is over.
    std::vector<AgentCapacity> unlimited = capacities;
    for (AgentCapacity& c : unlimited) c.max_in_flight = 0;
    plan = SplitLoad(relaxed, unlimited);
    for (size_t i = 0; plan.ok() && i < capacities.size(); ++i) {
      const int64_t vus = PeakVusOf(*plan, static_cast<int>(i), relaxed);
      if (vus > capacities[i].max_in_flight) {
        NotHeld(capacities[i].id,
                absl::StrFormat("planned %d VUs, held %d (its --max-in-flight) after %s joined",
                                vus, capacities[i].max_in_flight, agent.id));
      }
    }
  }
  if (!plan.ok()) {
    Notice("agent_joined", agent.id, absl::StrCat("ignore: ", plan.status().message()));
    run_->passed_over.insert(agent.id);
    return;
  }
  // The re-split takes over a little ahead, so every agent hears of it first:
  // what is due before keeps its owner, what is due from then on is dealt anew.
  const int64_t from_ms =
      (clock_.NowNs() - run_->zero_ns + options_.redistribute_delay_ns + 999'999) / 1'000'000;
  run_->period = plan->period;
  run_->slots.clear();
  const int index = static_cast<int>(run_->agents.size());
  for (const Share& share : plan->shares) {
    run_->slots[share.agent_id] = share.slots;
    if (share.agent_id == agent.id) continue;
    v1::ControllerMessage msg;
    v1::UpdateShare* u = msg.mutable_update_share();
    u->set_run_id(run_->id);
    for (int64_t s : share.slots) u->add_slots(s);
    u->set_from_ms(from_ms);
    u->set_period(plan->period);
    if (auto h = registry_.Handle(share.agent_id)) h->Send(msg);
  }
  v1::ControllerMessage msg;
  v1::StartRun* start = msg.mutable_start_run();
  start->set_run_id(run_->id);
  *start->mutable_scenario() = AgentSpec(run_->scenario);
  v1::Assignment* a = start->mutable_assignment();
  a->set_index(index);
  a->set_period(plan->period);
  for (int64_t s : run_->slots[agent.id]) a->add_slots(s);
  a->set_seed(AssignmentSeed(run_->id, static_cast<size_t>(index)));
  a->set_agents_in_run(static_cast<int32_t>(plan->shares.size()));
  start->set_start_delay_ms(options_.redistribute_delay_ns / 1'000'000);
  start->set_resume_offset_ms(from_ms);
  if (agent.handle) {
    SendDataFiles(*agent.handle);
    agent.handle->Send(msg);
  }
  registry_.SetRun(agent.id, run_->id);
  run_->agents.push_back(agent.id);
  run_->live.insert(agent.id);
  run_->joined[agent.id] = from_ms;
  run_->versions[agent.id] = agent.version;
  Notice("agent_joined", agent.id, "rebalance");
}

void RunCoordinator::Redistribute(const std::string& lost, std::optional<int64_t> from) {
  const std::set<std::string> takers = Takers();
  // Too few connections left is an event and a failed check, never a
  // silent cap (the agents run what they can hold and say vus_capped).
  for (const OverLimit& o : DealSlotsWithin(lost, takers, run_->slots)) {
    NotHeld(o.agent, absl::StrFormat("planned %d VUs, held %d (its --max-in-flight) after %s left",
                                     o.vus, o.limit, lost));
  }
  // A lost agent is taken over from the end of its last reported interval:
  // what it fired after that was never counted, so its arrivals from there
  // on are fired again (late, and recorded as late) and the run's count
  // stays equal to the plan. Up to one interval of them may reach the
  // target twice. A leaver says where it stops (`from`).
  const int64_t from_ms = from ? *from
                               : (run_->merger->LastInterval(lost) + 1) *
                                     run_->merger->interval_ns() / 1'000'000;
  for (const std::string& id : takers) {
    std::vector<int64_t>& slots = run_->slots[id];
    std::sort(slots.begin(), slots.end());
    v1::ControllerMessage msg;
    v1::UpdateShare* u = msg.mutable_update_share();
    u->set_run_id(run_->id);
    for (int64_t s : slots) u->add_slots(s);
    u->set_from_ms(std::max<int64_t>(from_ms, 0));
    if (auto h = registry_.Handle(id)) h->Send(msg);
  }
}

}  // namespace barrage
