// Copyright 2026 The Barrage Authors.
#include "controller/run/data_dealer.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace barrage {
namespace {

// Removes `cut` from `ranges`; returns how many rows were removed.
int64_t Subtract(std::vector<RowRange>& ranges, RowRange cut) {
  int64_t removed = 0;
  std::vector<RowRange> out;
  const int64_t cut_end = cut.first + cut.count;
  for (const RowRange& r : ranges) {
    const int64_t end = r.first + r.count;
    const int64_t lo = std::max(r.first, cut.first);
    const int64_t hi = std::min(end, cut_end);
    if (lo >= hi) {
      out.push_back(r);
      continue;
    }
    removed += hi - lo;
    if (r.first < lo) out.push_back({r.first, lo - r.first});
    if (hi < end) out.push_back({hi, end - hi});
  }
  ranges = std::move(out);
  return removed;
}

// The crash window's allowances (data_dealer.h, may_have_taken_rows).
constexpr int64_t kRateWindowNs = 1'000'000'000;
constexpr int64_t kMinWindowNs = 250'000'000;  // a young window's rate
constexpr int64_t kGapMarginNs = 100'000'000;  // the agents' DataUsed interval
constexpr double kRateMargin = 1.25;

}  // namespace

DataDealer::DataDealer(std::string name, int64_t rows, bool recycle)
    : name_(std::move(name)), rows_(rows), recycle_(recycle) {}

std::vector<RowRange> DataDealer::Deal(const std::string& agent, int64_t wanted) {
  std::vector<RowRange> dealt;
  while (wanted > 0) {
    RowRange r;
    if (!returned_.empty()) {
      RowRange& front = returned_.front();
      r = {front.first, std::min(front.count, wanted)};
      front.first += r.count;
      front.count -= r.count;
      if (front.count == 0) returned_.pop_front();
    } else if (next_ < rows_) {
      r = {next_, std::min(rows_ - next_, wanted)};
      next_ += r.count;
    } else if (recycle_) {
      next_ = 0;  // a new round
      continue;
    } else {
      break;
    }
    // Rows dealt again: a late report of them from the lost agent is a
    // duplicate.
    for (auto& [lost, ranges] : lost_) {
      std::vector<RowRange> before = ranges;
      if (Subtract(ranges, r) > 0) {
        const int64_t lo = r.first, hi = r.first + r.count;
        for (const RowRange& b : before) {
          const int64_t s = std::max(lo, b.first), e = std::min(hi, b.first + b.count);
          if (s < e) redealt_[lost].push_back({s, e - s});
        }
      }
    }
    if (!dealt.empty() && dealt.back().first + dealt.back().count == r.first) {
      dealt.back().count += r.count;
    } else {
      dealt.push_back(r);
    }
    outstanding_[agent].push_back(r);
    wanted -= r.count;
  }
  return dealt;
}

void DataDealer::Taken(const std::string& agent, RowRange range, int64_t now_ns) {
  if (auto it = outstanding_.find(agent); it != outstanding_.end()) {
    const int64_t mine = Subtract(it->second, range);
    used_ += mine;
    // A window opens at a report and counts the rows of those after it
    // (the first report's rows were taken over an unknown time).
    Pace& p = pace_[agent];
    p.last_ns = now_ns;
    if (p.window_ns < 0) {
      p.window_ns = now_ns;
    } else {
      p.window_rows += mine;
    }
    if (now_ns - p.window_ns >= kRateWindowNs) {
      p.peak_per_s = std::max(p.peak_per_s, static_cast<double>(p.window_rows) * 1e9 /
                                                static_cast<double>(now_ns - p.window_ns));
      p.window_ns = now_ns;
      p.window_rows = 0;
    }
  }
  if (auto it = lost_.find(agent); it != lost_.end()) {
    // A late report from a lost agent: rows not yet dealt again are taken
    // back out of the returned pool; those dealt again were sent twice.
    if (Subtract(it->second, range) > 0) {
      std::vector<RowRange> pool(returned_.begin(), returned_.end());
      used_ += Subtract(pool, range);
      returned_.assign(pool.begin(), pool.end());
    }
    duplicates_ += Subtract(redealt_[agent], range);
  }
}

void DataDealer::Done(const std::string& agent) {
  auto it = outstanding_.find(agent);
  if (it != outstanding_.end()) {
    for (const RowRange& r : it->second) returned_.push_back(r);
    outstanding_.erase(it);
  }
  pace_.erase(agent);
}

void DataDealer::Lost(const std::string& agent, int64_t now_ns) {
  auto it = outstanding_.find(agent);
  if (it == outstanding_.end()) return;
  std::vector<RowRange>& lost = lost_[agent];
  int64_t held = 0;
  for (const RowRange& r : it->second) {
    returned_.push_back(r);
    lost.push_back(r);
    held += r.count;
  }
  outstanding_.erase(it);
  redealt_rows_ += held;
  may_have_taken_rows_ += MayHaveTaken(agent, held, now_ns);
  pace_.erase(agent);
}

int64_t DataDealer::MayHaveTaken(const std::string& agent, int64_t held, int64_t now_ns) const {
  auto it = pace_.find(agent);
  if (it == pace_.end() || it->second.last_ns < 0) return held;  // no report: anything
  const Pace& p = it->second;
  if (p.peak_per_s == 0 && p.window_rows == 0) return held;  // one report: no rate yet
  double rate = p.peak_per_s;
  if (p.window_rows > 0) {
    const int64_t young = std::max(now_ns - p.window_ns, kMinWindowNs);
    rate = std::max(rate, static_cast<double>(p.window_rows) * 1e9 / static_cast<double>(young));
  }
  const double gap_s =
      static_cast<double>(std::max<int64_t>(now_ns - p.last_ns, 0) + kGapMarginNs) / 1e9;
  const double bound = std::ceil(rate * kRateMargin * gap_s) + 1;
  return bound >= static_cast<double>(held) ? held : static_cast<int64_t>(bound);
}

bool DataDealer::AllDealt() const {
  return !recycle_ && next_ >= rows_ && returned_.empty();
}

bool DataDealer::UsedUp() const {
  if (!AllDealt()) return false;
  for (const auto& [agent, ranges] : outstanding_) {
    if (!ranges.empty()) return false;
  }
  return true;
}

int64_t DataDealer::Outstanding(const std::string& agent) const {
  auto it = outstanding_.find(agent);
  if (it == outstanding_.end()) return 0;
  int64_t n = 0;
  for (const RowRange& r : it->second) n += r.count;
  return n;
}

}  // namespace barrage
