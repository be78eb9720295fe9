// Copyright 2026 The Barrage Authors.

#include "agent/http/http2_driver.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "agent/http/error_reasons.h"

namespace barrage {
namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
// Frames gathered for one send; a DATA frame is at most 16 KiB + 9 bytes.
constexpr size_t kSendBatch = 64 * 1024;
constexpr int32_t kStreamWindow = 16 << 20;
constexpr int32_t kConnectionWindow = 1 << 30;
constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();
constexpr size_t kNoSlot = std::numeric_limits<size_t>::max();

uint64_t Tag(uint32_t index, uint32_t generation) {
  return (uint64_t{generation} << 32) | index;
}

ErrorReason ResetReason(uint32_t code) {
  switch (code) {
    case NGHTTP2_REFUSED_STREAM: return ErrorReason::kH2ResetRefused;
    case NGHTTP2_CANCEL: return ErrorReason::kH2ResetCancel;
    case NGHTTP2_PROTOCOL_ERROR: return ErrorReason::kH2Protocol;
    default: return ErrorReason::kH2ResetOther;
  }
}

}  // namespace

struct Http2Driver::Template {
  const HttpRequestTemplate* source = nullptr;
  HttpUrl url;  // for rendering StartWith's parts
  Http2HeaderBlock headers;
  std::vector<nghttp2_nv> nv;  // points into `headers`
  int64_t timeout_ns = 0;
  uint32_t first = kNone;      // pending list (queued or active), by deadline
  uint32_t last = kNone;
};

struct Http2Driver::Request {
  enum class State { kFree, kQueued, kActive };
  uint32_t index = 0;
  State state = State::kFree;
  size_t tpl = 0;
  uint64_t token = 0;
  int64_t deadline_ns = 0;
  uint32_t conn = kNone;  // while active
  int32_t stream = 0;
  uint64_t sent = 0;      // frame bytes, headers included
  uint64_t received = 0;
  size_t body_sent = 0;
  int status = 0;
  bool reset = false;     // the server sent RST_STREAM
  uint32_t reset_code = 0;
  bool retried = false;
  int64_t start_ns = 0;
  int64_t first_byte_ns = 0;  // 0: no response HEADERS yet
  // StartWith's request, rendered into buffers the slot reuses.
  bool rendered = false;
  std::string text;
  std::vector<Http2Field> fields;
  std::vector<nghttp2_nv> nv;  // into `text`
  std::string body;
  KeptResponse* kept = nullptr;  // keep_response: from kept_pool_
  uint32_t opened = kNone;    // the connection its stream opened, if any
  uint32_t opened_generation = 0;
  uint32_t prev = kNone;  // the template's pending list
  uint32_t next = kNone;
  uint32_t qprev = kNone;  // the queue
  uint32_t qnext = kNone;
};

struct Http2Driver::Connection {
  Http2Driver* driver = nullptr;
  uint32_t index = 0;
  int fd = -1;
  uint32_t generation = 0;  // tells a closed socket's events from a new one's
  bool connecting = false;
  bool handshaking = false;     // TLS handshake under way
  bool handshake_write = false; // ... and waiting to write
  bool used = false;            // a stream was submitted on it
  int64_t connect_start_ns = 0;
  int64_t connected_ns = 0;     // 0: not yet
  int64_t handshaken_ns = 0;    // 0: not yet (or h2c)
  bool goaway = false;      // the server sent GOAWAY: no new streams
  int32_t last_stream_id = 0;
  bool dirty = false;       // in dirty_
  uint32_t events = 0;      // registered with epoll
  size_t slot = kNoSlot;    // kNoSlot: retired (or closed)
  size_t active = 0;        // our streams on it
  nghttp2_session* session = nullptr;
  TlsSession tls;            // open on an https:// connection
  std::unique_ptr<Transport> transport;  // null until frames may flow
  std::string out;          // frames not yet written
  size_t out_done = 0;
};

