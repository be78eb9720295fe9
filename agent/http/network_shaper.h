// Copyright 2026 The Barrage Authors.
//
// ShapedHttpClient: `network:` profiles (scenario.h NetworkProfile) emulated
// in front of any HttpClient, on the injected Clock. It decorates the
// client MakeHttpClient() chose when some template's network is enabled;
// templates without a profile pass straight through (a slot and a token
// mapping, no delay).
//
// Per request of a template with a profile:
//   - latency: one sample L = latency + U[-jitter, +jitter] (clamped at 0;
//     seeded, so a run's delays repeat); L/2 passes before the request goes
//     to the inner client and L/2 after its result came back, so recorded
//     latency grows by L, as over a link with that round trip.
//   - bandwidth (bits/s), per connection: each in-flight request is a lane
//     (HTTP/1.1 keep-alive carries one request at a time per connection, so
//     a lane is a connection; one request at a time, the lane's token bucket
//     has no burst and is simply a transfer time). Out: the send waits
//     request bytes / bandwidth more (the size from the template or the
//     parts: request line, headers, body). In: the result is held until
//     bytes_received / bandwidth has passed since the inner send, beyond
//     what the real transfer took, so a client that already took that long
//     (libcurl under its own speed limit) is not delayed twice. Clients that
//     limit themselves (limits_bandwidth(): libcurl's CURLOPT_MAX_SEND/
//     RECV_SPEED_LARGE) get no send delay; their results are only topped up
//     where the limit let a burst through (libcurl's receive limit lets a
//     loopback response run ahead).
//     HTTP/2 approximation: streams multiplexed on one real connection
//     each get a lane of their own, so concurrent streams together move
//     more than one link of that bandwidth would.
//
// Held requests (parts copied) and held results (kept headers and body
// copied) live in slots preallocated for max_in_flight and reused, so the
// steady path allocates nothing once the buffers have grown. Poll() waits at
// most until the next release. CancelAll() delivers requests not yet sent as
// aborted (no bytes), and everything else as the inner client's CancelAll
// and the held results have it.
//
// Thread safety: one owner thread, as the inner client; Wakeup() from any
// thread.
#ifndef BARRAGE_AGENT_HTTP_NETWORK_SHAPER_H_
#define BARRAGE_AGENT_HTTP_NETWORK_SHAPER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "agent/http/http_client.h"
#include "common/util/clock.h"

namespace barrage {

class ShapedHttpClient final : public HttpClient {
 public:
  // Takes `inner`; `templates` are the ones `inner` was made with (their
  // network profiles and sizes are read). `clock` (borrowed) must be the
  // inner client's. `seed` drives the jitter.
  ShapedHttpClient(std::unique_ptr<HttpClient> inner,
                   const std::vector<HttpRequestTemplate>& templates,
                   size_t max_in_flight, Clock& clock, uint64_t seed = 1);
  ~ShapedHttpClient() override;

  ShapedHttpClient(const ShapedHttpClient&) = delete;
  ShapedHttpClient& operator=(const ShapedHttpClient&) = delete;

  // Whether any template has an enabled network profile.
  static bool Needed(const std::vector<HttpRequestTemplate>& templates);

  void Start(size_t template_index, uint64_t token) override;
  void StartWith(size_t template_index, const RequestParts& parts,
                 uint64_t token) override;
  void Poll(int64_t timeout_ns,
            absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void Wakeup() override { inner_->Wakeup(); }
  const char* name() const override { return inner_->name(); }
  size_t in_flight() const override { return active_.size(); }
  uint64_t connections_opened() const override { return inner_->connections_opened(); }
  uint64_t h2_retries() const override { return inner_->h2_retries(); }
  bool limits_bandwidth() const override { return true; }

  HttpClient& inner() { return *inner_; }

 private:
  struct Profile {
    int64_t latency_ns = 0;
    int64_t jitter_ns = 0;
    int64_t out_bps = 0;  // sending; 0: unlimited (or the inner client limits)
    int64_t in_bps = 0;   // receiving; 0: unlimited
    bool enabled = false;
    uint64_t request_bytes = 0;  // the template as built
    uint64_t method_bytes = 0;
  };
  struct Slot;

  // Start() and StartWith(); `parts` null for the template as built.
  void Begin(size_t tpl, const RequestParts* parts, uint64_t token);
  void Send(uint32_t slot);  // to the inner client
  // The inner client's result for `r.token` (a slot): held, or delivered.
  void OnInner(const HttpResult& r, absl::FunctionRef<void(const HttpResult&)> on_done);
  void SendDue(int64_t now);
  void DeliverDue(int64_t now, absl::FunctionRef<void(const HttpResult&)> on_done);
  void Free(uint32_t slot);
  // ns to move `bytes` at `bps`.
  static int64_t TransferNs(uint64_t bytes, int64_t bps);

  const std::unique_ptr<HttpClient> inner_;
  Clock& clock_;
  std::vector<Profile> profiles_;  // per template
  const bool inner_limits_;        // inner_->limits_bandwidth()
  std::mt19937_64 random_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<uint32_t> free_;    // slot indexes
  std::vector<uint32_t> active_;  // slot indexes in use
  std::vector<uint32_t> due_;     // scratch: slots to send or deliver now
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_NETWORK_SHAPER_H_
