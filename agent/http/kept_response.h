// Copyright 2026 The Barrage Authors.
//
// KeptResponse: what a driver keeps of one response for a keep_response
// template (flow steps with captures, checks or cookies): its header fields
// in arrival order and its body up to kMaxKeptBody (longer: cut there and
// flagged). KeptPool hands them out and takes them back, so the memory is
// reused: once the buffers have grown to a run's responses, keeping
// allocates nothing.
//
// Ownership: a driver takes one from its pool when a keep_response request
// starts, feeds it as bytes arrive, and gives it back after the result's
// on_done call returned; HttpResult's views point into it until then.
// Templates without keep_response never touch one.
//
// Thread safety: none; one driver's owner thread.
#ifndef BARRAGE_AGENT_HTTP_KEPT_RESPONSE_H_
#define BARRAGE_AGENT_HTTP_KEPT_RESPONSE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "agent/http/http_client.h"

namespace barrage {

class KeptResponse {
 public:
  // Empties it for a new request; capacity stays.
  void Clear();

  // One header field (name as received, value without surrounding blanks).
  void AddHeader(absl::string_view name, absl::string_view value);
  // HTTP/1 header lines, possibly in pieces: AppendLine() adds bytes of the
  // current line, EndLine() takes it as a field ("Name: value", CRLF or LF
  // ended). Blank lines, folded continuations and lines without a colon are
  // not fields and are skipped.
  void AppendLine(const char* data, size_t n);
  void EndLine();
  // An interim (1xx) response ended, or a new response begins: the fields
  // kept so far are dropped.
  void DropHeaders();
  // Body bytes as they arrive; beyond kMaxKeptBody they are counted as
  // truncation, not kept.
  void AppendBody(const char* data, size_t n);

  // Sets `result`'s response_headers, response_body and body_truncated to
  // views into this object, valid until the next call that changes it.
  void Show(HttpResult& result);

 private:
  struct Field {
    uint32_t name_at, name_size, value_at, value_size;  // into fields_text_
  };
  std::string fields_text_;
  std::vector<Field> fields_;
  std::vector<HeaderView> views_;
  std::string line_;
  std::string body_;
  bool truncated_ = false;
};

class KeptPool {
 public:
  // A cleared KeptResponse, reused when one was given back.
  KeptResponse* Acquire();
  void Release(KeptResponse* kept);  // nullptr: nothing

 private:
  std::vector<std::unique_ptr<KeptResponse>> all_;
  std::vector<KeptResponse*> free_;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_KEPT_RESPONSE_H_