// nghttp2's callbacks: they record what arrived and end streams; they never
// call back into an nghttp2 session (the driver does that after them).
struct Http2Callbacks {
  using D = Http2Driver;

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                      void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    const bool is_status = namelen == 7 && std::memcmp(name, ":status", 7) == 0;
    if (!is_status && !c.driver->keeps_) return 0;
    D::Request* r = c.driver->Find(c, frame->hd.stream_id);
    if (r == nullptr) return 0;
    if (r->kept != nullptr) {
      if (is_status) {
        r->kept->DropHeaders();  // a final response's block follows a 1xx
      } else if (namelen == 0 || name[0] != ':') {
        r->kept->AddHeader(
            absl::string_view(reinterpret_cast<const char*>(name), namelen),
            absl::string_view(reinterpret_cast<const char*>(value), valuelen));
      }
    }
    if (!is_status || valuelen != 3) return 0;
    int status = 0;
    for (size_t i = 0; i < 3; ++i) {
      if (value[i] < '0' || value[i] > '9') return 0;
      status = status * 10 + (value[i] - '0');
    }
    r->status = status;  // a final status replaces a 1xx
    return 0;
  }

  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    switch (frame->hd.type) {
      case NGHTTP2_GOAWAY:
        c.goaway = true;
        c.last_stream_id = frame->goaway.last_stream_id;
        c.driver->Retire(c);
        return 0;
      case NGHTTP2_RST_STREAM:
        if (D::Request* r = c.driver->Find(c, frame->hd.stream_id)) {
          r->reset = true;
          r->reset_code = frame->rst_stream.error_code;
        }
        return 0;
      case NGHTTP2_HEADERS:
        if (D::Request* r = c.driver->Find(c, frame->hd.stream_id)) {
          r->received += frame->hd.length + 9;
          if (r->first_byte_ns == 0) r->first_byte_ns = c.driver->clock_.NowNs();
        }
        return 0;
      case NGHTTP2_DATA:
        if (D::Request* r = c.driver->Find(c, frame->hd.stream_id)) {
          r->received += frame->hd.length + 9;
        }
        return 0;
      default:
        return 0;
    }
  }

  static int OnFrameSend(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    if (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) {
      if (D::Request* r = c.driver->Find(c, frame->hd.stream_id)) {
        r->sent += frame->hd.length + 9;
      }
    }
    return 0;
  }

  // A request's HEADERS that never left (the server went away first).
  static int OnFrameNotSend(nghttp2_session*, const nghttp2_frame* frame, int, void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    D* d = c.driver;
    for (auto& r : d->requests_) {
      if (r->state == D::Request::State::kActive && r->conn == c.index &&
          r->stream == frame->hd.stream_id) {
        d->Detach(*r);
        if (!d->RetryAfterGoAway(r->index)) {
          d->Finish(r->index, Outcome::kOther, 0, ErrorReason::kH2GoAway);
        }
        break;
      }
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code,
                           void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    c.driver->OnStreamClose(c, stream_id, error_code);
    return 0;
  }

  static int OnDataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                         size_t len, void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    D::Request* r = c.driver->Find(c, stream_id);
    if (r != nullptr && r->kept != nullptr) {
      r->kept->AppendBody(reinterpret_cast<const char*>(data), len);
    }
    return 0;
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                          uint32_t* flags, nghttp2_data_source* source, void* user) {
    auto& c = *static_cast<D::Connection*>(user);
    auto* r = static_cast<D::Request*>(source->ptr);
    if (r->state != D::Request::State::kActive || r->conn != c.index ||
        r->stream != stream_id) {
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // abandoned: reset it
    }
    const std::string& body =
        r->rendered ? r->body : c.driver->templates_[r->tpl].source->body;
    const size_t n = std::min(length, body.size() - r->body_sent);
    std::memcpy(buf, body.data() + r->body_sent, n);
    r->body_sent += n;
    if (r->body_sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  // `keep`: with the DATA callback keep_response needs.
  static nghttp2_session_callbacks* Make(bool keep) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &OnHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &OnFrameRecv);
    nghttp2_session_callbacks_set_on_frame_send_callback(cbs, &OnFrameSend);
    nghttp2_session_callbacks_set_on_frame_not_send_callback(cbs, &OnFrameNotSend);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &OnStreamClose);
    if (keep) nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &OnDataChunk);
    return cbs;
  }
};

namespace {

// One set of callbacks for every session (nghttp2 copies them per session).
nghttp2_session_callbacks* SharedCallbacks(bool keep) {
  static nghttp2_session_callbacks* const plain = Http2Callbacks::Make(false);
  static nghttp2_session_callbacks* const keeping = Http2Callbacks::Make(true);
  return keep ? keeping : plain;
}

}  // namespace

