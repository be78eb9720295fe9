// Copyright 2026 The Barrage Authors.

#include "tests/support/fake_http_client.h"

#include <algorithm>

namespace barrage::testing {

void FakeHttpClient::Start(size_t tpl, uint64_t token) {
  const int64_t now = clock_.NowNs();
  sent_.push_back({tpl, now});
  FakeResponse r = respond_(tpl, now);
  HttpResult result;
  result.token = token;
  result.outcome = r.outcome;
  result.status = r.status;
  result.reason = r.reason;
  result.connect_ns = r.connect_ns;
  result.tls_ns = r.tls_ns;
  result.ttfb_ns = r.ttfb_ns;
  result.bytes_sent = 100;
  result.bytes_received = 200;
  const int64_t done = now + r.latency_ns;
  pending_.push_back({done, result, std::move(r)});
}

void FakeHttpClient::StartWith(size_t tpl, const RequestParts& parts, uint64_t token) {
  Start(tpl, token);
  Sent& sent = sent_.back();
  sent.rendered = true;
  sent.path = std::string(parts.path);
  for (const HeaderView& h : parts.headers) {
    sent.headers.emplace_back(std::string(h.name), std::string(h.value));
  }
  sent.body = std::string(parts.body);
}

void FakeHttpClient::Deliver(Pending& p, absl::FunctionRef<void(const HttpResult&)> on_done) {
  std::vector<HeaderView> views;
  for (const auto& [name, value] : p.response.headers) views.push_back({name, value});
  p.result.response_headers = views;
  p.result.response_body = p.response.body;
  on_done(p.result);
}

void FakeHttpClient::Poll(int64_t,
                          absl::FunctionRef<void(const HttpResult&)> on_done) {
  const int64_t now = clock_.NowNs();
  // Complete in time order, as a network would.
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) { return a.done_ns < b.done_ns; });
  size_t done = 0;
  while (done < pending_.size() && pending_[done].done_ns <= now) ++done;
  std::vector<Pending> finished(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(done));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(done));
  for (Pending& p : finished) Deliver(p, on_done);
}

int64_t FakeHttpClient::NextCompletion() const {
  int64_t next = Worker::kNever;
  for (const Pending& p : pending_) next = std::min(next, p.done_ns);
  return next;
}

void Drive(Worker& worker, FakeHttpClient& client, FakeClock& clock,
           int64_t until_ns) {
  auto on_done = [&](const HttpResult& r) { worker.OnResult(r, clock.NowNs()); };
  while (true) {
    const int64_t next = worker.Step(clock.NowNs());
    const int64_t event = std::min(next, client.NextCompletion());
    if (event == Worker::kNever || event > until_ns) break;
    clock.Set(event);
    client.Poll(0, on_done);
  }
  clock.Set(until_ns);
  client.Poll(0, on_done);
  worker.Step(clock.NowNs());
}

}  // namespace barrage::testing
