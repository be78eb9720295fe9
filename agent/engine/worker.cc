// Copyright 2026 The Barrage Authors.

#include "agent/engine/worker.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "common/scenario/schedule.h"

namespace barrage {
namespace {

std::vector<int64_t> Weights(const Scenario& s) {
  std::vector<int64_t> w;
  for (const RequestSpec& r : s.requests) w.push_back(r.weight);
  for (const FlowSpec& f : s.flows) w.push_back(f.weight);
  return w;
}

// A VU whose iteration found no data row tries again this much later.
constexpr int64_t kDataRetryNs = 10'000'000;

// VUs of this worker when its agent has `agent_vus`: the agent's VU
// ordinals m = worker, worker + W, ... below agent_vus.
int64_t WorkerShare(int64_t agent_vus, int worker, int workers) {
  if (agent_vus <= worker) return 0;
  return (agent_vus - worker + workers - 1) / workers;
}

}  // namespace

Worker::Worker(WorkerConfig config, HttpClient& client)
    : config_(std::move(config)),
      client_(client),
      scheduler_(config_.scenario, config_.period, config_.slots,
                 config_.worker, config_.workers, config_.arrivals,
                 config_.seed),
      picker_(Weights(config_.scenario),
              SplitMix64::Mix(config_.seed ^
                              SplitMix64::Mix(0x100 + static_cast<uint64_t>(
                                                          config_.worker)))),
      renderer_(0),
      think_rng_(SplitMix64::Mix(config_.seed ^ SplitMix64::Mix(0x200 + static_cast<uint64_t>(
                                                                  config_.worker)))),
      current_(config_.scenario.requests.size(), MakeStatsLayout(config_.scenario)),
      published_(config_.scenario.requests.size(), MakeStatsLayout(config_.scenario)) {
  absl::StatusOr<FlowProgram> program = FlowProgram::Compile(config_.scenario);
  if (program.ok()) {
    program_ = std::move(*program);
    for (size_t t = 0; t < program_.templates(); ++t) {
      for (uint32_t d : program_.tpl(t).data) {
        if (d >= config_.data.size() || config_.data[d] == nullptr) {
          status_ = absl::FailedPreconditionError(absl::StrCat(
              "data source '", config_.scenario.data[d].name, "' has no rows on this worker"));
        }
      }
    }
  } else {
    status_ = program.status();
  }
  if (!status_.ok()) stopped_ = true;
  renderer_ = Renderer(program_.max_headers());
  owned_slots_ = config_.slots;
  period_ = config_.period;
  if (config_.from_ns > 0) scheduler_.SkipBefore(config_.from_ns);
  const size_t cap = std::max<size_t>(config_.max_in_flight, 1);
  slots_.resize(cap);
  free_slots_.reserve(cap);
  for (size_t i = cap; i > 0; --i) {
    free_slots_.push_back(static_cast<uint32_t>(i - 1));
  }
  int64_t end = 0;
  int64_t peak_vus = 0;
  for (const Stage& s : config_.scenario.stages) {
    end += absl::ToInt64Nanoseconds(s.duration);
    stage_end_ns_.push_back(end);
    think_ns_.push_back(absl::ToInt64Nanoseconds(s.think));
    vu_ramp_.push_back(s.kind == Stage::Kind::kVusRamp);
    if (!s.is_open()) peak_vus = std::max({peak_vus, s.vus_from, s.vus_to});
  }
  run_end_ns_ = end;
  const int64_t mine = WorkerShare(
      OwnedBelow(config_.period, config_.slots, peak_vus), config_.worker,
      config_.workers);
  vu_state_.assign(static_cast<size_t>(mine), VuState::kOff);
  vu_heap_.reserve(static_cast<size_t>(mine));
  peak_vus_ = peak_vus;
  // Iterations: for flows, and for requests that take data rows. Thinking
  // iterations hold no in-flight slot, so flows with think get room for
  // more of them than the cap.
  bool needs_iterations = program_.has_flows();
  for (size_t i = 0; i < program_.items(); ++i) {
    needs_iterations = needs_iterations || !program_.item_data(i).empty();
  }
  if (needs_iterations) {
    const size_t n = cap * (program_.has_think() ? 4 : 1);
    iterations_.resize(n);
    free_iterations_.reserve(n);
    due_steps_.reserve(n);
    for (size_t i = n; i > 0; --i) {
      FlowIteration& it = iterations_[i - 1];
      it.rows.assign(program_.data_sources(), RowSource::kNoRow);
      it.vars.resize(program_.max_vars());
      free_iterations_.push_back(static_cast<uint32_t>(i - 1));
    }
  }
}

void Worker::Reassign(std::vector<int64_t> slots, int64_t from_ns, int64_t period) {
  absl::MutexLock lock(&mu_);
  pending_slots_ = std::move(slots);
  pending_from_ns_ = from_ns;
  pending_period_ = period;
  reassign_pending_.store(true);
}

void Worker::StopAt(int64_t at_ns) {
  absl::MutexLock lock(&mu_);
  pending_stop_ns_ = std::min(pending_stop_ns_, at_ns);
  reassign_pending_.store(true);
}

void Worker::TakeReassignment() {
  std::vector<int64_t> slots;
  int64_t from;
  int64_t period;
  {
    absl::MutexLock lock(&mu_);
    slots = std::move(pending_slots_);
    pending_slots_.clear();
    from = pending_from_ns_;
    period = pending_period_ > 0 ? pending_period_ : period_;
    pending_period_ = 0;
    stop_at_ns_ = std::min(stop_at_ns_, pending_stop_ns_);
    reassign_pending_.store(false);
  }
  if (stop_at_ns_ != kNever) {
    scheduler_.StopAt(stop_at_ns_);
    for (ArrivalScheduler& s : taken_over_) s.StopAt(stop_at_ns_);
  }
  if (slots.empty()) return;  // only a stop
  std::vector<int64_t> removed;
  std::set_difference(owned_slots_.begin(), owned_slots_.end(), slots.begin(), slots.end(),
                      std::back_inserter(removed));
  // A re-split (an agent joined: slots leave, or the period changes) ends
  // the old schedules at `from` and schedules the whole new share from
  // there; a take-over (an agent was lost) schedules only the added slots.
  // Both are rare: building a scheduler here is fine.
  std::vector<int64_t> scheduled;
  if (period != period_ || !removed.empty()) {
    scheduler_.StopAt(from);
    for (ArrivalScheduler& s : taken_over_) s.StopAt(from);
    scheduled = slots;
  } else {
    std::set_difference(slots.begin(), slots.end(), owned_slots_.begin(),
                        owned_slots_.end(), std::back_inserter(scheduled));
    if (scheduled.empty()) return;
  }
  ArrivalScheduler fresh(config_.scenario, period, scheduled, config_.worker, config_.workers,
                         config_.arrivals, config_.seed);
  fresh.SkipBefore(from);
  fresh.StopAt(stop_at_ns_);
  taken_over_.push_back(std::move(fresh));
  period_ = period;
  owned_slots_ = std::move(slots);
  const int64_t mine = WorkerShare(OwnedBelow(period_, owned_slots_, peak_vus_),
                                   config_.worker, config_.workers);
  if (mine > static_cast<int64_t>(vu_state_.size())) {
    vu_state_.resize(static_cast<size_t>(mine), VuState::kOff);
  }
}

ArrivalScheduler* Worker::Earliest() {
  ArrivalScheduler* best = &scheduler_;
  for (ArrivalScheduler& s : taken_over_) {
    if (s.PeekNs() < best->PeekNs()) best = &s;
  }
  return best;
}

int64_t Worker::WorkerVusAt(int64_t now) const {
  const int64_t plan = VusAt(config_.scenario, absl::Nanoseconds(now));
  if (now >= stop_at_ns_ || now < config_.from_ns) return 0;
  return WorkerShare(OwnedBelow(period_, owned_slots_, plan),
                     config_.worker, config_.workers);
}

bool Worker::StartItem(int64_t intended, int64_t now, int32_t vu) {
  const size_t item = picker_.Pick();
  const std::vector<uint32_t>& data = program_.item_data(item);
  if (item < program_.requests() && data.empty()) {
    Send(static_cast<uint32_t>(item), -1, intended, now, vu);
    return true;
  }
  const uint32_t index = free_iterations_.back();
  FlowIteration& it = iterations_[index];
  for (uint32_t d : data) {
    const int64_t row = config_.data[d]->NextRow();
    if (row == RowSource::kNoRow) {
      ++current_.data_exhausted;
      NoteDataExhausted();
      return false;
    }
    it.rows[d] = row;
  }
  free_iterations_.pop_back();
  it.item = static_cast<uint32_t>(item);
  it.vu = vu;
  it.step = 0;
  it.first_due_ns = intended;
  it.active_ns = 0;
  if (item < program_.requests()) {
    it.flow = -1;
    Send(static_cast<uint32_t>(item), static_cast<int32_t>(index), intended, now, vu);
    return true;
  }
  it.flow = static_cast<int32_t>(item - program_.requests());
  const CompiledFlow& flow = program_.flow(static_cast<size_t>(it.flow));
  for (uint32_t v = 0; v < flow.vars; ++v) it.vars[v].clear();
  it.jar.Clear();
  ++current_.Flow(static_cast<size_t>(it.flow)).started;
  Send(flow.steps[0].tpl, static_cast<int32_t>(index), intended, now, vu);
  return true;
}

void Worker::Send(uint32_t tpl, int32_t iter, int64_t intended, int64_t now, int32_t vu) {
  const uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  slots_[slot] = Slot{intended, now, tpl, vu, iter};
  const int64_t lag = now - intended;
  current_.schedule_lag.Record(static_cast<uint64_t>(std::max<int64_t>(lag, 0)) / 1000);
  if (lag > config_.late_ns) ++current_.late;
  ++current_.started;
  const CompiledTemplate& t = program_.tpl(tpl);
  if (!t.rendered) {
    client_.Start(tpl, slot);
    return;
  }
  const FlowIteration& it = iterations_[static_cast<size_t>(iter)];
  const bool cookies = it.flow >= 0 && program_.flow(static_cast<size_t>(it.flow)).cookies;
  client_.StartWith(tpl, renderer_.Render(t, it, cookies, config_.data), slot);
}

void Worker::ReleaseIteration(uint32_t iter) { free_iterations_.push_back(iter); }

void Worker::NoteDataExhausted() {
  // Stop once every item needs a source that will give no more rows.
  for (size_t i = 0; i < program_.items(); ++i) {
    bool blocked = false;
    for (uint32_t d : program_.item_data(i)) blocked = blocked || config_.data[d]->Exhausted();
    if (!blocked) return;
  }
  data_stopped_ = true;
}

int64_t Worker::Think(const CompiledStep& step) {
  switch (step.think) {
    case ThinkTime::Kind::kNone:
      return 0;
    case ThinkTime::Kind::kFixed:
      return step.think_a_ns;
    case ThinkTime::Kind::kUniform:
      return step.think_a_ns + static_cast<int64_t>(
                                   static_cast<double>(step.think_b_ns - step.think_a_ns) *
                                   think_rng_.NextDouble());
    case ThinkTime::Kind::kExponential:
      return static_cast<int64_t>(-static_cast<double>(step.think_a_ns) *
                                  std::log1p(-think_rng_.NextDouble()));
  }
  return 0;
}

int64_t Worker::StepDueSteps(int64_t now) {
  while (!due_steps_.empty() && !free_slots_.empty()) {
    const DueStep top = due_steps_.front();
    if (top.due_ns > now) return top.due_ns;
    std::pop_heap(due_steps_.begin(), due_steps_.end(), DueLater);
    due_steps_.pop_back();
    const FlowIteration& it = iterations_[top.iter];
    const CompiledFlow& flow = program_.flow(static_cast<size_t>(it.flow));
    Send(flow.steps[it.step].tpl, static_cast<int32_t>(top.iter), top.due_ns, now, it.vu);
  }
  if (!due_steps_.empty() && due_steps_.front().due_ns <= now) {
    current_.in_flight_capped = true;  // a due step waits for the cap
  }
  return kNever;
}

void Worker::PushVu(uint32_t vu, int64_t ready_ns) {
  vu_state_[vu] = VuState::kQueued;
  vu_heap_.push_back({ready_ns, vu});
  std::push_heap(vu_heap_.begin(), vu_heap_.end(), ReadyLater);
}

int64_t Worker::StepOpen(int64_t now) {
  while (CanStart() && !data_stopped_) {
    ArrivalScheduler* s = taken_over_.empty() ? &scheduler_ : Earliest();
    const int64_t due = s->PeekNs();
    if (due > now) return due;
    s->Pop();
    if (now - due > config_.max_lag_ns) {
      ++current_.dropped;
      continue;
    }
    StartItem(due, now, -1);
  }
  if (data_stopped_) return kNever;
  // At the cap: the next due arrival waits for a completion.
  ArrivalScheduler* s = taken_over_.empty() ? &scheduler_ : Earliest();
  if (s->PeekNs() <= now) current_.in_flight_capped = true;
  return kNever;
}

int64_t Worker::StepClosed(int64_t now) {
  const int64_t target = WorkerVusAt(now);
  for (int64_t v = vu_target_; v < target; ++v) {
    if (vu_state_[static_cast<size_t>(v)] == VuState::kOff) {
      PushVu(static_cast<uint32_t>(v), now);
    }
  }
  vu_target_ = target;
  while (!vu_heap_.empty() && CanStart() && !data_stopped_) {
    const VuEntry top = vu_heap_.front();
    if (top.vu >= vu_target_) {  // ramped down while thinking
      std::pop_heap(vu_heap_.begin(), vu_heap_.end(), ReadyLater);
      vu_heap_.pop_back();
      vu_state_[top.vu] = VuState::kOff;
      continue;
    }
    if (top.ready_ns > now) break;
    std::pop_heap(vu_heap_.begin(), vu_heap_.end(), ReadyLater);
    vu_heap_.pop_back();
    vu_state_[top.vu] = VuState::kBusy;
    if (!StartItem(top.ready_ns, now, static_cast<int32_t>(top.vu))) {
      if (data_stopped_) {
        vu_state_[top.vu] = VuState::kOff;
      } else {
        PushVu(top.vu, now + kDataRetryNs);
      }
    }
  }
  if (free_slots_.empty() && !vu_heap_.empty() && vu_heap_.front().ready_ns <= now &&
      vu_heap_.front().vu < vu_target_) {
    // A ready VU has no connection to send on: the cap is below the VUs.
    current_.in_flight_capped = current_.vus_capped = true;
  }
  int64_t next = kNever;
  if (!vu_heap_.empty() && CanStart() && !data_stopped_) next = vu_heap_.front().ready_ns;
  // A VU ramp changes the target continuously: look again in 10 ms.
  const int stage = StageAt(config_.scenario, absl::Nanoseconds(now));
  if (stage >= 0 && vu_ramp_[static_cast<size_t>(stage)]) {
    next = std::min(next, now + 10'000'000);
  }
  return next;
}

int64_t Worker::Step(int64_t now) {
  // Close every interval that ended; results land in the one they end in.
  const int64_t index = now / config_.interval_ns;
  if (index > interval_index_) {
    Publish(index - 1);
    interval_index_ = index;
  }
  int64_t next = (interval_index_ + 1) * config_.interval_ns;
  if (reassign_pending_.load(std::memory_order_relaxed)) TakeReassignment();
  // Leaving: once everything due before the stop is sent, issue no more.
  if (!stopped_ && now >= stop_at_ns_ && Earliest()->PeekNs() == kNever) stopped_ = true;
  if (now < stop_at_ns_) next = std::min(next, stop_at_ns_);
  if (!stopped_ && now >= run_end_ns_ && !schedule_closed_) {
    // Arrivals due before the end that were never sent (the cap held them
    // back) are dropped, and counted: nothing is skipped silently.
    schedule_closed_ = true;
    for (ArrivalScheduler* s = Earliest(); s->PeekNs() < run_end_ns_; s = Earliest()) {
      s->Pop();
      ++current_.dropped;
    }
  }
  if (stopped_ || now >= run_end_ns_) {
    vu_target_ = 0;
    // Flow iterations begun before the end finish their steps (think times
    // too); the controller's graceful stop, a grace after the plan's end,
    // bounds that, and what it cuts counts as aborted (CloseFinal).
    const bool draining = !stopped_ && !due_steps_.empty();
    if (draining) next = std::min(next, StepDueSteps(now));
    return client_.in_flight() > 0 || draining ? next : kNever;
  }
  if (!due_steps_.empty()) next = std::min(next, StepDueSteps(now));
  next = std::min(next, StepOpen(now));
  if (!vu_state_.empty()) next = std::min(next, StepClosed(now));
  // Wake at stage changes, so a closed stage starts on time.
  for (int64_t end : stage_end_ns_) {
    if (end > now) {
      next = std::min(next, end);
      break;
    }
  }
  return next;
}

Outcome Worker::Record(const Slot& slot, const HttpResult& result, int64_t now) {
  Outcome outcome = result.outcome;
  int failed = -1;
  if (slot.iter >= 0 && outcome == Outcome::kOk) {
    FlowIteration& it = iterations_[static_cast<size_t>(slot.iter)];
    if (it.flow >= 0) {
      const CompiledFlow& flow = program_.flow(static_cast<size_t>(it.flow));
      if (flow.cookies) it.jar.TakeFrom(result.response_headers);
      failed = EvaluateStep(flow.steps[it.step], result, now - slot.intended_ns, it, scratch_);
      if (failed >= 0) outcome = Outcome::kCheckFailed;
    }
  }
  const uint64_t response_us =
      static_cast<uint64_t>(std::max<int64_t>(now - slot.intended_ns, 0)) / 1000;
  const uint64_t service_us =
      static_cast<uint64_t>(std::max<int64_t>(now - slot.sent_ns, 0)) / 1000;
  SeriesStats& series = current_.Series(slot.tpl, outcome);
  series.Record(response_us, service_us, result.bytes_sent, result.bytes_received);
  series.RecordPhases(result.connect_ns, result.tls_ns, result.ttfb_ns);
  if (outcome == Outcome::kOk || outcome == Outcome::kHttpError ||
      outcome == Outcome::kCheckFailed) {
    current_.RecordStatus(slot.tpl, result.status);
  } else if (IsError(outcome)) {
    current_.RecordError(slot.tpl, result.reason);
  }
  if (failed >= 0) current_.RecordCheckFailure(slot.tpl, static_cast<size_t>(failed));
  ++current_.completed;
  return outcome;
}

bool Worker::Advance(const Slot& slot, Outcome outcome, int64_t now) {
  const uint32_t index = static_cast<uint32_t>(slot.iter);
  FlowIteration& it = iterations_[index];
  if (it.flow < 0) return true;
  const CompiledFlow& flow = program_.flow(static_cast<size_t>(it.flow));
  FlowStats& stats = current_.Flow(static_cast<size_t>(it.flow));
  it.active_ns += std::max<int64_t>(now - slot.intended_ns, 0);
  if (outcome == Outcome::kAborted) {
    ++stats.aborted;
    return true;
  }
  if (outcome != Outcome::kOk) {
    ++stats.failed;
    current_.RecordStepFailure(slot.tpl);
    return true;
  }
  if (it.step + 1 >= flow.steps.size()) {
    ++stats.succeeded;
    stats.duration.Record(static_cast<uint64_t>(it.active_ns) / 1000);
    stats.duration_with_think.Record(
        static_cast<uint64_t>(std::max<int64_t>(now - it.first_due_ns, 0)) / 1000);
    return true;
  }
  const int64_t think = Think(flow.steps[it.step]);
  ++it.step;
  due_steps_.push_back({now + think, index});
  std::push_heap(due_steps_.begin(), due_steps_.end(), DueLater);
  return false;
}

void Worker::OnResult(const HttpResult& result, int64_t now) {
  const uint32_t index = static_cast<uint32_t>(result.token);
  const Slot slot = slots_[index];
  free_slots_.push_back(index);
  const Outcome outcome = Record(slot, result, now);
  if (slot.iter >= 0) {
    if (!Advance(slot, outcome, now)) return;  // the iteration goes on
    ReleaseIteration(static_cast<uint32_t>(slot.iter));
  }
  if (slot.vu >= 0) {
    const uint32_t vu = static_cast<uint32_t>(slot.vu);
    if (!stopped_ && vu < vu_target_ && now < run_end_ns_) {
      const int stage = StageAt(config_.scenario, absl::Nanoseconds(now));
      const int64_t think = stage >= 0 ? think_ns_[static_cast<size_t>(stage)] : 0;
      PushVu(vu, now + think);
    } else {
      vu_state_[vu] = VuState::kOff;
    }
  }
}

bool Worker::Finished(int64_t now) const {
  return client_.in_flight() == 0 &&
         (stopped_ || (now >= run_end_ns_ && due_steps_.empty()) ||
          (data_stopped_ && free_iterations_.size() == iterations_.size()));
}

void Worker::Publish(int64_t through) {
  current_.in_flight = static_cast<int64_t>(client_.in_flight());
  current_.active_vus = vu_target_;
  current_.connections_opened = client_.connections_opened();
  current_.h2_retries = client_.h2_retries();
  absl::MutexLock lock(&mu_);
  published_.Merge(current_);
  // connections_opened and h2_retries are cumulative in the client: report
  // the deltas.
  published_.connections_opened -= reported_connections_;
  reported_connections_ = current_.connections_opened;
  published_.h2_retries -= reported_h2_retries_;
  reported_h2_retries_ = current_.h2_retries;
  closed_through_ = std::max(closed_through_, through);
  current_.Reset();
}

void Worker::CloseFinal(int64_t now) {
  // Iterations waiting for their next step will not get it.
  for (const DueStep& d : due_steps_) {
    const FlowIteration& it = iterations_[d.iter];
    if (it.flow >= 0) ++current_.Flow(static_cast<size_t>(it.flow)).aborted;
    ReleaseIteration(d.iter);
  }
  due_steps_.clear();
  Publish(now / config_.interval_ns);
  absl::MutexLock lock(&mu_);
  final_ = true;
}

bool Worker::WaitClosed(int64_t index, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto closed = [this, index]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_through_ >= index || final_;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&closed), timeout);
}

