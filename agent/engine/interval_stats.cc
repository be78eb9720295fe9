// Copyright 2026 The Barrage Authors.

#include "agent/engine/interval_stats.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/stats/histogram_codec.h"
#include "common/stats/outcome_proto.h"

namespace barrage {

IntervalStats::IntervalStats(size_t templates, std::shared_ptr<const StatsLayout> layout)
    : series_(templates * kOutcomeCount), counts_(templates * kSlots, 0) {
  Adopt(layout);
}

void IntervalStats::Adopt(const std::shared_ptr<const StatsLayout>& layout) {
  if (layout == nullptr) return;
  layout_ = layout;
  const size_t templates = std::max(this->templates(), layout->templates);
  series_.resize(templates * kOutcomeCount);
  counts_.resize(templates * kSlots, 0);
  check_offsets_.assign(templates, 0);
  size_t total = 0;
  for (size_t t = 0; t < templates; ++t) {
    check_offsets_[t] = total;
    if (t < layout->reasons.size()) total += layout->reasons[t].size();
  }
  checks_.assign(total, 0);
  step_failures_.assign(templates, 0);
  flows_.resize(layout->flows.size());
}

uint64_t IntervalStats::CheckFailures(size_t tpl, size_t index) const {
  return checks_[check_offsets_[tpl] + index];
}

uint64_t IntervalStats::StatusCount(size_t tpl, int status) const {
  if (status < kFirstStatus || status >= kFirstStatus + static_cast<int>(kStatusSlots)) return 0;
  return counts_[tpl * kSlots + kErrorReasonCount + static_cast<size_t>(status - kFirstStatus)];
}

uint64_t IntervalStats::ErrorCount(size_t tpl, ErrorReason reason) const {
  return counts_[tpl * kSlots + static_cast<size_t>(reason)];
}

void IntervalStats::Merge(const IntervalStats& other) {
  if (layout_ == nullptr && other.layout_ != nullptr) Adopt(other.layout_);
  if (series_.size() < other.series_.size()) series_.resize(other.series_.size());
  for (size_t i = 0; i < other.series_.size(); ++i) {
    const SeriesStats* theirs = other.series_[i].get();
    if (theirs == nullptr || theirs->response.count() == 0) continue;
    if (!series_[i]) series_[i] = std::make_unique<SeriesStats>();
    series_[i]->Merge(*theirs);
  }
  if (counts_.size() < other.counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  for (size_t i = 0; i < std::min(checks_.size(), other.checks_.size()); ++i) {
    checks_[i] += other.checks_[i];
  }
  for (size_t i = 0; i < std::min(step_failures_.size(), other.step_failures_.size()); ++i) {
    step_failures_[i] += other.step_failures_[i];
  }
  for (size_t f = 0; f < std::min(flows_.size(), other.flows_.size()); ++f) {
    FlowStats& mine = flows_[f];
    const FlowStats& theirs = other.flows_[f];
    mine.started += theirs.started;
    mine.succeeded += theirs.succeeded;
    mine.failed += theirs.failed;
    mine.aborted += theirs.aborted;
    (void)mine.duration.Merge(theirs.duration);
    (void)mine.duration_with_think.Merge(theirs.duration_with_think);
  }
  data_exhausted += other.data_exhausted;
  (void)schedule_lag.Merge(other.schedule_lag);
  started += other.started;
  completed += other.completed;
  dropped += other.dropped;
  late += other.late;
  connections_opened += other.connections_opened;
  h2_retries += other.h2_retries;
  in_flight += other.in_flight;
  active_vus += other.active_vus;
  in_flight_capped = in_flight_capped || other.in_flight_capped;
  vus_capped = vus_capped || other.vus_capped;
}

void IntervalStats::Reset() {
  for (auto& s : series_) {
    if (s) s->Reset();
  }
  std::fill(counts_.begin(), counts_.end(), 0);
  std::fill(checks_.begin(), checks_.end(), 0);
  std::fill(step_failures_.begin(), step_failures_.end(), 0);
  for (FlowStats& f : flows_) {
    f.started = f.succeeded = f.failed = f.aborted = 0;
    f.duration.Reset();
    f.duration_with_think.Reset();
  }
  data_exhausted = 0;
  schedule_lag.Reset();
  started = completed = dropped = late = connections_opened = h2_retries = 0;
  in_flight = active_vus = 0;
  in_flight_capped = vus_capped = false;
}

uint64_t IntervalStats::Requests() const {
  uint64_t n = 0;
  for (const auto& s : series_) {
    if (s) n += s->response.count();
  }
  return n;
}

uint64_t IntervalStats::Errors() const {
  uint64_t n = 0;
  for (size_t i = 0; i < series_.size(); ++i) {
    if (series_[i] && IsError(static_cast<Outcome>(i % kOutcomeCount))) {
      n += series_[i]->response.count();
    }
  }
  return n;
}

void IntervalStats::ToReport(const std::vector<HttpRequestTemplate>& templates,
                             v1::StatsReport* report) const {
  for (size_t i = 0; i < series_.size(); ++i) {
    const SeriesStats* s = series_[i].get();
    if (s == nullptr || s->response.count() == 0) continue;
    v1::SeriesDelta* delta = report->add_series();
    delta->set_request(templates[i / kOutcomeCount].name);
    delta->set_outcome(OutcomeToProto(static_cast<Outcome>(i % kOutcomeCount)));
    EncodeHistogram(s->response, delta->mutable_response());
    EncodeHistogram(s->service, delta->mutable_service());
    delta->set_bytes_sent(s->bytes_sent);
    delta->set_bytes_received(s->bytes_received);
    for (uint64_t cumulative : s->LeCumulative()) delta->add_le_counts(cumulative);
    if (s->connect.count() > 0) EncodeHistogram(s->connect, delta->mutable_connect());
    if (s->tls.count() > 0) EncodeHistogram(s->tls, delta->mutable_tls());
    if (s->ttfb.count() > 0) EncodeHistogram(s->ttfb, delta->mutable_ttfb());
  }
  const size_t with_counts = std::min(templates.size(), counts_.size() / kSlots);
  std::vector<std::pair<uint64_t, std::string>> reasons;
  for (size_t tpl = 0; tpl < with_counts; ++tpl) {
    const uint64_t* counts = &counts_[tpl * kSlots];
    reasons.clear();
    for (size_t r = 1; r < kErrorReasonCount; ++r) {
      if (counts[r] > 0) {
        reasons.emplace_back(counts[r], ErrorReasonName(static_cast<ErrorReason>(r)));
      }
    }
    if (layout_ != nullptr && tpl < layout_->reasons.size()) {
      const std::vector<std::string>& names = layout_->reasons[tpl];
      for (size_t k = 0; k < names.size(); ++k) {
        const uint64_t n = checks_[check_offsets_[tpl] + k];
        if (n > 0) reasons.emplace_back(n, names[k]);
      }
    }
    for (size_t k = 0; k < kStatusSlots; ++k) {
      const uint64_t n = counts[kErrorReasonCount + k];
      if (n == 0) continue;
      const int status = kFirstStatus + static_cast<int>(k);
      v1::StatusCount* sc = report->add_statuses();
      sc->set_request(templates[tpl].name);
      sc->set_status(static_cast<uint32_t>(status));
      sc->set_count(n);
      if (!templates[tpl].Succeeded(status)) {
        reasons.emplace_back(n, absl::StrCat("http: ", status));
      }
    }
    // Top reasons first (ties by name, so reports are deterministic); past
    // the cap, the rest go to "other".
    std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    uint64_t other = 0;
    size_t kept = 0;
    for (const auto& [n, name] : reasons) {
      if (name == "other" || kept >= kMaxReasonsPerRequest - 1) {
        other += n;
        continue;
      }
      ++kept;
      v1::ErrorCount* e = report->add_errors();
      e->set_request(templates[tpl].name);
      e->set_reason(name);
      e->set_count(n);
    }
    if (other > 0) {
      v1::ErrorCount* e = report->add_errors();
      e->set_request(templates[tpl].name);
      e->set_reason("other");
      e->set_count(other);
    }
  }
  for (size_t f = 0; f < flows_.size(); ++f) {
    const FlowStats& fs = flows_[f];
    if (fs.started + fs.succeeded + fs.failed + fs.aborted == 0) continue;
    v1::FlowDelta* d = report->add_flows();
    d->set_flow(layout_->flows[f]);
    d->set_started(fs.started);
    d->set_succeeded(fs.succeeded);
    d->set_failed(fs.failed);
    d->set_aborted(fs.aborted);
    EncodeHistogram(fs.duration, d->mutable_duration());
    EncodeHistogram(fs.duration_with_think, d->mutable_duration_with_think());
    for (uint32_t tpl : layout_->flow_steps[f]) {
      if (tpl >= step_failures_.size() || tpl >= templates.size() || step_failures_[tpl] == 0) {
        continue;
      }
      v1::FlowFailure* failure = d->add_failures();
      failure->set_step(templates[tpl].name);
      failure->set_count(step_failures_[tpl]);
    }
  }
  v1::AgentCounters* c = report->mutable_counters();
  c->set_data_exhausted(data_exhausted);
  c->set_dropped(dropped);
  c->set_late(late);
  c->set_in_flight(static_cast<uint64_t>(in_flight));
  c->set_connections_opened(connections_opened);
  c->set_h2_retries(h2_retries);
  c->set_active_vus(static_cast<uint64_t>(active_vus));
  c->set_started(started);
  c->set_in_flight_capped(in_flight_capped);
  c->set_vus_capped(vus_capped);
  EncodeHistogram(schedule_lag, c->mutable_schedule_lag());
}

}  // namespace barrage
