// Copyright 2026 The Barrage Authors.

#include "agent/http/curl_multi_driver.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "agent/http/error_reasons.h"
#include "agent/http/event_poller.h"
#include "agent/http/http1_request.h"
#include "common/util/clock.h"

namespace barrage {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Outcome Classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Outcome::kTimeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return Outcome::kConnectError;
    default:
      return Outcome::kOther;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlMultiDriver>> CurlMultiDriver::Create(
    std::vector<HttpRequestTemplate> templates, HttpClientOptions options, Clock& clock) {
  GlobalInitOnce();
  std::unique_ptr<CurlMultiDriver> driver(
      new CurlMultiDriver(std::move(templates), std::move(options), clock));
  if (absl::Status s = driver->Init(); !s.ok()) return s;
  return driver;
}

CurlMultiDriver::CurlMultiDriver(std::vector<HttpRequestTemplate> templates,
                                 HttpClientOptions options, Clock& clock)
    : templates_(std::move(templates)), options_(std::move(options)), clock_(clock) {}

absl::Status CurlMultiDriver::Init() {
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return absl::InternalError("cannot create the curl multi handle");
  if (absl::Status s = poller_.Init(); !s.ok()) return s;
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiDriver::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiDriver::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS,
                    static_cast<long>(std::max<size_t>(options_.max_in_flight, 4)));
  const bool h2_tls = options_.http == HttpVersion::kHttp2 &&
                      !templates_.empty() &&
                      templates_[0].url.rfind("https://", 0) == 0;
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING,
                    h2_tls ? CURLPIPE_MULTIPLEX : CURLPIPE_NOTHING);
  idle_.resize(templates_.size());
  for (const HttpRequestTemplate& t : templates_) {
    curl_slist* list = nullptr;
    for (const auto& [name, value] : t.headers) {
      list = curl_slist_append(list, absl::StrCat(name, ": ", value).c_str());
    }
    // No "Expect: 100-continue" round trip before HTTP/1.1 bodies. (Over
    // HTTP/2 the removal header itself breaks curl 7.88's framing.)
    if (options_.http == HttpVersion::kHttp11) {
      list = curl_slist_append(list, "Expect:");
    }
    headers_.push_back(list);
    const size_t scheme = t.url.find("://");
    const size_t path =
        scheme == std::string::npos ? std::string::npos : t.url.find_first_of("/?#", scheme + 3);
    origins_.push_back(t.url.substr(0, path));
  }
  return absl::OkStatus();
}

CurlMultiDriver::~CurlMultiDriver() {
  for (auto& t : transfers_) {
    if (t->active) curl_multi_remove_handle(multi_, t->easy);
    curl_easy_cleanup(t->easy);
  }
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
  for (curl_slist* list : headers_) curl_slist_free_all(list);
}

CurlMultiDriver::Transfer* CurlMultiDriver::NewTransfer(size_t tpl) {
  auto transfer = std::make_unique<Transfer>();
  transfer->tpl = tpl;
  transfer->easy = curl_easy_init();
  Configure(transfer.get());
  transfers_.push_back(std::move(transfer));
  return transfers_.back().get();
}

void CurlMultiDriver::Configure(Transfer* transfer) {
  const HttpRequestTemplate& t = templates_[transfer->tpl];
  CURL* e = transfer->easy;
  curl_easy_setopt(e, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // never an environment proxy
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "barrage/0.1");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers_[transfer->tpl]);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(t.timeout)));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &CurlMultiDriver::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt(e, CURLOPT_PRIVATE, transfer);
  if (t.keep_response) {
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &CurlMultiDriver::OnHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, transfer);
  }
  if (t.network.bandwidth_bps > 0) {
    const curl_off_t bytes_per_s = std::max<curl_off_t>(t.network.bandwidth_bps / 8, 1);
    curl_easy_setopt(e, CURLOPT_MAX_SEND_SPEED_LARGE, bytes_per_s);
    curl_easy_setopt(e, CURLOPT_MAX_RECV_SPEED_LARGE, bytes_per_s);
  }
  if (!t.body.empty()) {
    transfer->posting = true;
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t.body.size()));
    if (t.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t.method.c_str());
  } else if (t.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (t.method != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t.method.c_str());
  }
  if (options_.http == HttpVersion::kHttp2) {
    const bool tls = t.url.rfind("https://", 0) == 0;
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                     tls ? CURL_HTTP_VERSION_2TLS
                         : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    if (tls) {
      curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    } else {
      // Debian's libcurl 7.88.1 fails streams that reuse an h2c (prior
      // knowledge) connection with "Error in the HTTP2 framing layer" (the
      // curl CLI too). Correct results first: each h2c request gets its own
      // connection. https negotiates h2 by ALPN and multiplexes normally.
      curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
  } else {
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  }
  if (options_.insecure) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  if (!options_.ca_pem.empty()) {
    // The scenario's defaults.tls.ca, in memory (curl copies it).
    curl_blob blob;
    blob.data = const_cast<char*>(options_.ca_pem.data());
    blob.len = options_.ca_pem.size();
    blob.flags = CURL_BLOB_COPY;
    curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!options_.cert_pem.empty()) {
    curl_blob cert;
    cert.data = const_cast<char*>(options_.cert_pem.data());
    cert.len = options_.cert_pem.size();
    cert.flags = CURL_BLOB_COPY;
    curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
    curl_blob key;
    key.data = const_cast<char*>(options_.key_pem.data());
    key.len = options_.key_pem.size();
    key.flags = CURL_BLOB_COPY;
    curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
  }
}