void Worker::TakeIntervals(IntervalStats& into) {
  absl::MutexLock lock(&mu_);
  into.Merge(published_);
  published_.Reset();
}

int64_t Worker::closed_through() {
  absl::MutexLock lock(&mu_);
  return closed_through_;
}

bool Worker::final_published() {
  absl::MutexLock lock(&mu_);
  return final_;
}

void Worker::Run(Clock& clock, int64_t run_start_ns,
                 const std::atomic<bool>& stop,
                 const std::atomic<bool>& abandon) {
  auto on_done = [this, &clock, run_start_ns](const HttpResult& r) {
    OnResult(r, clock.NowNs() - run_start_ns);
  };
  while (true) {
    if (abandon.load(std::memory_order_relaxed)) {
      // Requests in flight are abandoned, and counted (outcome aborted):
      // the target may have served them.
      StopIssuing();
      client_.CancelAll(on_done);
      break;
    }
    if (stop.load(std::memory_order_relaxed)) StopIssuing();
    const int64_t now = clock.NowNs() - run_start_ns;
    const int64_t next = Step(now);
    if (Finished(now)) break;
    // A wakeup costs ~0.1 ms on a VM, and lateness here is schedule lag in
    // every measurement. So a long sleep (>= 2 ms) ends kSpinNs before the
    // due send and the rest is polled without sleeping. Other gaps are slept
    // as they are: at high rates spinning between sends would burn the CPU
    // the requests need (at most kSpinNs per 2 ms, 7.5%, this way). Except
    // the shortest: a sleep and its wakeup cost a VM ~12 us of CPU, so a
    // wait under kShortSpinNs is cheaper polled than slept (at 20k/s, 10%
    // less CPU per request).
    constexpr int64_t kSpinNs = 150'000;
    constexpr int64_t kLongSleepNs = 2'000'000;
    constexpr int64_t kShortSpinNs = 15'000;
    const int64_t wait = next == kNever ? 100'000'000 : std::max<int64_t>(next - now, 0);
    int64_t poll_ns = wait;
    if (wait >= kLongSleepNs) {
      poll_ns = wait - kSpinNs;
      spin_window_ = true;
    } else if ((spin_window_ && wait <= kSpinNs) || wait <= kShortSpinNs) {
      poll_ns = 0;
    } else {
      spin_window_ = false;
    }
    client_.Poll(std::min<int64_t>(poll_ns, 100'000'000), on_done);
  }
  CloseFinal(clock.NowNs() - run_start_ns);
}

}  // namespace barrage
