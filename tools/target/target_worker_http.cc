// Copyright 2026 The Barrage Authors.
//
// TargetWorker's HTTP side: turning buffered input into queued responses and
// ready responses into output bytes. The event loop is in target_worker.cc.

#include "tools/target/target_worker.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace barrage {
namespace {

using State = Connection::State;
using Kind = PendingResponse::Kind;

// Backpressure: stop reading a connection while this much output is unsent or
// this many responses wait, so a client that pipelines without reading cannot
// grow our buffers without bound.
constexpr size_t kMaxUnsent = 256 * 1024;
constexpr size_t kMaxQueued = 1024;
constexpr char kMetricsType[] = "text/plain; version=0.0.4; charset=utf-8";

bool IsMetricsTarget(absl::string_view target) {
  if (!absl::ConsumePrefix(&target, TargetServer::kMetricsPath)) return false;
  return target.empty() || target.front() == '?';
}

}  // namespace

bool TargetWorker::ProcessInput(Connection& c, int64_t now) {
  for (;;) {
    if (c.state == State::kClosing || c.state == State::kDraining) {
      c.in_begin = c.in_end = 0;  // nothing after a closing request counts
      return false;
    }
    if (Paused(c)) return true;
    size_t avail = c.in_end - c.in_begin;
    if (c.state == State::kBody) {
      const uint64_t take = std::min<uint64_t>(avail, c.body_left);
      c.in_begin += static_cast<size_t>(take);
      c.body_left -= take;
      if (c.body_left > 0) return false;
      c.state = c.after_body.close ? State::kClosing : State::kHead;
      Dispatch(c, c.after_body, now);
      continue;
    }
    // Blank lines before a request line are allowed (RFC 9112 2.2).
    while (avail > 0 &&
           (c.in[c.in_begin] == '\r' || c.in[c.in_begin] == '\n')) {
      ++c.in_begin;
      --avail;
    }
    if (avail == 0) return false;
    Http1Request request;
    const auto result = c.parser.Parse(
        absl::string_view(c.in.data() + c.in_begin, avail), &request);
    if (result == Http1RequestParser::Result::kNeedMore) return false;
    if (result == Http1RequestParser::Result::kBad) {
      QueueBad(c, 400, c.parser.error());
      continue;
    }
    c.in_begin += request.head_size;
    if (request.chunked) {
      QueueBad(c, 411, "chunked request bodies are not supported");
      continue;
    }
    const PendingResponse response = Plan(request);
    if (request.content_length > 0) {
      if (request.expect_continue && request.minor_version == 1) {
        PendingResponse interim;
        interim.kind = Kind::kContinue;
        Enqueue(c, interim, 0);
      }
      c.after_body = response;
      c.body_left = request.content_length;
      c.state = State::kBody;
      continue;
    }
    if (response.close) c.state = State::kClosing;
    Dispatch(c, response, now);
  }
}

PendingResponse TargetWorker::Plan(const Http1Request& request) const {
  PendingResponse r;
  r.head_only = request.method == "HEAD";
  r.close = !request.keep_alive;
  r.mode = r.close                      ? ConnectionMode::kClose
           : request.minor_version == 0 ? ConnectionMode::kKeepAlive10
                                        : ConnectionMode::kKeepAlive11;
  const bool readonly = request.method == "GET" || r.head_only;
  r.kind = readonly && IsMetricsTarget(request.target) ? Kind::kMetrics
                                                       : Kind::kCanned;
  return r;
}

void TargetWorker::Dispatch(Connection& c, PendingResponse response,
                            int64_t now) {
  if (response.kind == Kind::kMetrics) {
    Enqueue(c, response, 0);  // never delayed, never an error
    return;
  }
  // 53 random bits as a double in [0, 1): 1.0 always errs, 0.0 never does.
  const bool error =
      error_rate_ > 0 &&
      static_cast<double>(rng_() >> 11) * 0x1.0p-53 < error_rate_;
  response.status = error ? 500 : status_;
  response.canned = &canned_[error ? 1 : 0][static_cast<int>(response.mode)];
  int64_t delay = delay_ns_;
  if (jitter_ns_ > 0) {
    delay +=
        std::uniform_int_distribution<int64_t>(-jitter_ns_, jitter_ns_)(rng_);
  }
  if (service_) {
    response.ready = false;  // the ServiceQueue's completion marks it
    c.queue.Push(response);
    Serve(c, std::max<int64_t>(delay, 0), now);
    return;
  }
  Enqueue(c, response, delay > 0 ? now + delay : 0);
}

void TargetWorker::QueueBad(Connection& c, int status, const char* reason) {
  PendingResponse r;
  r.kind = Kind::kBad;
  r.status = status;
  r.reason = reason;
  r.mode = ConnectionMode::kClose;
  r.close = true;
  c.state = State::kClosing;
  Enqueue(c, r, 0);
}

void TargetWorker::Enqueue(Connection& c, PendingResponse response,
                           int64_t due_ns) {
  response.ready = due_ns == 0;
  const uint64_t seq = c.front_seq + c.queue.size();
  c.queue.Push(response);
  if (!response.ready) {
    PushTimer(due_ns, c, seq);
  } else if (c.queue.size() == 1) {
    EmitReady(c);
  }
}

void TargetWorker::EmitReady(Connection& c) {
  while (!c.queue.empty() && c.queue.Front().ready) {
    Emit(c, c.queue.Front());
    c.queue.PopFront();
    ++c.front_seq;
  }
}

void TargetWorker::Emit(Connection& c, const PendingResponse& r) {
  switch (r.kind) {
    case Kind::kCanned: {
      const CannedResponse& canned = *r.canned;
      c.out.append(canned.bytes.data(),
                   r.head_only ? canned.head_size : canned.bytes.size());
      TargetCounters::Add(counters_->responses[r.status], 1);
      break;
    }
    case Kind::kContinue:
      c.out.append("HTTP/1.1 100 Continue\r\n\r\n");
      break;
    case Kind::kMetrics:
      RenderTargetMetrics(SumTargetCounters(all_counters_), {status_, 500},
                          service_.has_value(), &metrics_page_);
      c.out += ResponseHead(200, r.mode, kMetricsType, metrics_page_.size());
      if (!r.head_only) c.out += metrics_page_;
      break;
    case Kind::kBad: {
      const std::string body = absl::StrCat(
          r.status, " ", ReasonPhrase(r.status), ": ", r.reason, "\n");
      c.out += ResponseHead(r.status, ConnectionMode::kClose,
                            "text/plain; charset=utf-8", body.size());
      c.out += body;
      TargetCounters::Add(counters_->responses[r.status], 1);
      break;
    }
  }
  if (r.close) c.close_after_flush = true;
}

bool TargetWorker::Paused(const Connection& c) const {
  return c.Unsent() > kMaxUnsent || c.queue.size() >= kMaxQueued;
}

}  // namespace barrage
