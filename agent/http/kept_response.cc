// Copyright 2026 The Barrage Authors.

#include "agent/http/kept_response.h"

#include <algorithm>

namespace barrage {
namespace {

absl::string_view TrimBlanks(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

void KeptResponse::Clear() {
  fields_text_.clear();
  fields_.clear();
  views_.clear();
  line_.clear();
  body_.clear();
  truncated_ = false;
}

void KeptResponse::AddHeader(absl::string_view name, absl::string_view value) {
  value = TrimBlanks(value);
  Field f;
  f.name_at = static_cast<uint32_t>(fields_text_.size());
  f.name_size = static_cast<uint32_t>(name.size());
  fields_text_.append(name.data(), name.size());
  f.value_at = static_cast<uint32_t>(fields_text_.size());
  f.value_size = static_cast<uint32_t>(value.size());
  fields_text_.append(value.data(), value.size());
  fields_.push_back(f);
}

void KeptResponse::AppendLine(const char* data, size_t n) { line_.append(data, n); }

void KeptResponse::EndLine() {
  const absl::string_view line(line_);
  const size_t colon = line.find(':');
  // Folded continuations start with a blank; they and junk are no fields.
  if (!line.empty() && line[0] != ' ' && line[0] != '\t' && colon != absl::string_view::npos &&
      colon > 0) {
    AddHeader(line.substr(0, colon), line.substr(colon + 1));
  }
  line_.clear();
}

void KeptResponse::DropHeaders() {
  fields_text_.clear();
  fields_.clear();
  line_.clear();
}

void KeptResponse::AppendBody(const char* data, size_t n) {
  const size_t room = kMaxKeptBody - std::min(body_.size(), kMaxKeptBody);
  if (n > room) truncated_ = true;
  body_.append(data, std::min(n, room));
}

void KeptResponse::Show(HttpResult& result) {
  views_.clear();
  for (const Field& f : fields_) {
    const absl::string_view text(fields_text_);
    views_.push_back(
        {text.substr(f.name_at, f.name_size), text.substr(f.value_at, f.value_size)});
  }
  result.response_headers = absl::MakeConstSpan(views_);
  result.response_body = body_;
  result.body_truncated = truncated_;
}

KeptResponse* KeptPool::Acquire() {
  if (free_.empty()) {
    all_.push_back(std::make_unique<KeptResponse>());
    return all_.back().get();
  }
  KeptResponse* kept = free_.back();
  free_.pop_back();
  kept->Clear();
  return kept;
}

void KeptPool::Release(KeptResponse* kept) {
  if (kept != nullptr) free_.push_back(kept);
}

}  // namespace barrage
