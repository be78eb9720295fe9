// Copyright 2026 The Barrage Authors.

#include "agent/http/network_shaper.h"

#include <algorithm>
#include <limits>

namespace barrage {
namespace {

// Copies `from` into `text` (names and values back to back) and `sizes`,
// and points `views` at the copy: held parts outlive the caller's views.
// The buffers are reused, so a steady stream allocates nothing.
void CopyHeaders(absl::Span<const HeaderView> from, std::string& text,
                 std::vector<uint32_t>& sizes, std::vector<HeaderView>& views) {
  text.clear();
  sizes.clear();
  for (const HeaderView& h : from) {
    text.append(h.name.data(), h.name.size());
    text.append(h.value.data(), h.value.size());
    sizes.push_back(static_cast<uint32_t>(h.name.size()));
    sizes.push_back(static_cast<uint32_t>(h.value.size()));
  }
  views.clear();
  const absl::string_view all(text);
  size_t at = 0;
  for (size_t i = 0; i + 1 < sizes.size(); i += 2) {
    const absl::string_view name = all.substr(at, sizes[i]);
    at += sizes[i];
    const absl::string_view value = all.substr(at, sizes[i + 1]);
    at += sizes[i + 1];
    views.push_back({name, value});
  }
}

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// What a request puts on the wire, near enough for a transfer time: the
// request line, the headers (": " and CRLF each), the blank line, the body.
uint64_t RequestBytes(absl::string_view method, absl::string_view target,
                      absl::Span<const HeaderView> headers, absl::string_view body) {
  uint64_t n = method.size() + 1 + target.size() + 11 + 2 + body.size();
  for (const HeaderView& h : headers) n += h.name.size() + h.value.size() + 4;
  return n;
}

}  // namespace

struct ShapedHttpClient::Slot {
  enum class Phase { kHeld, kSent, kDone };
  uint32_t index = 0;
  size_t position = 0;  // in active_
  Phase phase = Phase::kHeld;
  size_t tpl = 0;
  uint64_t token = 0;
  int64_t send_ns = 0;      // kHeld: when it goes to the inner client
  int64_t sent_ns = 0;      // when it went
  int64_t after_ns = 0;     // the latency's second half
  int64_t release_ns = 0;   // kDone: when its result is delivered
  // The request's parts, copied (StartWith).
  bool rendered = false;
  std::string path;
  std::string body;
  std::string header_text;
  std::vector<uint32_t> header_sizes;  // name, value, name, value, ...
  std::vector<HeaderView> headers;     // into header_text
  // The held result, and its kept response copied.
  HttpResult result;
  std::string kept_text;
  std::vector<uint32_t> kept_sizes;
  std::vector<HeaderView> kept_headers;
  std::string kept_body;
};

bool ShapedHttpClient::Needed(const std::vector<HttpRequestTemplate>& templates) {
  return std::any_of(templates.begin(), templates.end(),
                     [](const HttpRequestTemplate& t) { return t.network.enabled(); });
}

ShapedHttpClient::ShapedHttpClient(std::unique_ptr<HttpClient> inner,
                                   const std::vector<HttpRequestTemplate>& templates,
                                   size_t max_in_flight, Clock& clock, uint64_t seed)
    : inner_(std::move(inner)),
      clock_(clock),
      inner_limits_(inner_->limits_bandwidth()),
      random_(seed) {
  for (const HttpRequestTemplate& t : templates) {
    Profile p;
    p.enabled = t.network.enabled();
    p.latency_ns = absl::ToInt64Nanoseconds(t.network.latency);
    p.jitter_ns = absl::ToInt64Nanoseconds(t.network.jitter);
    p.out_bps = inner_limits_ ? 0 : t.network.bandwidth_bps;
    p.in_bps = t.network.bandwidth_bps;
    uint64_t header_bytes = 0;
    for (const auto& [name, value] : t.headers) header_bytes += name.size() + value.size() + 4;
    p.method_bytes = t.method.size();
    p.request_bytes = t.method.size() + 1 + t.url.size() + 11 + 2 + t.body.size() + header_bytes;
    profiles_.push_back(p);
  }
  const size_t n = std::max<size_t>(max_in_flight, 1);
  slots_.reserve(n);
  free_.reserve(n);
  active_.reserve(n);
  due_.reserve(n);
  slots_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    slots_[i] = std::make_unique<Slot>();
    slots_[i]->index = static_cast<uint32_t>(i);
    free_.push_back(static_cast<uint32_t>(n - 1 - i));
  }
}

