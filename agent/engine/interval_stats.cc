// Copyright 2026 The Barrage Authors.

#include "agent/engine/interval_stats.h"

#include "common/stats/histogram_codec.h"
#include "common/stats/outcome_proto.h"

namespace barrage {

IntervalStats::IntervalStats(size_t templates)
    : series_(templates * kOutcomeCount) {}

void IntervalStats::Merge(const IntervalStats& other) {
  if (series_.size() < other.series_.size()) series_.resize(other.series_.size());
  for (size_t i = 0; i < other.series_.size(); ++i) {
    const SeriesStats* theirs = other.series_[i].get();
    if (theirs == nullptr || theirs->response.count() == 0) continue;
    if (!series_[i]) series_[i] = std::make_unique<SeriesStats>();
    series_[i]->Merge(*theirs);
  }
  (void)schedule_lag.Merge(other.schedule_lag);
  started += other.started;
  completed += other.completed;
  dropped += other.dropped;
  late += other.late;
  connections_opened += other.connections_opened;
  in_flight += other.in_flight;
  active_vus += other.active_vus;
}

void IntervalStats::Reset() {
  for (auto& s : series_) {
    if (s) s->Reset();
  }
  schedule_lag.Reset();
  started = completed = dropped = late = connections_opened = 0;
  in_flight = active_vus = 0;
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
    if (series_[i] && i % kOutcomeCount != static_cast<size_t>(Outcome::kOk)) {
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
  }
  v1::AgentCounters* c = report->mutable_counters();
  c->set_dropped(dropped);
  c->set_late(late);
  c->set_in_flight(static_cast<uint64_t>(in_flight));
  c->set_connections_opened(connections_opened);
  c->set_active_vus(static_cast<uint64_t>(active_vus));
  c->set_started(started);
  EncodeHistogram(schedule_lag, c->mutable_schedule_lag());
}

}  // namespace barrage
