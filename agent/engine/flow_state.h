// Copyright 2026 The Barrage Authors.
//
// The per-iteration side of flows: an iteration's variables, data rows and
// cookie jar (FlowIteration), the renderer that turns a compiled template
// into RequestParts, and the evaluation of a step's captures and checks on
// its kept response. All of it reuses its memory: after the first
// iterations have grown the buffers to the run's sizes, nothing here
// allocates.
//
// Thread safety: owned by one worker thread.
#ifndef BARRAGE_AGENT_ENGINE_FLOW_STATE_H_
#define BARRAGE_AGENT_ENGINE_FLOW_STATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "agent/engine/flow_program.h"
#include "agent/engine/row_source.h"
#include "agent/http/http_client.h"

namespace barrage {

// A flow iteration's cookies: Set-Cookie "name=value" (attributes ignored)
// replaces by name; sent back as one Cookie header. Bounded: at most
// kMaxCookies, each name=value at most kMaxCookieBytes (larger ones and
// cookies past the bound are ignored). Empty until a cookie is set: its
// room grows with the cookies and is kept across Clear() (a worker holds
// one jar per iteration slot, thousands of them, most never used).
class CookieJar {
 public:
  static constexpr size_t kMaxCookies = 32;
  static constexpr size_t kMaxCookieBytes = 4096;

  CookieJar() = default;
  void Clear() { count_ = 0; }
  // Takes every Set-Cookie header of a response.
  void TakeFrom(absl::Span<const HeaderView> headers);
  void Set(absl::string_view set_cookie);
  size_t size() const { return count_; }
  // Appends "a=1; b=2" to `out`.
  void AppendHeader(std::string& out) const;

 private:
  struct Cookie {
    std::string name;
    std::string value;
  };
  std::vector<Cookie> cookies_;  // the first count_ are set; at most kMaxCookies
  size_t count_ = 0;
};

// One flow iteration (or a plain request holding data rows) from its start
// to its end, reused for the next.
struct FlowIteration {
  int32_t flow = -1;       // -1: a plain request
  uint32_t item = 0;       // the picked item (request or flow)
  uint32_t step = 0;       // the step in flight or due next
  int32_t vu = -1;         // closed model: the VU running it; -1 open model
  int64_t first_due_ns = 0;
  int64_t active_ns = 0;   // summed steps' response times (think excluded)
  std::vector<int64_t> rows;  // per data source; RowSource::kNoRow when unused
  std::vector<std::string> vars;
  CookieJar jar;
};

// Renders templates into one reused buffer; the parts are valid until the
// next Render().
class Renderer {
 public:
  explicit Renderer(size_t max_headers);
  RequestParts Render(const CompiledTemplate& tpl, const FlowIteration& it, bool cookies,
                      absl::Span<RowSource* const> data);

 private:
  void Append(const CompiledText& text, const FlowIteration& it,
              absl::Span<RowSource* const> data);

  std::string buffer_;
  std::vector<size_t> ends_;  // per header value, then the body
  std::vector<HeaderView> headers_;
};

// Runs `step`'s captures (into it.vars), then its checks, on a response
// whose status passed expect. Returns the index of the first that failed
// (captures first, then checks, as StatsLayout::reasons), or -1.
// `response_ns` is the step's response time; `scratch` a reused buffer.
int EvaluateStep(const CompiledStep& step, const HttpResult& result, int64_t response_ns,
                 FlowIteration& it, std::string& scratch);

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_FLOW_STATE_H_
