// Copyright 2026 The Barrage Authors.
//
// The coordinator's monitor part (run_coordinator.h, "Monitor"): the
// sampler's life and what its samples become.

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/scenario/codec.h"
#include "controller/run/run_coordinator.h"

namespace barrage {

v1::ScenarioSpec RunCoordinator::AgentSpec(const Scenario& scenario) {
  v1::ScenarioSpec spec = ScenarioToProto(scenario);
  if (spec.has_monitor()) spec.mutable_monitor()->clear_token();
  return spec;
}

void RunCoordinator::StartMonitor() {
  if (!run_->scenario.monitor.has_value() || run_->sampler) return;
  const MonitorSpec& spec = *run_->scenario.monitor;
  std::unique_ptr<MonitorSource> source =
      options_.monitor_source ? options_.monitor_source(spec)
                              : std::make_unique<PrometheusClient>(spec.url, spec.token);
  run_->monitor = std::make_unique<MonitorRecord>(spec);
  std::vector<std::string> names;
  for (const MonitorQuery& q : spec.queries) names.push_back(q.name);
  run_->merger->series().set_monitor(std::move(names));
  run_->sampler =
      std::make_unique<MonitorSampler>(spec, std::move(source), clock_, run_->zero_ns);
  if (options_.monitor_thread) run_->sampler->Start();
}

void RunCoordinator::CollectMonitor() {
  if (!run_->sampler) return;
  MonitorTaken taken = run_->sampler->Take();
  for (const MonitorSample& s : taken.samples) {
    run_->monitor->AddSample(s.query, s.run_s, s.value);
    run_->merger->series().AddMonitor(s.run_s, s.query, s.value);
  }
  for (size_t q : taken.gaps) run_->monitor->AddGap(q);
  for (const std::string& e : taken.events) Notice("monitor_error", "", e);
}

void RunCoordinator::StopMonitor() {
  if (!run_->sampler) return;
  run_->sampler->Stop();
  CollectMonitor();
  retired_samplers_.push_back(std::move(run_->sampler));
}

void RunCoordinator::SampleMonitorRound() {
  MonitorSampler* sampler = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (run_ && run_->sampler) sampler = run_->sampler.get();
  }
  // Outside the lock, as on the sampler's thread; only tests call this,
  // from the thread that also ends the run.
  if (sampler != nullptr) sampler->SampleRound();
}

ThresholdResult RunCoordinator::JudgeMonitor(const Threshold& t, double from_s,
                                             double to_s) const {
  ThresholdResult r;
  r.expression = t.Expression();
  r.abort = t.abort;
  std::optional<size_t> q = run_->monitor ? run_->monitor->Index(t.monitor) : std::nullopt;
  std::optional<double> mean =
      q.has_value() ? run_->monitor->Mean(*q, from_s, to_s) : std::nullopt;
  if (!mean.has_value()) {
    r.no_data = true;
    return r;
  }
  r.value = *mean;
  r.passed = t.above ? *mean > t.limit : *mean < t.limit;
  return r;
}

void RunCoordinator::MonitorProgress(v1::Progress& p) const {
  p.clear_monitor();
  if (!run_->monitor) return;
  for (size_t q = 0; q < run_->monitor->size() && p.monitor_size() < 3; ++q) {
    if (std::optional<double> v = run_->monitor->Latest(q)) {
      v1::MonitorReading* m = p.add_monitor();
      m->set_name(run_->monitor->name(q));
      m->set_value(*v);
    }
  }
}

}  // namespace barrage
