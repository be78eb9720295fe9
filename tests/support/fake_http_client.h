// Copyright 2026 The Barrage Authors.
//
// FakeHttpClient: completes requests after a scripted latency on a fake
// clock, with a scripted outcome, status, response headers and body (shown
// in every HttpResult, as a keep_response template's are). Records every
// start (template, time, and StartWith's rendered parts) so tests can check
// what was sent when. Plus Drive(), the loop that runs a
// Worker against it in simulated time.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_HTTP_CLIENT_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_HTTP_CLIENT_H_

#include <functional>
#include <string>
#include <vector>

#include "agent/http/http_client.h"
#include "agent/engine/worker.h"
#include "tests/support/fake_clock.h"

namespace barrage::testing {

struct FakeResponse {
  int64_t latency_ns = 1'000'000;
  Outcome outcome = Outcome::kOk;
  int status = 200;
  ErrorReason reason = ErrorReason::kNone;
  int64_t connect_ns = -1;  // phases, as HttpResult has them
  int64_t tls_ns = -1;
  int64_t ttfb_ns = -1;
  HeaderList headers = {};  // the response's
  std::string body = {};
};

class FakeHttpClient final : public HttpClient {
 public:
  // `respond` decides each request's fate from its template and start time.
  using Responder = std::function<FakeResponse(size_t tpl, int64_t start_ns)>;
  FakeHttpClient(FakeClock& clock, Responder respond)
      : clock_(clock), respond_(std::move(respond)) {}

  void Start(size_t tpl, uint64_t token) override;
  void StartWith(size_t tpl, const RequestParts& parts, uint64_t token) override;
  void Poll(int64_t timeout_ns,
            absl::FunctionRef<void(const HttpResult&)> on_done) override;
  // Delivers every pending request as aborted.
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override {
    std::vector<Pending> pending;
    pending.swap(pending_);
    for (Pending& p : pending) {
      p.result.outcome = Outcome::kAborted;
      p.result.reason = ErrorReason::kAborted;
      p.result.status = 0;
      on_done(p.result);
    }
  }
  void Wakeup() override {}
  size_t in_flight() const override { return pending_.size(); }
  uint64_t connections_opened() const override { return 1; }
  // A cumulative GOAWAY retry count, as a native HTTP/2 client keeps one.
  uint64_t h2_retries() const override { return h2_retries_; }
  void set_h2_retries(uint64_t n) { h2_retries_ = n; }
  const char* name() const override { return "fake"; }

  // Earliest pending completion, or Worker::kNever.
  int64_t NextCompletion() const;

  struct Sent {
    size_t tpl;
    int64_t at_ns;
    bool rendered = false;  // by StartWith: then its parts
    std::string path = {};
    HeaderList headers = {};
    std::string body = {};
  };
  const std::vector<Sent>& sent() const { return sent_; }

 private:
  struct Pending {
    int64_t done_ns;
    HttpResult result;
    FakeResponse response;  // owns what result's views show
  };
  static void Deliver(Pending& p, absl::FunctionRef<void(const HttpResult&)> on_done);
  FakeClock& clock_;
  Responder respond_;
  uint64_t h2_retries_ = 0;
  std::vector<Pending> pending_;
  std::vector<Sent> sent_;
};

// Runs `worker` in simulated time from the clock's now to `until_ns`
// (run-relative = clock time), jumping from event to event.
void Drive(Worker& worker, FakeHttpClient& client, FakeClock& clock,
           int64_t until_ns);

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_HTTP_CLIENT_H_