void CurlMultiDriver::SetBody(Transfer* t, const char* data, size_t size) {
  const HttpRequestTemplate& tpl = templates_[t->tpl];
  CURL* e = t->easy;
  if (size > 0 || !tpl.body.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
    if (!t->posting && tpl.method != "POST") {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, tpl.method.c_str());
    }
    t->posting = true;
    return;
  }
  if (!t->posting) return;
  // A bodiless template after a rendered body: its own method again.
  t->posting = false;
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  if (tpl.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
                     tpl.method == "GET" ? nullptr : tpl.method.c_str());
  }
}

void CurlMultiDriver::Unrender(Transfer* t) {
  const HttpRequestTemplate& tpl = templates_[t->tpl];
  curl_easy_setopt(t->easy, CURLOPT_URL, tpl.url.c_str());
  curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, headers_[t->tpl]);
  SetBody(t, tpl.body.data(), tpl.body.size());
  t->rendered = false;
}

void CurlMultiDriver::Start(size_t template_index, uint64_t token) {
  std::vector<Transfer*>& idle = idle_[template_index];
  Transfer* t;
  if (idle.empty()) {
    t = NewTransfer(template_index);  // once per concurrent slot per template
  } else {
    t = idle.back();
    idle.pop_back();
  }
  if (t->rendered) Unrender(t);
  Launch(t, token);
}

void CurlMultiDriver::StartWith(size_t template_index, const RequestParts& parts,
                                uint64_t token) {
  std::vector<Transfer*>& idle = idle_[template_index];
  Transfer* t;
  if (idle.empty()) {
    t = NewTransfer(template_index);
  } else {
    t = idle.back();
    idle.pop_back();
  }
  t->url.assign(origins_[template_index]);
  t->url.append(parts.path.data(), parts.path.size());
  // The header list's nodes and strings are the transfer's: text first
  // (it may move while it grows), then the nodes pointing into it.
  t->header_text.clear();
  size_t count = 0;
  auto add = [&](absl::string_view name, absl::string_view value) {
    t->header_text.append(name.data(), name.size());
    t->header_text.append(": ");
    t->header_text.append(value.data(), value.size());
    t->header_text.push_back('\0');
    ++count;
  };
  for (const HeaderView& h : parts.headers) {
    if (IsSendableHeader(h.name, h.value)) add(h.name, h.value);  // as the native driver
  }
  // No "Expect: 100-continue" round trip (as Init's lists).
  if (options_.http == HttpVersion::kHttp11) add("Expect", "");
  t->header_nodes.resize(count);
  char* text = t->header_text.data();
  for (size_t i = 0; i < count; ++i) {
    t->header_nodes[i].data = text;
    t->header_nodes[i].next = i + 1 < count ? &t->header_nodes[i + 1] : nullptr;
    text += std::strlen(text) + 1;
  }
  t->body.assign(parts.body.data(), parts.body.size());
  curl_easy_setopt(t->easy, CURLOPT_URL, t->url.c_str());
  curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, count == 0 ? nullptr : t->header_nodes.data());
  SetBody(t, t->body.data(), t->body.size());
  t->rendered = true;
  Launch(t, token);
}

void CurlMultiDriver::Launch(Transfer* t, uint64_t token) {
  t->token = token;
  t->body_bytes = 0;
  t->active = true;
  if (templates_[t->tpl].keep_response) t->kept = kept_pool_.Acquire();
  ++in_flight_;
  curl_multi_add_handle(multi_, t->easy);
}

size_t CurlMultiDriver::OnBody(char* data, size_t size, size_t n, void* transfer) {
  auto* t = static_cast<Transfer*>(transfer);
  t->body_bytes += size * n;
  if (t->kept != nullptr) t->kept->AppendBody(data, size * n);
  return size * n;
}

size_t CurlMultiDriver::OnHeader(char* data, size_t size, size_t n, void* transfer) {
  auto* t = static_cast<Transfer*>(transfer);
  const size_t bytes = size * n;
  if (t->kept == nullptr) return bytes;
  // Each call is one whole line; a status line starts a response (after a
  // 1xx, the final one).
  if (bytes >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
    t->kept->DropHeaders();
  } else {
    t->kept->AppendLine(data, bytes);
    t->kept->EndLine();
  }
  return bytes;
}

