// Copyright 2026 The Barrage Authors.
//
// RunMerger's flows (run_merger.h): checking and adding FlowDeltas, and
// the flow views thresholds read.

#include "controller/run/run_merger.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/stats/histogram_codec.h"

namespace barrage {
namespace {

absl::Status ValidHistogram(const v1::HistogramSnapshot& h, const std::string& where) {
  if (absl::Status st = ValidateSnapshot(h); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", st.message()));
  }
  if (h.significant_digits() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": histograms must have 3 significant digits"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunMerger::ValidateFlows(const v1::StatsReport& r) const {
  std::set<size_t> unique;
  for (int i = 0; i < r.flows_size(); ++i) {
    const v1::FlowDelta& f = r.flows(i);
    const std::string where = absl::StrCat("flows[", i, "]");
    const size_t flow = FlowIndex(f.flow());
    if (flow == kNoFlow) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown flow '", f.flow(), "'"));
    }
    if (!unique.insert(flow).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": repeated flow"));
    }
    // Either histogram may be left out (empty); present, it is checked.
    for (const v1::HistogramSnapshot* h : {&f.duration(), &f.duration_with_think()}) {
      if (h->count() == 0) continue;
      if (absl::Status st = ValidHistogram(*h, where); !st.ok()) return st;
      if (h->count() > f.succeeded()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": more durations than succeeded iterations"));
      }
    }
    const std::vector<std::string>& steps = flow_steps_[flow];
    std::set<std::string> failed_steps;
    uint64_t failures = 0;
    for (int j = 0; j < f.failures_size(); ++j) {
      const v1::FlowFailure& x = f.failures(j);
      const std::string at = absl::StrCat(where, ".failures[", j, "]");
      if (std::find(steps.begin(), steps.end(), x.step()) == steps.end()) {
        return absl::InvalidArgumentError(absl::StrCat(at, ": unknown step '", x.step(),
                                                       "' of flow '", f.flow(), "'"));
      }
      if (x.count() == 0 || !failed_steps.insert(x.step()).second) {
        return absl::InvalidArgumentError(absl::StrCat(at, ": count 0 or a repeated step"));
      }
      failures += x.count();
    }
    if (failures > f.failed()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": more failures by step than failed iterations"));
    }
  }
  return absl::OkStatus();
}

void RunMerger::ApplyFlows(const v1::StatsReport& r, const std::vector<size_t>& flows,
                           int64_t k, bool warmup) {
  if (r.flows_size() == 0) return;
  OpenInterval* open = nullptr;
  if (k > closed_through_ && !warmup) {
    open = &open_[k];
    if (open->responses.empty()) {
      open->responses.resize(request_names_.size());
      open->requests.assign(request_names_.size(), 0);
      open->errors.assign(request_names_.size(), 0);
    }
  }
  for (int i = 0; i < r.flows_size(); ++i) {
    const v1::FlowDelta& f = r.flows(i);
    const size_t flow = flows[static_cast<size_t>(i)];
    FlowInterval delta;
    delta.started = f.started();
    delta.succeeded = f.succeeded();
    delta.failed = f.failed();
    delta.aborted = f.aborted();
    if (f.duration().count() > 0) {
      absl::StatusOr<SparseHistogram> h = SparseHistogram::FromSnapshot(f.duration());
      if (h.ok()) delta.duration = *std::move(h);
    }
    series_recorder_.AddFlow(k, flow, delta);
    if (warmup) continue;  // the series only, as for requests
    FlowTotals& t = flows_[flow];
    t.started += f.started();
    t.succeeded += f.succeeded();
    t.failed += f.failed();
    t.aborted += f.aborted();
    // Validated: these cannot fail.
    if (f.duration().count() > 0) (void)MergeSnapshot(f.duration(), t.duration);
    if (f.duration_with_think().count() > 0) {
      (void)MergeSnapshot(f.duration_with_think(), t.duration_with_think);
    }
    for (const v1::FlowFailure& x : f.failures()) t.failures[x.step()] += x.count();
    if (open == nullptr) continue;
    if (open->flow_durations.empty()) {
      open->flow_durations.resize(flow_names_.size());
      open->flow_ended.assign(flow_names_.size(), 0);
      open->flow_failed.assign(flow_names_.size(), 0);
    }
    if (f.duration().count() > 0) {
      auto& h = open->flow_durations[flow];
      if (!h) h = std::make_unique<Histogram>();
      (void)MergeSnapshot(f.duration(), *h);
    }
    open->flow_ended[flow] += f.succeeded() + f.failed();
    open->flow_failed[flow] += f.failed();
  }
}

MetricView RunMerger::FlowWindow(size_t flow, int64_t intervals) const {
  MetricView v;
  int64_t taken = 0;
  for (auto it = closed_.rbegin(); it != closed_.rend() && taken < intervals; ++it) {
    if (it->warmup) continue;
    ++taken;
    if (flow >= it->flow_ended.size()) continue;
    if (it->flow_durations[flow].count() > 0) {
      (void)MergeSnapshot(it->flow_durations[flow], v.responses);
    }
    v.requests += it->flow_ended[flow];
    v.errors += it->flow_failed[flow];
  }
  v.seconds = static_cast<double>(taken) * static_cast<double>(interval_ns_) / 1e9;
  return v;
}

MetricView RunMerger::FlowRunView(size_t flow, double seconds) const {
  MetricView v;
  v.seconds = seconds;
  if (flow >= flows_.size()) return v;
  const FlowTotals& t = flows_[flow];
  (void)v.responses.Merge(t.duration);
  v.requests = t.succeeded + t.failed;
  v.errors = t.failed;
  return v;
}

size_t RunMerger::FlowIndex(const std::string& name) const {
  for (size_t i = 0; i < flow_names_.size(); ++i) {
    if (flow_names_[i] == name) return i;
  }
  return kNoFlow;
}

MetricView RunMerger::ThresholdRunView(const Threshold& t, double seconds) const {
  if (!t.flow.empty()) return FlowRunView(FlowIndex(t.flow), seconds);
  return RunView(RequestIndex(t.request), seconds);
}

MetricView RunMerger::ThresholdWindow(const Threshold& t, int64_t intervals) const {
  if (!t.flow.empty()) return FlowWindow(FlowIndex(t.flow), intervals);
  return Window(RequestIndex(t.request), intervals);
}

uint64_t RunMerger::ThresholdResults(const Threshold& t) const {
  if (t.flow.empty()) return Requests(RequestIndex(t.request));
  const size_t flow = FlowIndex(t.flow);
  return flow == kNoFlow ? 0 : flows_[flow].succeeded + flows_[flow].failed;
}

}  // namespace barrage
