// Copyright 2026 The Barrage Authors.

#include "agent/engine/flow_state.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "agent/engine/json_scan.h"
#include "re2/re2.h"

namespace barrage {
namespace {

const HeaderView* FindHeader(absl::Span<const HeaderView> headers, absl::string_view name) {
  for (const HeaderView& h : headers) {
    if (absl::EqualsIgnoreCase(h.name, name)) return &h;
  }
  return nullptr;
}

// `status` in decimal into `out`, without a temporary string.
void AssignStatus(int status, std::string& out) {
  char digits[12];
  size_t n = 0;
  unsigned v = static_cast<unsigned>(std::max(status, 0));
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < sizeof(digits));
  out.clear();
  while (n > 0) out.push_back(digits[--n]);
}

bool RunCapture(const CompiledCapture& c, const HttpResult& r, std::string& var,
                std::string& scratch) {
  switch (c.kind) {
    case Capture::Kind::kJson: {
      const std::optional<absl::string_view> v = ScanJson(r.response_body, c.json, scratch);
      if (!v) return false;
      var.assign(v->data(), v->size());
      return true;
    }
    case Capture::Kind::kHeader: {
      const HeaderView* h = FindHeader(r.response_headers, c.header);
      if (h == nullptr) return false;
      var.assign(h->value.data(), h->value.size());
      return true;
    }
    case Capture::Kind::kRegex: {
      re2::StringPiece group;
      if (!re2::RE2::PartialMatch(
              re2::StringPiece(r.response_body.data(), r.response_body.size()), *c.regex,
              &group)) {
        return false;
      }
      var.assign(group.data(), group.size());
      return true;
    }
    case Capture::Kind::kStatus:
      if (r.status == 0) return false;
      AssignStatus(r.status, var);
      return true;
  }
  return false;
}

bool RunCheck(const CompiledCheck& c, const HttpResult& r, int64_t response_ns,
              std::string& scratch) {
  switch (c.kind) {
    case Check::Kind::kStatus:
      return std::find(c.statuses.begin(), c.statuses.end(), r.status) != c.statuses.end();
    case Check::Kind::kJsonExists:
      return ScanJson(r.response_body, c.json, scratch).has_value();
    case Check::Kind::kJsonEquals: {
      const std::optional<absl::string_view> v = ScanJson(r.response_body, c.json, scratch);
      return v && *v == c.value;
    }
    case Check::Kind::kBodyContains:
      return absl::StrContains(r.response_body, c.value);
    case Check::Kind::kHeader: {
      const HeaderView* h = FindHeader(r.response_headers, c.header);
      return h != nullptr && (c.value.empty() || h->value == c.value);
    }
    case Check::Kind::kMaxDuration:
      return response_ns <= c.max_ns;
  }
  return false;
}

}  // namespace

void CookieJar::TakeFrom(absl::Span<const HeaderView> headers) {
  for (const HeaderView& h : headers) {
    if (absl::EqualsIgnoreCase(h.name, "set-cookie")) Set(h.value);
  }
}

void CookieJar::Set(absl::string_view set_cookie) {
  const absl::string_view pair = set_cookie.substr(0, set_cookie.find(';'));
  const size_t eq = pair.find('=');
  if (eq == absl::string_view::npos || pair.size() > kMaxCookieBytes) return;
  const absl::string_view name = absl::StripAsciiWhitespace(pair.substr(0, eq));
  const absl::string_view value = absl::StripAsciiWhitespace(pair.substr(eq + 1));
  if (name.empty()) return;
  for (size_t i = 0; i < count_; ++i) {
    if (cookies_[i].name == name) {
      cookies_[i].value.assign(value.data(), value.size());
      return;
    }
  }
  if (count_ >= kMaxCookies) return;
  if (count_ == cookies_.size()) cookies_.emplace_back();
  Cookie& c = cookies_[count_++];
  c.name.assign(name.data(), name.size());
  c.value.assign(value.data(), value.size());
}

void CookieJar::AppendHeader(std::string& out) const {
  for (size_t i = 0; i < count_; ++i) {
    if (i > 0) out.append("; ");
    out.append(cookies_[i].name);
    out.push_back('=');
    out.append(cookies_[i].value);
  }
}

Renderer::Renderer(size_t max_headers) {
  ends_.resize(max_headers + 3);
  headers_.resize(max_headers + 1);
  buffer_.reserve(4096);
}

void Renderer::Append(const CompiledText& text, const FlowIteration& it,
                      absl::Span<RowSource* const> data) {
  for (const CompiledSegment& s : text) {
    switch (s.kind) {
      case CompiledSegment::Kind::kLiteral:
        buffer_.append(s.literal);
        break;
      case CompiledSegment::Kind::kVariable:
        if (s.index < it.vars.size()) buffer_.append(it.vars[s.index]);
        break;
      case CompiledSegment::Kind::kData: {
        const int64_t row = s.index < it.rows.size() ? it.rows[s.index] : RowSource::kNoRow;
        if (row != RowSource::kNoRow && s.index < data.size() && data[s.index] != nullptr) {
          const absl::string_view field = data[s.index]->Field(row, s.column);
          buffer_.append(field.data(), field.size());
        }
        break;
      }
    }
  }
}

RequestParts Renderer::Render(const CompiledTemplate& tpl, const FlowIteration& it,
                              bool cookies, absl::Span<RowSource* const> data) {
  // Everything goes into one buffer first and the views are taken after,
  // since an append may move the buffer (only while it still grows).
  buffer_.clear();
  Append(tpl.path, it, data);
  const size_t path_end = buffer_.size();
  const size_t headers = tpl.header_values.size();
  for (size_t h = 0; h < headers; ++h) {
    Append(tpl.header_values[h], it, data);
    ends_[h] = buffer_.size();
  }
  const bool with_cookie = cookies && it.jar.size() > 0;
  if (with_cookie) {
    it.jar.AppendHeader(buffer_);
    ends_[headers] = buffer_.size();
  }
  const size_t body_start = buffer_.size();
  Append(tpl.body, it, data);
  const absl::string_view all(buffer_);
  size_t start = path_end;
  for (size_t h = 0; h < headers; ++h) {
    headers_[h] = HeaderView{tpl.header_names[h], all.substr(start, ends_[h] - start)};
    start = ends_[h];
  }
  size_t n = headers;
  if (with_cookie) {
    headers_[n++] = HeaderView{"Cookie", all.substr(start, ends_[headers] - start)};
  }
  RequestParts parts;
  parts.path = all.substr(0, path_end);
  parts.headers = absl::Span<const HeaderView>(headers_.data(), n);
  parts.body = all.substr(body_start);
  return parts;
}

int EvaluateStep(const CompiledStep& step, const HttpResult& result, int64_t response_ns,
                 FlowIteration& it, std::string& scratch) {
  for (size_t i = 0; i < step.captures.size(); ++i) {
    const CompiledCapture& c = step.captures[i];
    if (c.var >= it.vars.size() || !RunCapture(c, result, it.vars[c.var], scratch)) {
      return static_cast<int>(i);
    }
  }
  for (size_t i = 0; i < step.checks.size(); ++i) {
    if (!RunCheck(step.checks[i], result, response_ns, scratch)) {
      return static_cast<int>(step.captures.size() + i);
    }
  }
  return -1;
}

}  // namespace barrage