bool Http2Driver::Supports(const std::vector<HttpRequestTemplate>& templates,
                           const HttpClientOptions& options) {
  if (options.http != HttpVersion::kHttp2 || templates.empty()) return false;
  absl::StatusOr<HttpUrl> first = ParseHttpUrl(templates[0].url);
  if (!first.ok()) return false;
  return std::all_of(templates.begin(), templates.end(), [&first](const auto& t) {
    absl::StatusOr<HttpUrl> url = ParseHttpUrl(t.url);
    return url.ok() && url->tls == first->tls && url->authority == first->authority &&
           IsSendableAsWritten(t);
  });
}

absl::StatusOr<std::unique_ptr<Http2Driver>> Http2Driver::Create(
    std::vector<HttpRequestTemplate> templates, HttpClientOptions options, Clock& clock) {
  if (!Supports(templates, options)) {
    return absl::InvalidArgumentError(
        "the native HTTP/2 driver takes only requests to one origin over HTTP/2");
  }
  std::unique_ptr<Http2Driver> driver(
      new Http2Driver(std::move(templates), std::move(options), clock));
  if (absl::Status s = driver->Init(); !s.ok()) return s;
  return driver;
}

Http2Driver::Http2Driver(std::vector<HttpRequestTemplate> templates,
                         HttpClientOptions options, Clock& clock)
    : sources_(std::move(templates)), options_(std::move(options)), clock_(clock) {}

absl::Status Http2Driver::Init() {
  if (absl::Status s = poller_.Init(); !s.ok()) return s;
  max_streams_ = static_cast<size_t>(std::max(options_.h2_max_streams, 1));
  const size_t in_flight = std::max<size_t>(options_.max_in_flight, 1);
  const size_t n = options_.h2_connections > 0
                       ? static_cast<size_t>(options_.h2_connections)
                       : (in_flight + max_streams_ - 1) / max_streams_;
  slots_.assign(n, kNone);
  templates_.resize(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) {
    absl::StatusOr<HttpUrl> url = ParseHttpUrl(sources_[i].url);
    if (!url.ok()) return url.status();  // Supports() checked it
    Template& t = templates_[i];
    t.source = &sources_[i];
    t.url = *url;
    keeps_ = keeps_ || sources_[i].keep_response;
    t.headers = BuildHttp2Headers(sources_[i], *url);
    t.timeout_ns = sources_[i].timeout > absl::ZeroDuration()
                       ? absl::ToInt64Nanoseconds(sources_[i].timeout)
                       : kNoDeadline;
    // The strings stay where they are for the driver's life: nghttp2 reads
    // them without copying.
    for (auto& [name, value] : t.headers) {
      nghttp2_nv nv;
      nv.name = reinterpret_cast<uint8_t*>(name.data());
      nv.namelen = name.size();
      nv.value = reinterpret_cast<uint8_t*>(value.data());
      nv.valuelen = value.size();
      nv.flags = NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE;
      t.nv.push_back(nv);
    }
    if (i == 0) {
      host_ = url->host;
      if (url->tls) {
        // http/1.1 offered too, so that a server without h2 still finishes
        // the handshake (rather than an alert) and is named kTlsNoH2.
        absl::StatusOr<std::unique_ptr<TlsContext>> context =
            TlsContext::Create(TlsConfigFor(options_, {"h2", "http/1.1"}));
        if (!context.ok()) return context.status();
        tls_ = *std::move(context);
      }
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      hints.ai_flags = AI_NUMERICSERV;
      addrinfo* found = nullptr;
      // A name that does not resolve makes every request a connect_error.
      if (getaddrinfo(url->host.c_str(), url->port.c_str(), &hints, &found) == 0) {
        std::memcpy(&address_, found->ai_addr, found->ai_addrlen);
        address_size_ = found->ai_addrlen;
        freeaddrinfo(found);
      }
    }
  }
  requests_.reserve(in_flight);
  free_requests_.reserve(in_flight);
  done_.reserve(in_flight + 1);
  delivering_.reserve(in_flight + 1);
  done_kept_.reserve(in_flight + 1);
  delivering_kept_.reserve(in_flight + 1);
  connections_.reserve(2 * n);
  free_connections_.reserve(2 * n);
  dirty_.reserve(2 * n);
  buffer_ = std::make_unique<char[]>(kReadBufferSize);
  SharedCallbacks(keeps_);
  return absl::OkStatus();
}

