// Copyright 2026 The Barrage Authors.

#include "controller/run/run_merger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/stats/histogram_codec.h"
#include "common/stats/outcome_proto.h"

namespace barrage {
namespace {

// The scenario's requests, then its flows' steps ("FLOW.STEP").
std::vector<std::string> RequestNames(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const RequestSpec& r : scenario.requests) names.push_back(r.name);
  for (const FlowSpec& f : scenario.flows) {
    for (const FlowStep& step : f.steps) names.push_back(step.request.name);
  }
  return names;
}

}  // namespace

RunMerger::RunMerger(std::string run_id, const Scenario& scenario)
    : run_id_(std::move(run_id)), series_recorder_(RequestNames(scenario)) {
  request_names_ = RequestNames(scenario);
  for (const FlowSpec& f : scenario.flows) {
    flow_names_.push_back(f.name);
    std::vector<std::string> steps;
    for (const FlowStep& step : f.steps) steps.push_back(step.request.name);
    flow_steps_.push_back(std::move(steps));
  }
  flows_.resize(flow_names_.size());
  series_recorder_.set_flows(flow_names_);
  series_.resize(request_names_.size() * kOutcomeCount);
  reasons_.resize(request_names_.size());
  statuses_.resize(request_names_.size());
  int64_t start_ns = 0;
  for (const Stage& st : scenario.stages) {
    const int64_t end_ns = start_ns + absl::ToInt64Nanoseconds(st.duration);
    if (st.warmup) warmup_ns_.push_back({start_ns, end_ns});
    start_ns = end_ns;
  }
  series_recorder_.set_warmup(warmup_ns_);
}

bool RunMerger::InWarmup(int64_t at_ns) const {
  for (const auto& [from, to] : warmup_ns_) {
    if (at_ns >= from && at_ns < to) return true;
  }
  return false;
}

double RunMerger::WarmupSeconds(double through_s) const {
  double s = 0;
  for (const auto& [from, to] : warmup_ns_) {
    s += std::max(0.0, std::min(static_cast<double>(to) / 1e9, through_s) -
                           static_cast<double>(from) / 1e9);
  }
  return s;
}

