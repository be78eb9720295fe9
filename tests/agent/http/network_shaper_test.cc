// Copyright 2026 The Barrage Authors.
//
// ShapedHttpClient on a fake clock around a scripted inner client: when
// requests reach the inner client, when results come out, what is copied
// while they wait, and what CancelAll does with held ones.

#include "agent/http/network_shaper.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using testing::FakeClock;

constexpr int64_t kMs = 1'000'000;

// Records every start; completes requests only when told.
class ScriptedInner final : public HttpClient {
 public:
  struct Started {
    size_t tpl;
    uint64_t token;
    int64_t at_ns;
    bool with_parts;
    std::string path, body;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  explicit ScriptedInner(FakeClock& clock, bool limits = false)
      : clock_(clock), limits_(limits) {}

  void Start(size_t tpl, uint64_t token) override {
    started.push_back({tpl, token, clock_.NowNs(), false, "", "", {}});
    open_.push_back(token);
  }
  void StartWith(size_t tpl, const RequestParts& parts, uint64_t token) override {
    Started s{tpl, token, clock_.NowNs(), true, std::string(parts.path),
              std::string(parts.body), {}};
    for (const HeaderView& h : parts.headers) s.headers.emplace_back(h.name, h.value);
    started.push_back(std::move(s));
    open_.push_back(token);
  }
  void Poll(int64_t timeout_ns, absl::FunctionRef<void(const HttpResult&)> on_done) override {
    polled_for.push_back(timeout_ns);
    std::vector<HttpResult> ready;
    ready.swap(ready_);
    for (HttpResult& r : ready) {
      r.response_headers = kept_;
      r.response_body = kept_body_;
      open_.erase(std::find(open_.begin(), open_.end(), r.token));
      on_done(r);
    }
    // Its kept memory is reused once on_done returned.
    std::fill(kept_body_.begin(), kept_body_.end(), '#');
    kept_text_.assign(kept_text_.size(), '#');
  }
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override {
    for (uint64_t token : open_) {
      HttpResult r;
      r.token = token;
      r.outcome = Outcome::kAborted;
      r.reason = ErrorReason::kAborted;
      on_done(r);
    }
    open_.clear();
    ready_.clear();
  }
  void Wakeup() override {}
  const char* name() const override { return "scripted"; }
  size_t in_flight() const override { return open_.size(); }
  uint64_t connections_opened() const override { return 0; }
  bool limits_bandwidth() const override { return limits_; }

  // The request with inner token `token` answers at the next Poll.
  void Complete(uint64_t token, uint64_t bytes_received = 100) {
    HttpResult r;
    r.token = token;
    r.outcome = Outcome::kOk;
    r.status = 200;
    r.bytes_received = bytes_received;
    ready_.push_back(r);
  }
  // The next results show this kept response (views into its own memory).
  void Keep(const std::string& name, const std::string& value, const std::string& body) {
    kept_text_ = name + value;
    kept_body_ = body;
    const absl::string_view text(kept_text_);
    kept_ = {{text.substr(0, name.size()), text.substr(name.size())}};
  }

  std::vector<Started> started;
  std::vector<int64_t> polled_for;

