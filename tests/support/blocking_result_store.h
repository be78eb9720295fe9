// Copyright 2026 The Barrage Authors.
//
// BlockingResultStore: a ResultStore in memory whose Save() can be made to
// block, as a slow disk would: while closed, each Save waits for Open() (at
// most `max_block` of real time, 2 s by default, so a coordinator that
// waited on it would only be slow, and the test would see it). It records
// every save in the order they returned. Thread-safe.
#ifndef BARRAGE_TESTS_SUPPORT_BLOCKING_RESULT_STORE_H_
#define BARRAGE_TESTS_SUPPORT_BLOCKING_RESULT_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "controller/report/result_store.h"

namespace barrage::testing {

class BlockingResultStore final : public ResultStore {
 public:
  explicit BlockingResultStore(bool open = true, absl::Duration max_block = absl::Seconds(2))
      : max_block_(max_block), open_(open) {}

  // Later Saves block until Open().
  void Close() {
    absl::MutexLock lock(&mu_);
    open_ = false;
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }
  // Waits (up to `timeout`) until a Save is blocked; true when one is.
  bool AwaitBlocked(absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    auto blocked = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return blocked_ > 0; };
    return mu_.AwaitWithTimeout(absl::Condition(&blocked), timeout);
  }
  // Whether a Save is blocked right now.
  bool blocked() {
    absl::MutexLock lock(&mu_);
    return blocked_ > 0;
  }
  // Saves that returned, in order.
  std::vector<StoredRun> saved() {
    absl::MutexLock lock(&mu_);
    return saved_;
  }
  // Waits (up to `timeout`) for `n` saves to have returned.
  bool AwaitSaved(size_t n, absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    auto done = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return saved_.size() >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
  }

  absl::Status Save(const StoredRun& run,
                    const std::vector<std::pair<std::string, std::string>>&) override {
    absl::MutexLock lock(&mu_);
    ++blocked_;
    mu_.AwaitWithTimeout(absl::Condition(&open_), max_block_);
    --blocked_;
    saved_.push_back(run);
    return absl::OkStatus();
  }
  // Newest saved first; filters by scenario (not by up_to_run).
  absl::StatusOr<std::vector<StoredRun>> List(const RunFilter& filter) override {
    absl::MutexLock lock(&mu_);
    std::vector<StoredRun> out;
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (filter.scenario.empty() || it->scenario == filter.scenario) out.push_back(*it);
    }
    if (out.size() > static_cast<size_t>(filter.limit)) out.resize(static_cast<size_t>(filter.limit));
    return out;
  }
  absl::StatusOr<StoredRun> Get(const std::string& id) override {
    absl::MutexLock lock(&mu_);
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->id == id) return *it;
    }
    return absl::NotFoundError(absl::StrCat("no run ", id));
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Histograms(
      const std::string&) override {
    return std::vector<std::pair<std::string, std::string>>();
  }

 private:
  const absl::Duration max_block_;
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_);
  int blocked_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<StoredRun> saved_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_BLOCKING_RESULT_STORE_H_