absl::Status RunMerger::Validate(
    const v1::StatsReport& r,
    std::vector<std::pair<size_t, Outcome>>& keys) const {
  if (r.run_id() != run_id_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "report for run '", r.run_id(), "', expected '", run_id_, "'"));
  }
  if (r.agent_id().empty()) return absl::InvalidArgumentError("report without agent_id");
  if (r.seq() == 0) return absl::InvalidArgumentError("report seq must start at 1");
  std::set<std::pair<size_t, Outcome>> unique;
  for (int i = 0; i < r.series_size(); ++i) {
    const v1::SeriesDelta& s = r.series(i);
    const std::string where = absl::StrCat("series[", i, "]");
    const size_t request = RequestIndex(s.request());
    if (request == kAllRequests) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown request '", s.request(), "'"));
    }
    absl::StatusOr<Outcome> decoded = OutcomeFromProto(s.outcome());
    if (!decoded.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": unknown outcome"));
    }
    const Outcome outcome = *decoded;
    if (!unique.insert({request, outcome}).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": repeated series"));
    }
    for (const v1::HistogramSnapshot* h : {&s.response(), &s.service()}) {
      if (absl::Status st = ValidateSnapshot(*h); !st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": ", st.message()));
      }
      if (h->significant_digits() != 3) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": histograms must have 3 significant digits"));
      }
    }
    if (s.service().count() != s.response().count()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": response and service counts differ"));
    }
    // The phases are optional; present, they are histograms like the rest.
    for (const v1::HistogramSnapshot* h : {&s.connect(), &s.tls(), &s.ttfb()}) {
      if (h->count() == 0) continue;
      if (absl::Status st = ValidateSnapshot(*h); !st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": phases: ", st.message()));
      }
      if (h->significant_digits() != 3 || h->count() > s.response().count()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": phases: 3 significant digits and at most count entries"));
      }
    }
    if (s.le_counts_size() != 0) {
      if (static_cast<size_t>(s.le_counts_size()) != kLeBoundCount) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": le_counts must have ", kLeBoundCount, " entries"));
      }
      uint64_t previous = 0;
      for (uint64_t c : s.le_counts()) {
        if (c < previous || c > s.response().count()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": le_counts are not cumulative within count"));
        }
        previous = c;
      }
    }
    keys.emplace_back(request, outcome);
  }
  std::vector<size_t> reasons_per_request(request_names_.size(), 0);
  for (int i = 0; i < r.errors_size(); ++i) {
    const v1::ErrorCount& e = r.errors(i);
    const std::string where = absl::StrCat("errors[", i, "]");
    const size_t request = RequestIndex(e.request());
    if (request == kAllRequests) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown request '", e.request(), "'"));
    }
    if (e.reason().empty() || e.reason().size() > 48 ||
        !std::all_of(e.reason().begin(), e.reason().end(),
                     [](char ch) { return ch >= ' ' && ch <= '~'; })) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": reason must be 1 to 48 printable characters"));
    }
    if (e.count() == 0) return absl::InvalidArgumentError(absl::StrCat(where, ": count 0"));
    if (++reasons_per_request[request] > 16) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": more than 16 reasons for request '", e.request(), "'"));
    }
  }
  for (int i = 0; i < r.statuses_size(); ++i) {
    const v1::StatusCount& st = r.statuses(i);
    const std::string where = absl::StrCat("statuses[", i, "]");
    if (RequestIndex(st.request()) == kAllRequests) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown request '", st.request(), "'"));
    }
    if (st.status() < 100 || st.status() > 599 || st.count() == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": status must be 100..599 with a count > 0"));
    }
  }
  if (absl::Status st = ValidateFlows(r); !st.ok()) return st;
  if (r.counters().has_schedule_lag()) {
    if (absl::Status st = ValidateSnapshot(r.counters().schedule_lag());
        !st.ok() || r.counters().schedule_lag().significant_digits() != 3) {
      return absl::InvalidArgumentError("counters.schedule_lag is malformed");
    }
  }
  if (r.interval_length_ns() <= 0 || r.interval_start_ns() < 0 ||
      r.interval_start_ns() / r.interval_length_ns() > 10'000'000) {
    return absl::InvalidArgumentError("interval bounds are out of range");
  }
  // A flood of reports for intervals far from the ones closing now would
  // hold memory open: the open ones are bounded.
  const int64_t k = r.interval_start_ns() / r.interval_length_ns();
  if (k > closed_through_ && open_.find(k) == open_.end() &&
      open_.size() >= kMaxOpenIntervals) {
    return absl::InvalidArgumentError("too many intervals open at once");
  }
  if (!(r.counters().cpu_seconds() >= 0 && r.counters().cpu_seconds() < 1e6)) {
    return absl::InvalidArgumentError("counters.cpu_seconds is out of range");
  }
  const std::string& client = r.counters().http_client();
  if (client.size() > 32 || !std::all_of(client.begin(), client.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
      })) {
    return absl::InvalidArgumentError(
        "counters.http_client is not a client name ([a-z0-9.-], at most 32 characters)");
  }
  return absl::OkStatus();
}

