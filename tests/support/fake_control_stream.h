// Copyright 2026 The Barrage Authors.
//
// FakeControlStream: a scripted controller on the far side of one
// ControlStream. The test queues the messages the agent will read
// (Deliver), sees what it wrote (written, AwaitWritten), and ends the
// stream as a controller would (Close, with a reason) or as a network would
// (Break). HoldWrites makes Write() block, as a full transport would, until
// released or cancelled. FakeControlStreamDialer hands out scripted streams
// (or failures) one Dial() at a time.
//
// Waits use absl::Mutex conditions; their timeouts (real time) only bound a
// failing test. Thread-safe: the daemon's threads and the test's may call
// anything at any time.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_CONTROL_STREAM_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_CONTROL_STREAM_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/daemon/control_stream.h"

namespace barrage::testing {

class FakeControlStream final : public ControlStream {
 public:
  using Written = std::vector<v1::AgentMessage>;

  // --- The controller's side (the test).
  void Deliver(v1::ControllerMessage message) {
    absl::MutexLock lock(&mu_);
    inbox_.push_back(std::move(message));
  }
  // The controller ends the call with `reason`: Read() returns what was
  // delivered, then nullopt; writes fail.
  void Close(absl::Status reason = absl::OkStatus()) {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    reason_ = std::move(reason);
  }
  // The network drops the call: Read() and Write() fail at once.
  void Break() {
    absl::MutexLock lock(&mu_);
    broken_ = true;
    reason_ = absl::UnavailableError("connection broken");
  }
  void HoldWrites(bool hold) {
    absl::MutexLock lock(&mu_);
    hold_writes_ = hold;
  }
  // Waits until `pred(written)` holds; false after `timeout`.
  bool AwaitWritten(const std::function<bool(const Written&)>& pred,
                    absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    auto ok = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pred(written_); };
    return mu_.AwaitWithTimeout(absl::Condition(&ok), timeout);
  }
  // Waits until the agent has called Finish() (its session is over).
  bool AwaitFinished(absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&finished_), timeout);
  }
  Written written() const {
    absl::MutexLock lock(&mu_);
    return written_;
  }
  bool cancelled() const {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }

  // --- The agent's side (ControlStream).
  bool Write(const v1::AgentMessage& message) override {
    absl::MutexLock lock(&mu_);
    auto free = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !hold_writes_ || Over(); };
    mu_.Await(absl::Condition(&free));
    if (Over()) return false;
    written_.push_back(message);
    return true;
  }
  std::optional<v1::ControllerMessage> Read() override {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !inbox_.empty() || Over();
    };
    mu_.Await(absl::Condition(&ready));
    if (broken_ || cancelled_ || inbox_.empty()) return std::nullopt;
    v1::ControllerMessage m = std::move(inbox_.front());
    inbox_.pop_front();
    return m;
  }
  void Cancel() override {
    absl::MutexLock lock(&mu_);
    if (!closed_ && !broken_) reason_ = absl::CancelledError("cancelled by the agent");
    cancelled_ = true;
  }
  absl::Status Finish() override {
    absl::MutexLock lock(&mu_);
    finished_ = true;
    return reason_;
  }

 private:
  bool Over() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return closed_ || broken_ || cancelled_; }

  mutable absl::Mutex mu_;
  std::deque<v1::ControllerMessage> inbox_ ABSL_GUARDED_BY(mu_);
  Written written_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool hold_writes_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status reason_ ABSL_GUARDED_BY(mu_);
};

// Dial() hands out the scripted outcomes in order; once they run out,
// UNAVAILABLE ("no controller"). The daemon owns the dialer; the test keeps
// a pointer to it while the daemon lives.
class FakeControlStreamDialer final : public ControlStreamDialer {
 public:
  void Push(std::shared_ptr<FakeControlStream> stream) {
    absl::MutexLock lock(&mu_);
    script_.push_back(Outcome{absl::OkStatus(), std::move(stream)});
  }
  void PushFailure(absl::Status status) {
    absl::MutexLock lock(&mu_);
    script_.push_back(Outcome{std::move(status), nullptr});
  }
  int dials() const {
    absl::MutexLock lock(&mu_);
    return dials_;
  }

  absl::StatusOr<std::unique_ptr<ControlStream>> Dial() override {
    absl::MutexLock lock(&mu_);
    ++dials_;
    if (script_.empty()) return absl::UnavailableError("no controller");
    Outcome next = std::move(script_.front());
    script_.pop_front();
    if (next.stream == nullptr) return next.failure;
    return std::unique_ptr<ControlStream>(new Proxy(std::move(next.stream)));
  }

 private:
  // The daemon owns what Dial() returns; the test shares the stream.
  class Proxy final : public ControlStream {
   public:
    explicit Proxy(std::shared_ptr<FakeControlStream> s) : s_(std::move(s)) {}
    bool Write(const v1::AgentMessage& m) override { return s_->Write(m); }
    std::optional<v1::ControllerMessage> Read() override { return s_->Read(); }
    void Cancel() override { s_->Cancel(); }
    absl::Status Finish() override { return s_->Finish(); }

   private:
    const std::shared_ptr<FakeControlStream> s_;
  };
  struct Outcome {
    absl::Status failure;                      // when there is no stream
    std::shared_ptr<FakeControlStream> stream;
  };

  mutable absl::Mutex mu_;
  std::deque<Outcome> script_ ABSL_GUARDED_BY(mu_);
  int dials_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_CONTROL_STREAM_H_