Http2Driver::~Http2Driver() {
  for (auto& c : connections_) {
    if (c->session != nullptr) nghttp2_session_del(c->session);
    c->tls.Close();
    if (c->fd >= 0) close(c->fd);
  }
}

void Http2Driver::Start(size_t template_index, uint64_t token) {
  Begin(template_index, nullptr, token);
}

void Http2Driver::StartWith(size_t template_index, const RequestParts& parts, uint64_t token) {
  Begin(template_index, &parts, token);
}

void Http2Driver::Begin(size_t template_index, const RequestParts* parts, uint64_t token) {
  ++in_flight_;
  uint32_t index;
  if (!free_requests_.empty()) {
    index = free_requests_.back();
    free_requests_.pop_back();
  } else {
    index = static_cast<uint32_t>(requests_.size());
    requests_.push_back(std::make_unique<Request>());
    requests_.back()->index = index;
  }
  Request& r = *requests_[index];
  const Template& t = templates_[template_index];
  r.tpl = template_index;
  r.token = token;
  r.start_ns = clock_.NowNs();
  r.deadline_ns = t.timeout_ns == kNoDeadline ? kNoDeadline : r.start_ns + t.timeout_ns;
  r.retried = false;
  r.first_byte_ns = 0;
  r.opened = kNone;
  r.rendered = parts != nullptr;
  if (parts != nullptr) {
    RenderHttp2Headers(*t.source, t.url, *parts, r.text, r.fields);
    r.nv.clear();
    // The text stays put until the stream's HEADERS went out: nghttp2
    // reads the fields without copying.
    for (const Http2Field& f : r.fields) {
      nghttp2_nv nv;
      nv.name = reinterpret_cast<uint8_t*>(r.text.data() + f.name_at);
      nv.namelen = f.name_size;
      nv.value = reinterpret_cast<uint8_t*>(r.text.data() + f.value_at);
      nv.valuelen = f.value_size;
      nv.flags = NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE;
      r.nv.push_back(nv);
    }
    r.body.assign(parts->body.data(), parts->body.size());
  }
  r.kept = t.source->keep_response ? kept_pool_.Acquire() : nullptr;
  Link(index);
  Dispatch(index);
}

void Http2Driver::Dispatch(uint32_t req) {
  // Requests already waiting go first.
  if (queue_head_ != kNone || !TrySubmit(req)) Enqueue(req, /*front=*/false);
}

size_t Http2Driver::Room(const Connection& c) const {
  if (c.goaway || c.slot == kNoSlot || c.session == nullptr) return 0;
  const size_t peer = nghttp2_session_get_remote_settings(
      c.session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
  const size_t limit = std::min(max_streams_, peer);
  return c.active < limit ? limit - c.active : 0;
}

bool Http2Driver::TrySubmit(uint32_t req) {
  const size_t n = slots_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t slot = (cursor_ + k) % n;
    Connection* c = slots_[slot] == kNone ? nullptr : connections_[slots_[slot]].get();
    if (c == nullptr) {
      if (const ErrorReason why = OpenConnection(slot); why != ErrorReason::kNone) {
        Finish(req, Outcome::kConnectError, 0, why);
        return true;
      }
      c = connections_[slots_[slot]].get();
    }
    if (Room(*c) == 0) continue;
    cursor_ = (slot + 1) % n;
    Submit(req, *c);
    return true;
  }
  return false;
}

void Http2Driver::Submit(uint32_t req, Connection& c) {
  Request& r = *requests_[req];
  Template& t = templates_[r.tpl];
  r.sent = 0;
  r.received = 0;
  r.body_sent = 0;
  r.status = 0;
  r.reset = false;
  if (r.kept != nullptr) r.kept->Clear();  // a retry starts over
  nghttp2_data_provider body;
  body.source.ptr = &r;
  body.read_callback = &Http2Callbacks::ReadBody;
  const std::vector<nghttp2_nv>& nv = r.rendered ? r.nv : t.nv;
  const bool has_body = r.rendered ? !r.body.empty() : !t.source->body.empty();
  const int32_t id = nghttp2_submit_request(c.session, nullptr, nv.data(), nv.size(),
                                            has_body ? &body : nullptr, &r);
  if (id < 0) {
    // Stream ids used up (2^30 streams): a fresh connection takes over.
    Retire(c);
    CloseIfDone(c);
    Dispatch(req);
    return;
  }
  r.state = Request::State::kActive;
  r.conn = c.index;
  r.stream = id;
  if (!c.used) {  // its phases are this request's
    c.used = true;
    r.opened = c.index;
    r.opened_generation = c.generation;
  }
  ++c.active;
  MarkDirty(c);
}