absl::Status RunMerger::Apply(const v1::StatsReport& r) {
  if (seen_.count({r.agent_id(), r.seq()}) != 0) {
    ++duplicates_;
    return absl::AlreadyExistsError(
        absl::StrCat("duplicate report ", r.agent_id(), "#", r.seq()));
  }
  std::vector<std::pair<size_t, Outcome>> keys;
  if (absl::Status st = Validate(r, keys); !st.ok()) {
    ++rejected_;
    return st;
  }
  std::vector<size_t> flows;  // validated: every flow is known
  for (const v1::FlowDelta& f : r.flows()) flows.push_back(FlowIndex(f.flow()));
  seen_.insert({r.agent_id(), r.seq()});
  AgentTotals& agent = agents_[r.agent_id()];
  const bool warmup = InWarmup(r.interval_start_ns());
  for (int i = 0; i < r.series_size(); ++i) {
    const v1::SeriesDelta& s = r.series(i);
    agent.requests += s.response().count();
    if (IsError(keys[static_cast<size_t>(i)].second)) {
      agent.errors += s.response().count();
    }
    if (warmup) continue;  // the series and the agent's totals only
    auto& slot = series_[keys[static_cast<size_t>(i)].first * kOutcomeCount +
                         static_cast<size_t>(keys[static_cast<size_t>(i)].second)];
    if (!slot) slot = std::make_unique<SeriesStats>();
    // Validated above: these cannot fail.
    (void)MergeSnapshot(s.response(), slot->response);
    (void)MergeSnapshot(s.service(), slot->service);
    slot->bytes_sent += s.bytes_sent();
    slot->bytes_received += s.bytes_received();
    slot->AddLeCumulative(s.le_counts(), s.response().count());
    if (s.connect().count() > 0) (void)MergeSnapshot(s.connect(), slot->connect);
    if (s.tls().count() > 0) (void)MergeSnapshot(s.tls(), slot->tls);
    if (s.ttfb().count() > 0) (void)MergeSnapshot(s.ttfb(), slot->ttfb);
  }
  for (const v1::ErrorCount& e : r.errors()) {
    if (warmup) break;
    std::map<std::string, uint64_t>& reasons = reasons_[RequestIndex(e.request())];
    // A new reason past kMaxReasons - 1 goes to "other" (the last slot).
    const bool known = reasons.count(e.reason()) != 0 || e.reason() == "other";
    reasons[known || reasons.size() < kMaxReasons - 1 ? e.reason() : "other"] += e.count();
  }
  for (const v1::StatusCount& st : r.statuses()) {
    if (warmup) break;
    statuses_[RequestIndex(st.request())][st.status()] += st.count();
  }
  interval_ns_ = r.interval_length_ns();
  const size_t interval =
      static_cast<size_t>(r.interval_start_ns() / r.interval_length_ns());
  if (by_interval_.size() <= interval) by_interval_.resize(interval + 1, 0);
  for (const v1::SeriesDelta& s : r.series()) {
    by_interval_[interval] += s.response().count();
  }
  const int64_t k = static_cast<int64_t>(interval);
  // The run's series takes every report, late ones too.
  series_recorder_.set_interval_ns(interval_ns_);
  for (int i = 0; i < r.series_size(); ++i) {
    const auto [req, outcome] = keys[static_cast<size_t>(i)];
    const v1::HistogramSnapshot& response = r.series(i).response();
    absl::StatusOr<SparseHistogram> ok;
    if (outcome == Outcome::kOk) ok = SparseHistogram::FromSnapshot(response);
    series_recorder_.AddResults(k, req, outcome, response.count(),
                                ok.ok() ? &*ok : nullptr);
  }
  for (const v1::StatusCount& st : r.statuses()) {
    series_recorder_.AddStatus(k, RequestIndex(st.request()), st.status(), st.count());
  }
  series_recorder_.AddVus(k, r.agent_id(), static_cast<int64_t>(r.counters().active_vus()));
  ApplyFlows(r, flows, k, warmup);
  int64_t& last = agent_interval_[r.agent_id()];
  last = std::max(last, k);
  if (k <= closed_through_) {
    ++late_reports_;  // counts in the run, not in closed windows
  } else if (!warmup) {
    OpenInterval& open = open_[k];
    if (open.responses.empty()) {
      open.responses.resize(request_names_.size());
      open.requests.assign(request_names_.size(), 0);
      open.errors.assign(request_names_.size(), 0);
    }
    for (int i = 0; i < r.series_size(); ++i) {
      const size_t req = keys[static_cast<size_t>(i)].first;
      if (keys[static_cast<size_t>(i)].second == Outcome::kOk) {
        auto& h = open.responses[req];
        if (!h) h = std::make_unique<Histogram>();
        (void)MergeSnapshot(r.series(i).response(), *h);
      }
      open.requests[req] += r.series(i).response().count();
      if (IsError(keys[static_cast<size_t>(i)].second)) {
        open.errors[req] += r.series(i).response().count();
      }
    }
  }
  const v1::AgentCounters& c = r.counters();
  ++agent.reports;
  agent.started += c.started();
  agent.dropped += c.dropped();
  agent.late += c.late();
  agent.connections_opened += c.connections_opened();
  agent.h2_retries += c.h2_retries();
  agent.cpu_seconds += c.cpu_seconds();
  agent.workers = c.workers();
  if (!c.http_client().empty()) agent.http_client = c.http_client();
  agent.saturated_intervals += c.saturated() ? 1 : 0;
  agent.in_flight_capped_intervals += c.in_flight_capped() ? 1 : 0;
  agent.vus_capped_intervals += c.vus_capped() ? 1 : 0;
  if (c.max_in_flight() > 0) agent.max_in_flight = c.max_in_flight();
  agent.last_seq = std::max(agent.last_seq, r.seq());
  agent.final_seen = agent.final_seen || r.final();
  agent.last_active_vus = static_cast<int64_t>(c.active_vus());
  if (c.has_schedule_lag()) (void)MergeSnapshot(c.schedule_lag(), agent.schedule_lag);
  return absl::OkStatus();
}

