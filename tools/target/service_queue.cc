// Copyright 2026 The Barrage Authors.

#include "tools/target/service_queue.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace barrage {

absl::Status ServiceQueue::Validate(const Options& o) {
  if (o.concurrency < 0 || o.concurrency > kMaxConcurrency) {
    return absl::InvalidArgumentError(absl::StrCat(
        "concurrency ", o.concurrency, " is outside 0..", kMaxConcurrency));
  }
  if (!std::isfinite(o.contention) || o.contention < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "contention ", o.contention, " must be a finite number >= 0"));
  }
  if (!std::isfinite(o.coherency) || o.coherency < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "coherency ", o.coherency, " must be a finite number >= 0"));
  }
  return absl::OkStatus();
}

double ServiceQueue::Factor(const Options& o, int64_t n) {
  const double x = static_cast<double>(n);
  return 1.0 + o.contention * (x - 1) + o.coherency * x * (x - 1);
}

ServiceQueue::ServiceQueue(const Options& options) : options_(options) {}

std::optional<ServiceQueue::Started> ServiceQueue::Arrive(const Job& job,
                                                          int64_t now_ns) {
  if (options_.concurrency > 0 && in_service_ >= options_.concurrency) {
    Push(job);
    return std::nullopt;
  }
  return Start(job, now_ns);
}

std::optional<ServiceQueue::Started> ServiceQueue::Finish(
    int64_t now_ns, absl::FunctionRef<bool(const Job&)> live) {
  if (in_service_ > 0) --in_service_;
  while (size_ > 0) {
    const Job job = PopFront();
    if (!live(job)) {
      if (abandoned_ > 0) --abandoned_;
      continue;
    }
    return Start(job, now_ns);
  }
  return std::nullopt;
}

void ServiceQueue::Abandon(size_t n) {
  abandoned_ = std::min(size_, abandoned_ + n);
}

ServiceQueue::Started ServiceQueue::Start(const Job& job, int64_t now_ns) {
  ++in_service_;
  const double ns =
      static_cast<double>(job.base_ns) * Factor(options_, in_service_);
  Started s;
  s.job = job;
  s.service_ns = ns >= static_cast<double>(kMaxServiceNs)
                     ? kMaxServiceNs
                     : static_cast<int64_t>(std::llround(ns));
  s.due_ns = now_ns + s.service_ns;
  busy_ns_ += s.service_ns;
  return s;
}

void ServiceQueue::Push(const Job& job) {
  if (size_ == ring_.size()) {
    std::vector<Job> bigger(ring_.empty() ? 64 : 2 * ring_.size());
    for (size_t i = 0; i < size_; ++i) {
      bigger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    }
    ring_.swap(bigger);
    head_ = 0;
  }
  ring_[(head_ + size_) & (ring_.size() - 1)] = job;
  ++size_;
}

ServiceQueue::Job ServiceQueue::PopFront() {
  const Job job = ring_[head_];
  head_ = (head_ + 1) & (ring_.size() - 1);
  --size_;
  return job;
}

}  // namespace barrage