void Http2Driver::Enqueue(uint32_t req, bool front) {
  Request& r = *requests_[req];
  r.state = Request::State::kQueued;
  if (front) {
    r.qprev = kNone;
    r.qnext = queue_head_;
    if (queue_head_ != kNone) requests_[queue_head_]->qprev = req;
    queue_head_ = req;
    if (queue_tail_ == kNone) queue_tail_ = req;
  } else {
    r.qnext = kNone;
    r.qprev = queue_tail_;
    if (queue_tail_ != kNone) requests_[queue_tail_]->qnext = req;
    queue_tail_ = req;
    if (queue_head_ == kNone) queue_head_ = req;
  }
  ++queued_;
}

void Http2Driver::Dequeue(uint32_t req) {
  Request& r = *requests_[req];
  (r.qprev != kNone ? requests_[r.qprev]->qnext : queue_head_) = r.qnext;
  (r.qnext != kNone ? requests_[r.qnext]->qprev : queue_tail_) = r.qprev;
  r.qprev = r.qnext = kNone;
  r.state = Request::State::kFree;
  --queued_;
}

void Http2Driver::PumpQueue() {
  while (queue_head_ != kNone) {
    const uint32_t req = queue_head_;
    Dequeue(req);
    if (!TrySubmit(req)) {
      Enqueue(req, /*front=*/true);
      return;
    }
  }
}

ErrorReason Http2Driver::OpenConnection(size_t slot) {
  if (address_size_ == 0) return ErrorReason::kDns;
  const int fd = socket(address_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        IPPROTO_TCP);
  if (fd < 0) return ConnectReason(errno);
  ++opened_;
  const int64_t connect_start_ns = clock_.NowNs();
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int rc = connect(fd, reinterpret_cast<const sockaddr*>(&address_), address_size_);
  if (rc != 0 && errno != EINPROGRESS) {
    const int error = errno;
    close(fd);
    return ConnectReason(error);
  }
  uint32_t index;
  if (!free_connections_.empty()) {
    index = free_connections_.back();
    free_connections_.pop_back();
  } else {
    index = static_cast<uint32_t>(connections_.size());
    connections_.push_back(std::make_unique<Connection>());
    connections_.back()->index = index;
    connections_.back()->driver = this;
    connections_.back()->out.reserve(kSendBatch + 32 * 1024);
  }
  Connection& c = *connections_[index];
  c.fd = fd;
  // Connected at once or not, Poll() carries on from the first EPOLLOUT.
  c.connecting = true;
  c.handshaking = false;
  c.handshake_write = false;
  c.used = false;
  c.connect_start_ns = connect_start_ns;
  c.connected_ns = 0;
  c.handshaken_ns = 0;
  c.transport.reset();
  c.goaway = false;
  c.last_stream_id = 0;
  c.active = 0;
  c.slot = slot;
  c.out.clear();
  c.out_done = 0;
  slots_[slot] = index;
  nghttp2_option* option = nullptr;
  nghttp2_option_new(&option);
  // Until the server's SETTINGS arrive, assume it takes what we ask for.
  nghttp2_option_set_peer_max_concurrent_streams(option, static_cast<uint32_t>(max_streams_));
  nghttp2_session_client_new2(&c.session, SharedCallbacks(keeps_), &c, option);
  nghttp2_option_del(option);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kStreamWindow)},
  };
  nghttp2_submit_settings(c.session, NGHTTP2_FLAG_NONE, settings, 2);
  nghttp2_session_set_local_window_size(c.session, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
  c.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
  epoll_event ev{};
  ev.events = c.events;
  ev.data.u64 = Tag(c.index, c.generation);
  epoll_ctl(poller_.fd(), EPOLL_CTL_ADD, fd, &ev);
  return ErrorReason::kNone;
}

