// Copyright 2026 The Barrage Authors.

#include "tools/target/connection.h"

#include "absl/strings/str_cat.h"

namespace barrage {

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 418:
      return "I'm a teapot";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      break;
  }
  if (status < 300) return "Success";
  if (status < 400) return "Redirection";
  if (status < 500) return "Client Error";
  return "Server Error";
}

std::string ResponseHead(int status, ConnectionMode mode,
                         absl::string_view content_type,
                         size_t content_length) {
  std::string head =
      absl::StrCat("HTTP/1.1 ", status, " ", ReasonPhrase(status),
                   "\r\nServer: barrage-target\r\n");
  if (status != 204 && status != 304) {
    absl::StrAppend(&head, "Content-Type: ", content_type,
                    "\r\nContent-Length: ", content_length, "\r\n");
  }
  if (mode == ConnectionMode::kClose) {
    head += "Connection: close\r\n";
  } else if (mode == ConnectionMode::kKeepAlive10) {
    head += "Connection: keep-alive\r\n";
  }
  head += "\r\n";
  return head;
}

CannedResponse MakeCannedResponse(int status, ConnectionMode mode,
                                  absl::string_view body) {
  const bool no_body = status == 204 || status == 304;
  CannedResponse r;
  r.bytes = ResponseHead(status, mode, "text/plain; charset=utf-8",
                         no_body ? 0 : body.size());
  r.head_size = r.bytes.size();
  if (!no_body) r.bytes.append(body.data(), body.size());
  return r;
}

void PendingQueue::Push(const PendingResponse& response) {
  if (size_ == slots_.size()) {
    std::vector<PendingResponse> bigger(slots_.empty() ? 8 : 2 * slots_.size());
    for (size_t i = 0; i < size_; ++i) bigger[i] = At(i);
    slots_.swap(bigger);
    head_ = 0;
  }
  slots_[(head_ + size_) & mask()] = response;
  ++size_;
}

void PendingQueue::PopFront() {
  head_ = (head_ + 1) & mask();
  --size_;
}

void Connection::Reset(int new_fd) {
  fd = new_fd;
  open = true;
  peer_eof = false;
  close_after_flush = false;
  waiting_service = 0;
  state = State::kHead;
  events = 0;
  if (in.size() != kInitialInput) {
    // New, or grown by a huge head last time: back to the normal size.
    std::vector<char>(kInitialInput).swap(in);
  }
  in_begin = in_end = 0;
  parser = Http1RequestParser();
  body_left = 0;
  out.clear();
  out_sent = 0;
  queue.Clear();
  front_seq = 0;
}

}  // namespace barrage