const SeriesStats* RunMerger::Find(size_t request, Outcome outcome) const {
  return series_[request * kOutcomeCount + static_cast<size_t>(outcome)].get();
}

Histogram RunMerger::MergedSeries(size_t request, Histogram SeriesStats::*which,
                                  bool errors) const {
  Histogram h;
  for (size_t i = 0; i < series_.size(); ++i) {
    const Outcome outcome = static_cast<Outcome>(i % kOutcomeCount);
    const bool wanted = errors ? IsError(outcome) : outcome == Outcome::kOk;
    if (series_[i] && wanted && (request == kAllRequests || i / kOutcomeCount == request)) {
      (void)h.Merge((*series_[i]).*which);
    }
  }
  return h;
}

Histogram RunMerger::Responses(size_t request) const {
  return MergedSeries(request, &SeriesStats::response, false);
}

Histogram RunMerger::Services(size_t request) const {
  return MergedSeries(request, &SeriesStats::service, false);
}

Histogram RunMerger::Phase(Histogram SeriesStats::*phase) const {
  Histogram h;
  for (const auto& s : series_) {
    if (s) (void)h.Merge((*s).*phase);
  }
  return h;
}

Histogram RunMerger::ErrorResponses(size_t request) const {
  return MergedSeries(request, &SeriesStats::response, true);
}

