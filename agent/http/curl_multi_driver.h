// Copyright 2026 The Barrage Authors.
//
// CurlMultiDriver: the real HttpClient, one libcurl multi handle driven by
// its own epoll loop (curl's socket API), so waits are precise to the
// microsecond (epoll_pwait2), not to epoll's milliseconds.
//
// Each template gets a pool of easy handles configured once (URL, method,
// headers, body, timeouts, TLS): firing a request sets one pointer and adds
// the handle to the multi; connections are kept alive in the multi's cache
// and reused across handles. With HTTP/2 ("2"), https:// requests are
// multiplexed over few connections (ALPN); http:// speaks h2c by prior
// knowledge without reusing connections (a libcurl 7.88.1 bug breaks h2c
// reuse; see the .cc).
// Environment proxies are ignored: requests go only where the scenario says.
//
// StartWith() points the transfer's handle at its own reused buffers: the
// URL (the template's origin and the parts' path), a header list whose
// nodes live in the transfer (no curl_slist_append per send) and the body;
// Start() after it puts the template's back. keep_response templates get a
// header callback and a KeptResponse (shown in the result while on_done
// runs); others neither. A template whose network profile has a bandwidth
// gets curl's own speed limits (CURLOPT_MAX_SEND/RECV_SPEED_LARGE, bytes/s)
// on its handles, so limits_bandwidth() is true: ShapedHttpClient adds no
// send delay and tops results up only where curl's limit let a burst by.
//
// Thread safety: one owner thread; Wakeup() from any thread.
#ifndef BARRAGE_AGENT_HTTP_CURL_MULTI_DRIVER_H_
#define BARRAGE_AGENT_HTTP_CURL_MULTI_DRIVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "absl/status/statusor.h"
#include "agent/http/event_poller.h"
#include "agent/http/http_client.h"
#include "agent/http/kept_response.h"
#include "common/util/clock.h"

namespace barrage {

class CurlMultiDriver final : public HttpClient {
 public:
  // `clock` (borrowed; outlives the driver) times Poll's waits.
  static absl::StatusOr<std::unique_ptr<CurlMultiDriver>> Create(
      std::vector<HttpRequestTemplate> templates, HttpClientOptions options,
      Clock& clock);
  ~CurlMultiDriver() override;

  CurlMultiDriver(const CurlMultiDriver&) = delete;
  CurlMultiDriver& operator=(const CurlMultiDriver&) = delete;

  void Start(size_t template_index, uint64_t token) override;
  void StartWith(size_t template_index, const RequestParts& parts,
                 uint64_t token) override;
  void Poll(int64_t timeout_ns,
            absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) override;
  void Wakeup() override;
  size_t in_flight() const override { return in_flight_; }
  const char* name() const override { return "libcurl"; }
  uint64_t connections_opened() const override { return connections_; }
  bool limits_bandwidth() const override { return true; }

 private:
  struct Transfer {
    CURL* easy = nullptr;
    size_t tpl = 0;
    uint64_t token = 0;
    uint64_t body_bytes = 0;
    bool active = false;
    bool rendered = false;   // set up for StartWith's parts, not the template
    bool posting = false;    // POSTFIELDS set (a body goes)
    std::string url;         // StartWith: origin + path
    std::string header_text; // StartWith: "Name: value\0" each
    std::vector<curl_slist> header_nodes;  // into header_text
    std::string body;        // StartWith's body
    KeptResponse* kept = nullptr;  // keep_response: from kept_pool_
  };

  CurlMultiDriver(std::vector<HttpRequestTemplate> templates,
                  HttpClientOptions options, Clock& clock);
  absl::Status Init();
  Transfer* NewTransfer(size_t tpl);
  void Configure(Transfer* transfer);  // all options of its template
  // Puts the template's URL, headers and body back on a rendered handle.
  void Unrender(Transfer* t);
  // Sets the body (POSTFIELDS, size) or none, keeping the method the
  // template's.
  void SetBody(Transfer* t, const char* data, size_t size);
  void Launch(Transfer* t, uint64_t token);  // adds it to the multi
  // Ends `t` with curl's `code`, or as aborted when `aborted`.
  void Finish(Transfer* t, CURLcode code, bool aborted,
              absl::FunctionRef<void(const HttpResult&)> on_done);
  void DrainDone(absl::FunctionRef<void(const HttpResult&)> on_done);

  static int OnSocket(CURL* easy, curl_socket_t fd, int what, void* self,
                      void* socket_data);
  static int OnTimer(CURLM* multi, long timeout_ms, void* self);
  static size_t OnBody(char* data, size_t size, size_t n, void* transfer);
  static size_t OnHeader(char* data, size_t size, size_t n, void* transfer);

  const std::vector<HttpRequestTemplate> templates_;
  const HttpClientOptions options_;
  Clock& clock_;
  CURLM* multi_ = nullptr;
  EventPoller poller_;
  std::vector<curl_slist*> headers_;                // per template
  std::vector<std::string> origins_;                // per template: scheme://authority
  std::vector<std::unique_ptr<Transfer>> transfers_;  // every handle made
  std::vector<std::vector<Transfer*>> idle_;        // per template
  KeptPool kept_pool_;
  int64_t curl_deadline_ns_ = -1;  // when curl wants a timeout call; -1 none
  size_t in_flight_ = 0;
  uint64_t connections_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_CURL_MULTI_DRIVER_H_