ShapedHttpClient::~ShapedHttpClient() = default;

int64_t ShapedHttpClient::TransferNs(uint64_t bytes, int64_t bps) {
  if (bps <= 0) return 0;
  // bytes * 8 s / bps, in ns, without overflow for any body we keep.
  const long double ns = static_cast<long double>(bytes) * 8e9L / static_cast<long double>(bps);
  return static_cast<int64_t>(ns);
}

void ShapedHttpClient::Start(size_t template_index, uint64_t token) {
  Begin(template_index, nullptr, token);
}

void ShapedHttpClient::StartWith(size_t template_index, const RequestParts& parts,
                                 uint64_t token) {
  Begin(template_index, &parts, token);
}

void ShapedHttpClient::Begin(size_t tpl, const RequestParts* parts, uint64_t token) {
  if (free_.empty()) {  // beyond max_in_flight: the caller's slip, still served
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->index = static_cast<uint32_t>(slots_.size() - 1);
    free_.push_back(slots_.back()->index);
  }
  const uint32_t index = free_.back();
  free_.pop_back();
  Slot& s = *slots_[index];
  s.position = active_.size();
  active_.push_back(index);
  s.tpl = tpl;
  s.token = token;
  s.rendered = parts != nullptr;
  const Profile& p = profiles_[tpl];
  uint64_t bytes = p.request_bytes;
  if (parts != nullptr) {
    if (p.enabled) {
      // The views die with this call: the parts wait in the slot.
      s.path.assign(parts->path.data(), parts->path.size());
      s.body.assign(parts->body.data(), parts->body.size());
      CopyHeaders(parts->headers, s.header_text, s.header_sizes, s.headers);
      bytes = p.method_bytes + RequestBytes("", s.path, s.headers, s.body);
    }
  }
  const int64_t now = clock_.NowNs();
  if (!p.enabled) {
    s.phase = Slot::Phase::kSent;
    s.after_ns = 0;
    s.sent_ns = now;
    if (parts != nullptr) {
      inner_->StartWith(tpl, *parts, index);
    } else {
      inner_->Start(tpl, index);
    }
    return;
  }
  int64_t round_trip = p.latency_ns;
  if (p.jitter_ns > 0) {
    round_trip += std::uniform_int_distribution<int64_t>(-p.jitter_ns, p.jitter_ns)(random_);
  }
  round_trip = std::max<int64_t>(round_trip, 0);
  const int64_t before = round_trip / 2;
  s.after_ns = round_trip - before;
  s.send_ns = now + before + TransferNs(bytes, p.out_bps);
  s.phase = Slot::Phase::kHeld;
  if (s.send_ns <= now) Send(index);
}

void ShapedHttpClient::Send(uint32_t index) {
  Slot& s = *slots_[index];
  s.phase = Slot::Phase::kSent;
  s.sent_ns = clock_.NowNs();
  if (!s.rendered) {
    inner_->Start(s.tpl, index);
    return;
  }
  inner_->StartWith(s.tpl, RequestParts{s.path, s.headers, s.body}, index);
}

void ShapedHttpClient::Free(uint32_t index) {
  Slot& s = *slots_[index];
  const uint32_t last = active_.back();
  active_[s.position] = last;
  slots_[last]->position = s.position;
  active_.pop_back();
  free_.push_back(index);
}