void Http2Driver::OnConnected(Connection& c) {
  c.connecting = false;
  c.connected_ns = clock_.NowNs();
  if (!tls_) {
    c.transport = std::make_unique<PlainTransport>(c.fd);
    MarkDirty(c);
    return;
  }
  if (!c.tls.Open(*tls_, c.fd, host_, 0).ok()) {
    Kill(c, Outcome::kConnectError, ErrorReason::kTlsHandshake);
    return;
  }
  c.handshaking = true;
  Handshake(c);
}

void Http2Driver::Handshake(Connection& c) {
  const TlsIo step = c.tls.Handshake();
  switch (step) {
    case TlsIo::kDone:
      c.handshaken_ns = clock_.NowNs();
      c.handshaking = false;
      c.handshake_write = false;
      if (c.tls.alpn() != "h2") {
        Kill(c, Outcome::kConnectError, ErrorReason::kTlsNoH2);
        return;
      }
      c.transport = std::make_unique<TlsTransport>(c.tls);
      MarkDirty(c);
      return;
    case TlsIo::kWantRead:
    case TlsIo::kWantWrite:
      c.handshake_write = step == TlsIo::kWantWrite;
      break;
    default: {
      const ErrorReason reason =
          c.tls.failure() == ErrorReason::kNone ? ErrorReason::kTlsHandshake : c.tls.failure();
      Kill(c, Outcome::kConnectError, reason);
      return;
    }
  }
  SetEvents(c);
}

void Http2Driver::MarkDirty(Connection& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.push_back(c.index);
}

void Http2Driver::FlushDirty() {
  // Flushing may end streams, which never marks another connection dirty.
  for (size_t i = 0; i < dirty_.size(); ++i) {
    Connection& c = *connections_[dirty_[i]];
    c.dirty = false;
    if (c.fd >= 0) Flush(c);
  }
  dirty_.clear();
}

void Http2Driver::SetEvents(Connection& c) {
  const bool want_write =
      c.connecting || (c.handshaking ? c.handshake_write
                                     : c.out_done < c.out.size() ||
                                           (c.transport && c.transport->WantsWrite()));
  const uint32_t events = EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0u);
  if (events == c.events) return;
  c.events = events;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = Tag(c.index, c.generation);
  epoll_ctl(poller_.fd(), EPOLL_CTL_MOD, c.fd, &ev);
}

void Http2Driver::Flush(Connection& c) {
  if (c.transport == nullptr) return;  // connecting or handshaking
  while (true) {
    if (c.out_done == c.out.size()) {
      c.out.clear();
      c.out_done = 0;
      while (c.out.size() < kSendBatch) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(c.session, &data);
        if (n < 0) {
          Kill(c, Outcome::kOther, ErrorReason::kH2Protocol);
          return;
        }
        if (n == 0) break;
        c.out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      }
      if (c.out.empty()) break;
    }
    const ssize_t n = c.transport->Write(c.out.data() + c.out_done, c.out.size() - c.out_done);
    if (n > 0) {
      c.out_done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Kill(c, Outcome::kOther, IoReason(n < 0 ? errno : 0, true));
    return;
  }
  SetEvents(c);
  CloseIfDone(c);
}