std::vector<std::pair<std::string, uint64_t>> RunMerger::ErrorReasons(size_t request) const {
  std::map<std::string, uint64_t> sum;
  for (size_t i = 0; i < reasons_.size(); ++i) {
    if (request != kAllRequests && i != request) continue;
    for (const auto& [reason, n] : reasons_[i]) sum[reason] += n;
  }
  std::vector<std::pair<std::string, uint64_t>> out(sum.begin(), sum.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::map<uint32_t, uint64_t> RunMerger::Statuses(size_t request) const {
  std::map<uint32_t, uint64_t> sum;
  for (size_t i = 0; i < statuses_.size(); ++i) {
    if (request != kAllRequests && i != request) continue;
    for (const auto& [status, n] : statuses_[i]) sum[status] += n;
  }
  return sum;
}

uint64_t RunMerger::Requests(size_t request) const {
  uint64_t n = 0;
  for (size_t i = 0; i < series_.size(); ++i) {
    if (series_[i] && (request == kAllRequests || i / kOutcomeCount == request)) {
      n += series_[i]->response.count();
    }
  }
  return n;
}

size_t RunMerger::RequestIndex(const std::string& name) const {
  for (size_t i = 0; i < request_names_.size(); ++i) {
    if (request_names_[i] == name) return i;
  }
  return kAllRequests;
}

MetricView RunMerger::RunView(size_t request, double seconds) const {
  MetricView v;
  v.responses = Responses(request);
  v.requests = Requests(request);
  v.errors = Errors(request);
  v.seconds = std::max(0.0, seconds - WarmupSeconds(seconds));
  return v;
}

uint64_t RunMerger::Errors(size_t request) const {
  uint64_t n = 0;
  for (size_t i = 0; i < series_.size(); ++i) {
    if (series_[i] && IsError(static_cast<Outcome>(i % kOutcomeCount)) &&
        (request == kAllRequests || i / kOutcomeCount == request)) {
      n += series_[i]->response.count();
    }
  }
  return n;
}

uint64_t RunMerger::Count(Outcome outcome) const {
  uint64_t n = 0;
  for (size_t i = static_cast<size_t>(outcome); i < series_.size(); i += kOutcomeCount) {
    if (series_[i]) n += series_[i]->response.count();
  }
  return n;
}

uint64_t RunMerger::BytesReceived() const {
  uint64_t n = 0;
  for (const auto& s : series_) {
    if (s) n += s->bytes_received;
  }
  return n;
}

uint64_t RunMerger::BytesSent() const {
  uint64_t n = 0;
  for (const auto& s : series_) {
    if (s) n += s->bytes_sent;
  }
  return n;
}

uint64_t RunMerger::Dropped() const {
  uint64_t n = 0;
  for (const auto& [id, a] : agents_) n += a.dropped;
  return n;
}

}  // namespace barrage

namespace barrage {

void RunMerger::CloseIntervals(int64_t elapsed_ns,
                               const std::vector<std::string>& agents,
                               int64_t grace_ns, bool all) {
  while (true) {
    const int64_t k = closed_through_ + 1;
    bool reported = !agents.empty();
    for (const std::string& a : agents) {
      auto it = agent_interval_.find(a);
      reported = reported && it != agent_interval_.end() && it->second >= k;
    }
    const bool expired = elapsed_ns >= (k + 1) * interval_ns_ + grace_ns;
    const bool any_open_after = !open_.empty() && open_.rbegin()->first >= k;
    if (all ? !any_open_after : !(reported || expired)) return;
    ClosedInterval closed;
    closed.index = k;
    closed.warmup = InWarmup(k * interval_ns_);
    closed.responses.resize(request_names_.size());
    closed.requests.assign(request_names_.size(), 0);
    closed.errors.assign(request_names_.size(), 0);
    closed.flow_durations.resize(flow_names_.size());
    closed.flow_ended.assign(flow_names_.size(), 0);
    closed.flow_failed.assign(flow_names_.size(), 0);
    auto it = open_.find(k);
    if (it != open_.end()) {
      for (size_t r = 0; r < request_names_.size(); ++r) {
        if (it->second.responses[r]) {
          EncodeHistogram(*it->second.responses[r], &closed.responses[r]);
        }
        closed.requests[r] = it->second.requests[r];
        closed.errors[r] = it->second.errors[r];
      }
      const OpenInterval& o = it->second;
      for (size_t f = 0; f < o.flow_durations.size(); ++f) {
        if (o.flow_durations[f]) EncodeHistogram(*o.flow_durations[f], &closed.flow_durations[f]);
        closed.flow_ended[f] = o.flow_ended[f];
        closed.flow_failed[f] = o.flow_failed[f];
      }
      open_.erase(it);
    }
    closed_.push_back(std::move(closed));
    if (closed_.size() > kKeptIntervals) closed_.pop_front();
    closed_through_ = k;
    series_recorder_.Close(k);
  }
}

MetricView RunMerger::Window(size_t request, int64_t intervals) const {
  MetricView v;
  int64_t taken = 0;
  for (auto it = closed_.rbegin(); it != closed_.rend() && taken < intervals; ++it) {
    if (it->warmup) continue;
    ++taken;
    for (size_t r = 0; r < request_names_.size(); ++r) {
      if (request != kAllRequests && r != request) continue;
      if (it->responses[r].count() > 0) {
        (void)MergeSnapshot(it->responses[r], v.responses);
      }
      v.requests += it->requests[r];
      v.errors += it->errors[r];
    }
  }
  v.seconds = static_cast<double>(taken) * static_cast<double>(interval_ns_) / 1e9;
  return v;
}

int64_t RunMerger::LastInterval(const std::string& agent) const {
  auto it = agent_interval_.find(agent);
  return it == agent_interval_.end() ? -1 : it->second;
}

uint64_t RunMerger::IntervalRequests(int64_t index) const {
  for (auto it = closed_.rbegin(); it != closed_.rend(); ++it) {
    if (it->index == index) {
      uint64_t n = 0;
      for (uint64_t c : it->requests) n += c;
      return n;
    }
    if (it->index < index) break;
  }
  return 0;
}

}  // namespace barrage
