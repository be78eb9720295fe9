// Copyright 2026 The Barrage Authors.

#include "controller/monitor/monitor_sampler.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {

MonitorSampler::MonitorSampler(MonitorSpec spec,
                               std::unique_ptr<MonitorSource> source,
                               Clock& clock, int64_t zero_ns)
    : spec_(std::move(spec)),
      source_(std::move(source)),
      clock_(clock),
      zero_ns_(zero_ns) {}

MonitorSampler::~MonitorSampler() {
  Stop();
  if (thread_.joinable()) thread_.join();
}

void MonitorSampler::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

void MonitorSampler::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
}

void MonitorSampler::SampleRound() {
  for (size_t q = 0; q < spec_.queries.size(); ++q) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    const double run_s = static_cast<double>(clock_.NowNs() - zero_ns_) / 1e9;
    absl::StatusOr<double> value =
        source_->Query(spec_.queries[q].promql, clock_.WallTime());
    absl::MutexLock lock(&mu_);
    if (value.ok()) {
      taken_.samples.push_back({q, run_s, *value});
      continue;
    }
    taken_.gaps.push_back(q);
    std::string event =
        absl::StrCat("monitor ", spec_.queries[q].name, ": ", value.status().message());
    if (seen_events_.insert(event).second) taken_.events.push_back(std::move(event));
  }
}

MonitorTaken MonitorSampler::Take() {
  absl::MutexLock lock(&mu_);
  MonitorTaken out = std::move(taken_);
  taken_ = MonitorTaken();
  return out;
}

void MonitorSampler::Loop() {
  const int64_t interval_ns = std::max<int64_t>(
      1, absl::ToInt64Nanoseconds(spec_.interval));
  int64_t next_ns = zero_ns_;
  while (true) {
    // Wait for the round due (the clock paces; the condition wakes a stop).
    {
      absl::MutexLock lock(&mu_);
      while (!stop_) {
        const int64_t left = next_ns - clock_.NowNs();
        if (left <= 0) break;
        mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Nanoseconds(left));
      }
      if (stop_) return;
    }
    SampleRound();
    next_ns += interval_ns;
    const int64_t now = clock_.NowNs();
    if (now > next_ns) {  // late by more than an interval: the next one due
      next_ns += (now - next_ns + interval_ns - 1) / interval_ns * interval_ns;
    }
  }
}

}  // namespace barrage