void Http2Driver::OnReadable(Connection& c) {
  while (true) {
    const ssize_t n = c.transport->Read(buffer_.get(), kReadBufferSize);
    if (n > 0) {
      const ssize_t used = nghttp2_session_mem_recv(
          c.session, reinterpret_cast<const uint8_t*>(buffer_.get()), static_cast<size_t>(n));
      if (used < 0) {
        Kill(c, Outcome::kOther, ErrorReason::kH2Protocol);
        return;
      }
      if (static_cast<size_t>(n) < kReadBufferSize && c.transport->ShortReadDrains()) break;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Kill(c, Outcome::kOther, n == 0 ? ErrorReason::kClosed : IoReason(errno, false));
    return;
  }
  MarkDirty(c);  // SETTINGS acks, WINDOW_UPDATEs, frames waiting for a window
}

void Http2Driver::Retire(Connection& c) {
  if (c.slot == kNoSlot) return;
  slots_[c.slot] = kNone;
  c.slot = kNoSlot;
}

void Http2Driver::CloseIfDone(Connection& c) {
  if (c.fd < 0) return;
  const bool idle_retired = c.slot == kNoSlot && c.active == 0 && c.out_done == c.out.size();
  if (idle_retired || (!nghttp2_session_want_read(c.session) &&
                       !nghttp2_session_want_write(c.session))) {
    Kill(c, Outcome::kOther, ErrorReason::kH2Protocol);
  }
}

void Http2Driver::Kill(Connection& c, Outcome outcome, ErrorReason reason) {
  if (c.active > 0) {
    for (auto& r : requests_) {
      if (r->state != Request::State::kActive || r->conn != c.index) continue;
      // After a GOAWAY, what the server did not take goes again.
      const bool unprocessed = c.goaway && (r->stream > c.last_stream_id || r->sent == 0);
      Detach(*r);
      if (!unprocessed || !RetryAfterGoAway(r->index)) {
        Finish(r->index, outcome, 0, unprocessed ? ErrorReason::kH2GoAway : reason);
      }
    }
  }
  Retire(c);
  if (c.session != nullptr) nghttp2_session_del(c.session);
  c.session = nullptr;
  c.transport.reset();
  c.tls.Close();
  close(c.fd);  // leaves the epoll set with it
  c.fd = -1;
  ++c.generation;
  c.transport.reset();
  c.out.clear();
  c.out_done = 0;
  c.active = 0;
  c.connecting = false;
  c.handshaking = false;
  free_connections_.push_back(c.index);
}

Http2Driver::Request* Http2Driver::Find(Connection& c, int32_t stream_id) {
  auto* r = static_cast<Request*>(nghttp2_session_get_stream_user_data(c.session, stream_id));
  if (r == nullptr || r->state != Request::State::kActive || r->conn != c.index ||
      r->stream != stream_id) {
    return nullptr;  // abandoned (timed out) and maybe reused since
  }
  return r;
}

void Http2Driver::OnStreamClose(Connection& c, int32_t stream_id, uint32_t error_code) {
  Request* r = Find(c, stream_id);
  if (r == nullptr) return;
  Detach(*r);
  const Template& t = templates_[r->tpl];
  if (r->reset) {
    Finish(r->index, Outcome::kOther, r->status, ResetReason(r->reset_code));
  } else if (error_code == NGHTTP2_NO_ERROR && r->status != 0) {
    Finish(r->index, t.source->Succeeded(r->status) ? Outcome::kOk : Outcome::kHttpError,
           r->status, ErrorReason::kNone);
  } else if (c.goaway && stream_id > c.last_stream_id) {
    if (!RetryAfterGoAway(r->index)) {
      Finish(r->index, Outcome::kOther, 0, ErrorReason::kH2GoAway);
    }
  } else {
    Finish(r->index, Outcome::kOther, r->status, ErrorReason::kH2Protocol);
  }
}

void Http2Driver::Detach(Request& r) {
  if (r.state != Request::State::kActive) return;
  if (r.conn != kNone) --connections_[r.conn]->active;
  r.conn = kNone;
  r.state = Request::State::kFree;
}

bool Http2Driver::RetryAfterGoAway(uint32_t req) {
  Request& r = *requests_[req];
  if (r.retried) return false;
  r.retried = true;
  ++retries_;
  Enqueue(req, /*front=*/true);  // sent from PumpQueue, outside nghttp2's callbacks
  return true;
}

void Http2Driver::Link(uint32_t req) {
  Request& r = *requests_[req];
  Template& t = templates_[r.tpl];
  r.prev = t.last;
  r.next = kNone;
  (t.last != kNone ? requests_[t.last]->next : t.first) = req;
  t.last = req;
}

void Http2Driver::Unlink(uint32_t req) {
  Request& r = *requests_[req];
  Template& t = templates_[r.tpl];
  (r.prev != kNone ? requests_[r.prev]->next : t.first) = r.next;
  (r.next != kNone ? requests_[r.next]->prev : t.last) = r.prev;
  r.prev = r.next = kNone;
}

void Http2Driver::Finish(uint32_t req, Outcome outcome, int status, ErrorReason reason) {
  Request& r = *requests_[req];
  if (r.state == Request::State::kQueued) Dequeue(req);
  Detach(r);
  Unlink(req);
  HttpResult result;
  result.token = r.token;
  result.outcome = outcome;
  result.status = status;
  result.bytes_sent = r.sent;
  result.bytes_received = r.received;
  result.reason = reason;
  if (r.opened != kNone) {
    const Connection& c = *connections_[r.opened];
    if (c.generation == r.opened_generation && c.connected_ns != 0) {
      result.connect_ns = c.connected_ns - c.connect_start_ns;
      if (c.handshaken_ns != 0) result.tls_ns = c.handshaken_ns - c.connected_ns;
    }
  }
  if (r.first_byte_ns != 0) result.ttfb_ns = r.first_byte_ns - r.start_ns;
  if (r.kept != nullptr) {
    r.kept->Show(result);
    done_kept_.push_back(r.kept);
    r.kept = nullptr;
  }
  done_.push_back(result);
  r.state = Request::State::kFree;
  free_requests_.push_back(req);
}

void Http2Driver::ExpireDeadlines(int64_t now) {
  for (Template& t : templates_) {
    while (t.first != kNone && requests_[t.first]->deadline_ns <= now) {
      Request& r = *requests_[t.first];
      if (r.state == Request::State::kActive) {
        Connection& c = *connections_[r.conn];
        nghttp2_submit_rst_stream(c.session, NGHTTP2_FLAG_NONE, r.stream, NGHTTP2_CANCEL);
        MarkDirty(c);
      }
      Finish(t.first, Outcome::kTimeout, 0, ErrorReason::kTimeout);
    }
  }
}

void Http2Driver::Poll(int64_t timeout_ns,
                       absl::FunctionRef<void(const HttpResult&)> on_done) {
  FlushDirty();  // what Start() submitted since the last Poll, one send each
  const int64_t now = clock_.NowNs();
  int64_t wait = done_.empty() ? std::max<int64_t>(timeout_ns, 0) : 0;
  for (const Template& t : templates_) {
    if (t.first != kNone) {
      wait = std::min(wait, std::max<int64_t>(requests_[t.first]->deadline_ns - now, 0));
    }
  }
  epoll_event events[64];
  const int n = poller_.Wait(events, 64, wait);
  for (int i = 0; i < n; ++i) {
    const uint64_t tag = events[i].data.u64;
    const uint32_t index = static_cast<uint32_t>(tag);
    const uint32_t generation = static_cast<uint32_t>(tag >> 32);
    if (index >= connections_.size()) continue;
    Connection& c = *connections_[index];
    if (c.generation != generation || c.fd < 0) continue;  // closed since
    const uint32_t what = events[i].events;
    if (c.connecting) {
      if ((what & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) continue;
      int error = 0;
      socklen_t size = sizeof error;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) {
        Kill(c, Outcome::kConnectError, ConnectReason(error));
        continue;
      }
      OnConnected(c);
      continue;
    }
    if (c.handshaking) {
      Handshake(c);
      continue;
    }
    if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) OnReadable(c);
    if (c.fd >= 0 && c.generation == generation && (what & EPOLLOUT)) MarkDirty(c);
  }
  PumpQueue();
  ExpireDeadlines(clock_.NowNs());
  FlushDirty();
  if (done_.empty()) return;
  delivering_.swap(done_);
  delivering_kept_.swap(done_kept_);
  for (const HttpResult& r : delivering_) {
    --in_flight_;
    on_done(r);
  }
  delivering_.clear();
  ReleaseKept();
}

void Http2Driver::ReleaseKept() {
  for (KeptResponse* kept : delivering_kept_) kept_pool_.Release(kept);
  delivering_kept_.clear();
}

void Http2Driver::CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) {
  for (Template& t : templates_) {
    while (t.first != kNone) Finish(t.first, Outcome::kAborted, 0, ErrorReason::kAborted);
  }
  for (auto& c : connections_) {
    if (c->fd >= 0) Kill(*c, Outcome::kAborted, ErrorReason::kAborted);
  }
  delivering_.swap(done_);
  delivering_kept_.swap(done_kept_);
  for (const HttpResult& r : delivering_) on_done(r);
  delivering_.clear();
  ReleaseKept();
  in_flight_ = 0;
}

void Http2Driver::Wakeup() { poller_.Wake(); }

}  // namespace barrage