int CurlMultiDriver::OnSocket(CURL*, curl_socket_t fd, int what, void* self,
                              void* socket_data) {
  auto* d = static_cast<CurlMultiDriver*>(self);
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(d->poller_.fd(), EPOLL_CTL_DEL, fd, nullptr);
    return 0;
  }
  epoll_event ev{};
  ev.data.fd = fd;
  if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
  if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
  if (socket_data == nullptr) {
    epoll_ctl(d->poller_.fd(), EPOLL_CTL_ADD, fd, &ev);
    curl_multi_assign(d->multi_, fd, d);  // mark: registered
  } else if (epoll_ctl(d->poller_.fd(), EPOLL_CTL_MOD, fd, &ev) != 0 &&
             errno == ENOENT) {
    epoll_ctl(d->poller_.fd(), EPOLL_CTL_ADD, fd, &ev);
  }
  return 0;
}

int CurlMultiDriver::OnTimer(CURLM*, long timeout_ms, void* self) {
  auto* d = static_cast<CurlMultiDriver*>(self);
  d->curl_deadline_ns_ =
      timeout_ms < 0 ? -1 : d->clock_.NowNs() + int64_t{timeout_ms} * 1'000'000;
  return 0;
}

void CurlMultiDriver::Poll(int64_t timeout_ns,
                           absl::FunctionRef<void(const HttpResult&)> on_done) {
  int64_t now = clock_.NowNs();
  int64_t wait = std::max<int64_t>(timeout_ns, 0);
  if (curl_deadline_ns_ >= 0) {
    wait = std::min(wait, std::max<int64_t>(curl_deadline_ns_ - now, 0));
  }
  epoll_event events[64];
  const int n = poller_.Wait(events, 64, wait);
  int running = 0;
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    int flags = 0;
    if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, fd, flags, &running);
  }
  now = clock_.NowNs();
  if (curl_deadline_ns_ >= 0 && now >= curl_deadline_ns_) {
    curl_deadline_ns_ = -1;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }
  DrainDone(on_done);
}

void CurlMultiDriver::DrainDone(
    absl::FunctionRef<void(const HttpResult&)> on_done) {
  int pending = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &pending)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    Finish(t, msg->data.result, false, on_done);
  }
}

void CurlMultiDriver::Finish(Transfer* t, CURLcode code, bool aborted,
                             absl::FunctionRef<void(const HttpResult&)> on_done) {
  HttpResult r;
  r.token = t->token;
  long status = 0;
  curl_off_t uploaded = 0;
  long request_size = 0;
  long header_size = 0;
  long connects = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(t->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(t->easy, CURLINFO_HEADER_SIZE, &header_size);
  curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &connects);
  connections_ += static_cast<uint64_t>(connects);
  r.status = static_cast<int>(status);
  r.bytes_sent = static_cast<uint64_t>(request_size) + static_cast<uint64_t>(uploaded);
  r.bytes_received = static_cast<uint64_t>(header_size) + t->body_bytes;
  // Phases (curl's times are from the transfer's start, in us).
  curl_off_t connect_us = 0;
  curl_off_t tls_us = 0;
  curl_off_t ttfb_us = 0;
  curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
  curl_easy_getinfo(t->easy, CURLINFO_APPCONNECT_TIME_T, &tls_us);
  curl_easy_getinfo(t->easy, CURLINFO_STARTTRANSFER_TIME_T, &ttfb_us);
  if (connects > 0 && connect_us > 0) {
    r.connect_ns = static_cast<int64_t>(connect_us) * 1000;
    if (tls_us >= connect_us) r.tls_ns = static_cast<int64_t>(tls_us - connect_us) * 1000;
  }
  if (ttfb_us > 0 && status != 0) r.ttfb_ns = static_cast<int64_t>(ttfb_us) * 1000;
  if (aborted) {
    r.outcome = Outcome::kAborted;
    r.reason = ErrorReason::kAborted;
  } else if (code == CURLE_OK) {
    r.outcome = status == 0 ? Outcome::kOther
                : templates_[t->tpl].Succeeded(r.status) ? Outcome::kOk
                                                         : Outcome::kHttpError;
    if (status == 0) r.reason = ErrorReason::kBadResponse;
  } else {
    long os_errno = 0;
    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
    r.outcome = Classify(code);
    r.reason = CurlReason(code, os_errno);
  }
  curl_multi_remove_handle(multi_, t->easy);
  t->active = false;
  --in_flight_;
  if (t->kept == nullptr) {
    idle_[t->tpl].push_back(t);
    on_done(r);
    return;
  }
  // The kept response is shown while on_done runs; the handle is idle
  // again only afterwards, so a send from on_done cannot reuse it.
  KeptResponse* kept = t->kept;
  t->kept = nullptr;
  kept->Show(r);
  on_done(r);
  kept_pool_.Release(kept);
  idle_[t->tpl].push_back(t);
}

void CurlMultiDriver::CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) {
  // Completed transfers keep their results; the rest end as aborted.
  DrainDone(on_done);
  for (auto& t : transfers_) {
    if (t->active) Finish(t.get(), CURLE_OK, true, on_done);
  }
  in_flight_ = 0;
}

void CurlMultiDriver::Wakeup() { poller_.Wake(); }

}  // namespace barrage