 private:
  FakeClock& clock_;
  const bool limits_;
  std::vector<uint64_t> open_;
  std::vector<HttpResult> ready_;
  std::string kept_text_;
  std::string kept_body_;
  std::vector<HeaderView> kept_;
};

HttpRequestTemplate Tpl(absl::Duration latency, int64_t bandwidth_bps = 0,
                        absl::Duration jitter = absl::ZeroDuration()) {
  HttpRequestTemplate t;
  t.name = "t";
  t.method = "GET";
  t.url = "/x";  // 19 request bytes: "GET /x HTTP/1.1\r\n\r\n"
  t.timeout = absl::Seconds(5);
  t.network.latency = latency;
  t.network.jitter = jitter;
  t.network.bandwidth_bps = bandwidth_bps;
  return t;
}

struct Rig {
  explicit Rig(std::vector<HttpRequestTemplate> templates, bool limits = false,
               uint64_t seed = 1) {
    auto scripted = std::make_unique<ScriptedInner>(clock, limits);
    inner = scripted.get();
    shaped = std::make_unique<ShapedHttpClient>(std::move(scripted), templates, 8, clock, seed);
  }
  // Polls once at `at_ms`; returns the tokens delivered.
  std::vector<uint64_t> PollAt(int64_t at_ns) {
    clock.Set(at_ns);
    std::vector<uint64_t> got;
    shaped->Poll(1'000 * kMs, [&got](const HttpResult& r) { got.push_back(r.token); });
    return got;
  }
  FakeClock clock;
  ScriptedInner* inner = nullptr;
  std::unique_ptr<ShapedHttpClient> shaped;
};

TEST_CASE("latency is split: half before the send, half after the result") {
  Rig rig({Tpl(absl::Milliseconds(50))});
  rig.shaped->Start(0, 7);
  CHECK(rig.inner->started.empty());
  CHECK(rig.shaped->in_flight() == 1);
  CHECK(rig.PollAt(0).empty());
  CHECK(rig.inner->polled_for.back() == 25 * kMs);  // waits only until the send
  CHECK(rig.PollAt(25 * kMs - 1).empty());
  CHECK(rig.inner->started.empty());
  CHECK(rig.PollAt(25 * kMs).empty());
  REQUIRE(rig.inner->started.size() == 1);
  CHECK(rig.inner->started[0].at_ns == 25 * kMs);
  rig.inner->Complete(rig.inner->started[0].token);
  CHECK(rig.PollAt(30 * kMs).empty());  // the answer arrived; held 25 ms
  CHECK(rig.PollAt(30 * kMs).empty());
  CHECK(rig.inner->polled_for.back() == 25 * kMs);  // waits only until the release
  CHECK(rig.PollAt(55 * kMs - 1).empty());
  CHECK(rig.PollAt(55 * kMs) == std::vector<uint64_t>{7});
  CHECK(rig.shaped->in_flight() == 0);
}

TEST_CASE("bandwidth delays the send by the request's bytes and the result beyond the transfer") {
  Rig rig({Tpl(absl::ZeroDuration(), /*bandwidth_bps=*/8000)});  // 1 byte per ms
  rig.shaped->Start(0, 1);
  CHECK(rig.PollAt(19 * kMs - 1).empty());
  CHECK(rig.inner->started.empty());
  rig.PollAt(19 * kMs);
  REQUIRE(rig.inner->started.size() == 1);
  // 500 bytes take 500 ms; the real transfer took 100 of them.
  rig.inner->Complete(rig.inner->started[0].token, 500);
  CHECK(rig.PollAt(119 * kMs).empty());
  CHECK(rig.PollAt(519 * kMs - 1).empty());
  CHECK(rig.PollAt(519 * kMs) == std::vector<uint64_t>{1});

  SECTION("a slower real transfer is not delayed further") {
    rig.shaped->Start(0, 2);
    rig.PollAt(538 * kMs);
    REQUIRE(rig.inner->started.size() == 2);
    rig.inner->Complete(rig.inner->started[1].token, 50);  // 50 ms, took 100
    CHECK(rig.PollAt(638 * kMs) == std::vector<uint64_t>{2});
  }
}

TEST_CASE("a client that limits its own bandwidth is not delayed twice") {
  Rig rig({Tpl(absl::Milliseconds(10), 8000)}, /*limits=*/true);  // 1 byte per ms
  rig.shaped->Start(0, 1);
  rig.PollAt(5 * kMs);  // no send delay for the request's bytes
  REQUIRE(rig.inner->started.size() == 1);
  rig.inner->Complete(rig.inner->started[0].token, 100);  // took its 100 ms itself
  CHECK(rig.PollAt(105 * kMs).empty());
  CHECK(rig.PollAt(110 * kMs) == std::vector<uint64_t>{1});

  SECTION("a burst its limit let through is topped up") {
    rig.shaped->Start(0, 2);
    rig.PollAt(115 * kMs);
    REQUIRE(rig.inner->started.size() == 2);
    rig.inner->Complete(rig.inner->started[1].token, 100);  // after 10 ms of 100
    CHECK(rig.PollAt(125 * kMs).empty());
    CHECK(rig.PollAt(220 * kMs - 1).empty());
    CHECK(rig.PollAt(220 * kMs) == std::vector<uint64_t>{2});
  }
}

TEST_CASE("templates without a profile pass straight through") {
  HttpRequestTemplate plain = Tpl(absl::ZeroDuration());
  Rig rig({Tpl(absl::Milliseconds(10)), plain});
  CHECK(ShapedHttpClient::Needed({Tpl(absl::Milliseconds(10)), plain}));
  CHECK_FALSE(ShapedHttpClient::Needed({plain}));
  rig.shaped->Start(1, 9);
  REQUIRE(rig.inner->started.size() == 1);
  CHECK(rig.inner->started[0].tpl == 1);
  rig.inner->Complete(rig.inner->started[0].token);
  CHECK(rig.PollAt(0) == std::vector<uint64_t>{9});
}

TEST_CASE("held parts and held kept responses are copies") {
  HttpRequestTemplate t = Tpl(absl::Milliseconds(10));
  t.keep_response = true;
  Rig rig({t});
  {
    std::string path = "/orders/7";
    std::string name = "X-User";
    std::string value = "u1";
    std::string body = "{\"id\":7}";
    const std::vector<HeaderView> headers = {{name, value}};
    rig.shaped->StartWith(0, RequestParts{path, headers, body}, 3);
    path.assign(path.size(), '?');
    name.assign(name.size(), '?');
    value.assign(value.size(), '?');
    body.assign(body.size(), '?');
  }
  rig.PollAt(5 * kMs);
  REQUIRE(rig.inner->started.size() == 1);
  const ScriptedInner::Started& s = rig.inner->started[0];
  CHECK(s.with_parts);
  CHECK(s.path == "/orders/7");
  CHECK(s.body == "{\"id\":7}");
  CHECK(s.headers == std::vector<std::pair<std::string, std::string>>{{"X-User", "u1"}});

  rig.inner->Keep("X-Token", "abc", "hello");
  rig.inner->Complete(s.token);
  CHECK(rig.PollAt(6 * kMs).empty());  // held; the inner client reuses its memory
  std::string name, value, body;
  rig.clock.Set(11 * kMs);
  rig.shaped->Poll(0, [&](const HttpResult& r) {
    REQUIRE(r.response_headers.size() == 1);
    name = std::string(r.response_headers[0].name);
    value = std::string(r.response_headers[0].value);
    body = std::string(r.response_body);
  });
  CHECK(name == "X-Token");
  CHECK(value == "abc");
  CHECK(body == "hello");
}

TEST_CASE("CancelAll delivers held requests as aborted, and everything else") {
  Rig rig({Tpl(absl::Milliseconds(20))});
  rig.shaped->Start(0, 1);
  rig.PollAt(10 * kMs);  // 1 is sent
  rig.shaped->Start(0, 2);  // 2 is held until 20 ms
  rig.shaped->Start(0, 3);
  rig.PollAt(20 * kMs);  // 2 and 3 are sent
  rig.inner->Complete(rig.inner->started[1].token);
  rig.PollAt(21 * kMs);  // 2's result is held until 31 ms
  rig.shaped->Start(0, 4);  // held
  std::vector<HttpResult> got;
  rig.shaped->CancelAll([&got](const HttpResult& r) { got.push_back(r); });
  REQUIRE(got.size() == 4);
  int ok = 0;
  int aborted = 0;
  for (const HttpResult& r : got) {
    ok += r.outcome == Outcome::kOk ? 1 : 0;  // the held result, as it is
    aborted += r.outcome == Outcome::kAborted && r.reason == ErrorReason::kAborted ? 1 : 0;
    if (r.token == 4) {  // never sent
      CHECK(r.outcome == Outcome::kAborted);
      CHECK(r.bytes_sent == 0);
    }
  }
  CHECK(ok == 1);
  CHECK(aborted == 3);
  CHECK(rig.shaped->in_flight() == 0);
}

TEST_CASE("jitter is uniform around the latency and repeats with the seed") {
  auto sends = [](uint64_t seed) {
    Rig rig({Tpl(absl::Milliseconds(40), 0, absl::Milliseconds(20))}, false, seed);
    std::vector<int64_t> at;
    for (int i = 0; i < 200; ++i) {
      const int64_t start = rig.clock.NowNs();
      rig.shaped->Start(0, static_cast<uint64_t>(i));
      while (rig.inner->started.size() == static_cast<size_t>(i)) {
        rig.PollAt(rig.clock.NowNs() + 100'000);
      }
      at.push_back(rig.inner->started.back().at_ns - start);
      rig.inner->Complete(rig.inner->started.back().token);
      while (rig.shaped->in_flight() > 0) rig.PollAt(rig.clock.NowNs() + 100'000);
    }
    return at;
  };
  const std::vector<int64_t> a = sends(7);
  CHECK(a == sends(7));
  CHECK(a != sends(8));
  // Half of 40 +- 20 ms, to the 0.1 ms step of the loop.
  CHECK(*std::min_element(a.begin(), a.end()) >= 10 * kMs);
  CHECK(*std::max_element(a.begin(), a.end()) <= 30 * kMs + 100'000);
  CHECK(*std::max_element(a.begin(), a.end()) - *std::min_element(a.begin(), a.end()) > 15 * kMs);
}

}  // namespace
}  // namespace barrage