void ShapedHttpClient::OnInner(const HttpResult& r,
                               absl::FunctionRef<void(const HttpResult&)> on_done) {
  const uint32_t index = static_cast<uint32_t>(r.token);
  Slot& s = *slots_[index];
  const Profile& p = profiles_[s.tpl];
  const int64_t now = clock_.NowNs();
  int64_t release = now;
  if (p.enabled) {
    const int64_t took = now - s.sent_ns;
    release = now + s.after_ns +
              std::max<int64_t>(TransferNs(r.bytes_received, p.in_bps) - took, 0);
  }
  if (release <= now) {
    HttpResult out = r;
    out.token = s.token;
    on_done(out);
    Free(index);
    return;
  }
  // Held: the kept response's views die with this call; copy them.
  s.result = r;
  s.result.token = s.token;
  CopyHeaders(r.response_headers, s.kept_text, s.kept_sizes, s.kept_headers);
  s.kept_body.assign(r.response_body.data(), r.response_body.size());
  s.result.response_headers = absl::MakeConstSpan(s.kept_headers);
  s.result.response_body = s.kept_body;
  s.release_ns = release;
  s.phase = Slot::Phase::kDone;
}

void ShapedHttpClient::SendDue(int64_t now) {
  due_.clear();
  for (uint32_t index : active_) {
    const Slot& s = *slots_[index];
    if (s.phase == Slot::Phase::kHeld && s.send_ns <= now) due_.push_back(index);
  }
  std::sort(due_.begin(), due_.end(), [this](uint32_t a, uint32_t b) {
    return slots_[a]->send_ns < slots_[b]->send_ns;
  });
  for (uint32_t index : due_) Send(index);
  due_.clear();
}

void ShapedHttpClient::DeliverDue(int64_t now,
                                  absl::FunctionRef<void(const HttpResult&)> on_done) {
  due_.clear();
  for (uint32_t index : active_) {
    const Slot& s = *slots_[index];
    if (s.phase == Slot::Phase::kDone && s.release_ns <= now) due_.push_back(index);
  }
  std::sort(due_.begin(), due_.end(), [this](uint32_t a, uint32_t b) {
    return slots_[a]->release_ns < slots_[b]->release_ns;
  });
  // on_done may start requests (new slots); these slots are freed after.
  for (size_t i = 0; i < due_.size(); ++i) {
    const uint32_t index = due_[i];
    on_done(slots_[index]->result);
    Free(index);
  }
  due_.clear();
}

void ShapedHttpClient::Poll(int64_t timeout_ns,
                            absl::FunctionRef<void(const HttpResult&)> on_done) {
  int64_t now = clock_.NowNs();
  SendDue(now);
  DeliverDue(now, on_done);
  int64_t next = kNever;
  for (uint32_t index : active_) {
    const Slot& s = *slots_[index];
    if (s.phase == Slot::Phase::kHeld) next = std::min(next, s.send_ns);
    if (s.phase == Slot::Phase::kDone) next = std::min(next, s.release_ns);
  }
  int64_t wait = std::max<int64_t>(timeout_ns, 0);
  if (next != kNever) wait = std::min(wait, std::max<int64_t>(next - now, 0));
  inner_->Poll(wait, [&](const HttpResult& r) { OnInner(r, on_done); });
  now = clock_.NowNs();
  SendDue(now);
  DeliverDue(now, on_done);
}

void ShapedHttpClient::CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) {
  inner_->CancelAll([&](const HttpResult& r) {
    const uint32_t index = static_cast<uint32_t>(r.token);
    HttpResult out = r;
    out.token = slots_[index]->token;
    on_done(out);
    Free(index);
  });
  // What is left was not sent yet (aborted, nothing moved) or is a held
  // result (as it is).
  due_.assign(active_.begin(), active_.end());
  for (uint32_t index : due_) {
    Slot& s = *slots_[index];
    if (s.phase == Slot::Phase::kHeld) {
      HttpResult r;
      r.token = s.token;
      r.outcome = Outcome::kAborted;
      r.reason = ErrorReason::kAborted;
      on_done(r);
    } else {
      on_done(s.result);
    }
    Free(index);
  }
  due_.clear();
}

}  // namespace barrage
