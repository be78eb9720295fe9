// Copyright 2026 The Barrage Authors.

#include "agent/http/http1_driver.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "agent/http/error_reasons.h"
#include "agent/http/http1_request.h"
#include "common/util/clock.h"

namespace barrage {
namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

uint64_t Tag(uint32_t index, uint32_t generation) {
  return (uint64_t{generation} << 32) | index;
}

}  // namespace

bool Http1Driver::Supports(const std::vector<HttpRequestTemplate>& templates,
                           const HttpClientOptions& options) {
  if (options.http != HttpVersion::kHttp11 || templates.empty()) return false;
  return std::all_of(templates.begin(), templates.end(), [](const auto& t) {
    return ParseHttpUrl(t.url).ok() && IsSendableAsWritten(t);
  });
}

absl::StatusOr<std::unique_ptr<Http1Driver>> Http1Driver::Create(
    std::vector<HttpRequestTemplate> templates, HttpClientOptions options, Clock& clock) {
  if (!Supports(templates, options)) {
    return absl::InvalidArgumentError(
        "the native HTTP/1.1 driver takes only http:// and https:// requests over HTTP/1.1");
  }
  std::unique_ptr<Http1Driver> driver(
      new Http1Driver(std::move(templates), std::move(options), clock));
  if (absl::Status s = driver->Init(); !s.ok()) return s;
  return driver;
}

Http1Driver::Http1Driver(std::vector<HttpRequestTemplate> templates,
                         HttpClientOptions options, Clock& clock)
    : sources_(std::move(templates)), options_(std::move(options)), clock_(clock) {}

absl::Status Http1Driver::Init() {
  if (absl::Status s = poller_.Init(); !s.ok()) return s;
  std::vector<std::string> authorities;
  for (const HttpRequestTemplate& source : sources_) {
    absl::StatusOr<HttpUrl> url = ParseHttpUrl(source.url);
    if (!url.ok()) return url.status();  // Supports() checked it
    Template t;
    t.wire = BuildHttp1Request(source, *url);
    t.url = *url;
    t.head = source.method == "HEAD";
    t.keep = source.keep_response;
    t.timeout_ns = source.timeout > absl::ZeroDuration()
                       ? absl::ToInt64Nanoseconds(source.timeout)
                       : kNoDeadline;
    t.source = &source;
    const auto known = std::find(authorities.begin(), authorities.end(), url->authority);
    t.origin = static_cast<size_t>(known - authorities.begin());
    if (known == authorities.end()) {
      authorities.push_back(url->authority);
      Origin origin;
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      hints.ai_flags = AI_NUMERICSERV;
      addrinfo* found = nullptr;
      // A name that does not resolve makes every request a connect_error,
      // as with libcurl; it is not an error of the driver.
      if (getaddrinfo(url->host.c_str(), url->port.c_str(), &hints, &found) == 0) {
        for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
          Address address;
          std::memcpy(&address.storage, a->ai_addr, a->ai_addrlen);
          address.size = a->ai_addrlen;
          origin.addresses.push_back(address);
        }
        freeaddrinfo(found);
      }
      origin.idle.reserve(options_.max_in_flight);
      origin.tls = url->tls;
      origin.host = url->host;
      origins_.push_back(std::move(origin));
    }
    templates_.push_back(std::move(t));
  }
  if (std::any_of(origins_.begin(), origins_.end(), [](const Origin& o) { return o.tls; })) {
    absl::StatusOr<std::unique_ptr<TlsContext>> context =
        TlsContext::Create(TlsConfigFor(options_, {"http/1.1"}));
    if (!context.ok()) return context.status();
    tls_ = *std::move(context);
  }
  done_.reserve(options_.max_in_flight + 1);
  delivering_.reserve(options_.max_in_flight + 1);
  done_kept_.reserve(options_.max_in_flight + 1);
  delivering_kept_.reserve(options_.max_in_flight + 1);
  connections_.reserve(options_.max_in_flight);
  free_connections_.reserve(options_.max_in_flight);
  buffer_ = std::make_unique<char[]>(kReadBufferSize);
  return absl::OkStatus();
}

Http1Driver::~Http1Driver() {
  for (auto& c : connections_) {
    c->tls.Close();
    if (c->fd >= 0) close(c->fd);
  }
}

uint32_t Http1Driver::NewConnection(size_t origin) {
  uint32_t index;
  if (!free_connections_.empty()) {
    index = free_connections_.back();
    free_connections_.pop_back();
  } else {
    index = static_cast<uint32_t>(connections_.size());
    connections_.push_back(std::make_unique<Connection>());
    connections_.back()->index = index;
  }
  connections_[index]->origin = origin;
  connections_[index]->attempts = 0;
  return index;
}

Http1Driver::ConnectStep Http1Driver::Connect(Connection& c) {
  Origin& origin = origins_[c.origin];
  while (c.attempts < origin.addresses.size()) {
    const Address& address = origin.addresses[origin.current];
    ++c.attempts;
    const int fd = socket(address.storage.ss_family,
                          SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
      c.connect_errno = errno;
      return ConnectStep::kFailed;
    }
    ++opened_;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int rc = connect(fd, reinterpret_cast<const sockaddr*>(&address.storage),
                           address.size);
    if (rc != 0 && errno != EINPROGRESS) {
      c.connect_errno = errno;
      close(fd);
      origin.current = (origin.current + 1) % origin.addresses.size();
      continue;
    }
    c.fd = fd;
    c.phase = Phase::kConnecting;
    c.want_write = rc != 0;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (c.want_write ? EPOLLOUT : 0u);
    ev.data.u64 = Tag(c.index, c.generation);
    epoll_ctl(poller_.fd(), EPOLL_CTL_ADD, fd, &ev);
    return rc == 0 ? ConnectStep::kConnected : ConnectStep::kPending;
  }
  return ConnectStep::kFailed;
}

void Http1Driver::Open(uint32_t index) {
  Connection& c = *connections_[index];
  c.fresh = true;
  c.connect_start_ns = clock_.NowNs();
  switch (Connect(c)) {
    case ConnectStep::kFailed:
      Finish(index, Outcome::kConnectError, 0, false, ConnectFailure(c));
      return;
    case ConnectStep::kPending:
      return;
    case ConnectStep::kConnected:
      OnConnected(index);
      return;
  }
}

void Http1Driver::OnConnected(uint32_t index) {
  Connection& c = *connections_[index];
  c.connected_ns = clock_.NowNs();
  const Origin& origin = origins_[c.origin];
  if (!origin.tls) {
    c.phase = Phase::kSending;
    Send(index);
    return;
  }
  if (!c.tls.Open(*tls_, c.fd, origin.host, c.origin).ok()) {
    Finish(index, Outcome::kConnectError, 0, false, ErrorReason::kTlsHandshake);
    return;
  }
  c.phase = Phase::kHandshaking;
  Handshake(index);
}

void Http1Driver::Handshake(uint32_t index) {
  Connection& c = *connections_[index];
  switch (c.tls.Handshake()) {
    case TlsIo::kDone:
      c.handshaken_ns = clock_.NowNs();
      c.phase = Phase::kSending;
      Send(index);
      return;
    case TlsIo::kWantRead:
      SetWantWrite(c, false);
      return;
    case TlsIo::kWantWrite:
      SetWantWrite(c, true);
      return;
    default: {
      const ErrorReason reason =
          c.tls.failure() == ErrorReason::kNone ? ErrorReason::kTlsHandshake : c.tls.failure();
      Finish(index, Outcome::kConnectError, 0, false, reason);
      return;
    }
  }
}

ssize_t Http1Driver::Receive(Connection& c) {
  if (!c.tls.open()) return recv(c.fd, buffer_.get(), kReadBufferSize, 0);
  const TlsTransfer t = c.tls.Read(buffer_.get(), kReadBufferSize);
  switch (t.io) {
    case TlsIo::kDone: return static_cast<ssize_t>(t.bytes);
    case TlsIo::kClosed: return 0;
    case TlsIo::kWantRead:
    case TlsIo::kWantWrite:  // renegotiation: unused by TLS 1.3, refused by us
      errno = EAGAIN;
      return -1;
    case TlsIo::kError: break;
  }
  if (errno == 0 || errno == EAGAIN) errno = EPROTO;
  return -1;
}

void Http1Driver::Close(Connection& c) {
  c.tls.Close();
  if (c.fd >= 0) close(c.fd);  // leaves the epoll set with it
  c.fd = -1;
  ++c.generation;
  c.phase = Phase::kClosed;
  c.want_write = false;
  c.reused = false;
}

void Http1Driver::SetWantWrite(Connection& c, bool want) {
  if (c.want_write == want) return;
  c.want_write = want;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u);
  ev.data.u64 = Tag(c.index, c.generation);
  epoll_ctl(poller_.fd(), EPOLL_CTL_MOD, c.fd, &ev);
}

void Http1Driver::Link(uint32_t index) {
  Connection& c = *connections_[index];
  Template& t = templates_[c.tpl];
  c.prev = t.last;
  c.next = kNone;
  if (t.last != kNone) {
    connections_[t.last]->next = index;
  } else {
    t.first = index;
  }
  t.last = index;
}

void Http1Driver::Unlink(uint32_t index) {
  Connection& c = *connections_[index];
  Template& t = templates_[c.tpl];
  if (c.prev != kNone) {
    connections_[c.prev]->next = c.next;
  } else {
    t.first = c.next;
  }
  if (c.next != kNone) {
    connections_[c.next]->prev = c.prev;
  } else {
    t.last = c.prev;
  }
  c.prev = c.next = kNone;
}

void Http1Driver::Start(size_t template_index, uint64_t token) {
  Begin(template_index, nullptr, token);
}

void Http1Driver::StartWith(size_t template_index, const RequestParts& parts, uint64_t token) {
  Begin(template_index, &parts, token);
}

void Http1Driver::Begin(size_t template_index, const RequestParts* parts, uint64_t token) {
  ++in_flight_;
  const Template& t = templates_[template_index];
  Origin& origin = origins_[t.origin];
  uint32_t index;
  if (!origin.idle.empty()) {
    index = origin.idle.back();
    origin.idle.pop_back();
  } else {
    index = NewConnection(t.origin);
  }
  Connection& c = *connections_[index];
  c.tpl = template_index;
  c.token = token;
  const int64_t now = clock_.NowNs();
  c.deadline_ns = t.timeout_ns == kNoDeadline ? kNoDeadline : now + t.timeout_ns;
  c.start_ns = now;
  c.first_byte_ns = 0;
  c.fresh = false;
  c.sent = 0;
  c.received = 0;
  c.retried = false;
  if (parts == nullptr) {
    c.wire = &t.wire;
  } else {
    RenderHttp1Request(*t.source, t.url, *parts, c.rendered);
    c.wire = &c.rendered;
  }
  c.kept = t.keep ? kept_pool_.Acquire() : nullptr;
  c.parser.Reset(t.head, c.kept);
  Link(index);
  if (c.phase == Phase::kIdle) {
    c.phase = Phase::kSending;
    Send(index);
    return;
  }
  Open(index);
}

ErrorReason Http1Driver::ConnectFailure(const Connection& c) const {
  if (origins_[c.origin].addresses.empty()) return ErrorReason::kDns;
  return ConnectReason(c.connect_errno);
}

void Http1Driver::Send(uint32_t index) {
  Connection& c = *connections_[index];
  const std::string& wire = *c.wire;
  while (c.sent < wire.size()) {
    ssize_t n;
    if (c.tls.open()) {
      const TlsTransfer t = c.tls.Write(wire.data() + c.sent, wire.size() - c.sent);
      n = t.io == TlsIo::kDone ? static_cast<ssize_t>(t.bytes) : t.io == TlsIo::kClosed ? 0 : -1;
      if (t.io == TlsIo::kWantRead || t.io == TlsIo::kWantWrite) errno = EAGAIN;
    } else {
      n = send(c.fd, wire.data() + c.sent, wire.size() - c.sent, MSG_NOSIGNAL);
    }
    if (n > 0) {
      c.sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      SetWantWrite(c, true);
      return;
    }
    const int error = n < 0 ? errno : 0;
    if (!Retry(index)) Finish(index, Outcome::kOther, 0, false, IoReason(error, true));
    return;
  }
  SetWantWrite(c, false);
  c.phase = Phase::kReceiving;
}

void Http1Driver::OnWritable(uint32_t index) {
  Connection& c = *connections_[index];
  if (c.phase == Phase::kHandshaking) {
    Handshake(index);
    return;
  }
  if (c.phase == Phase::kConnecting) {
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      // Refused or unreachable: the next address, if the name has one.
      c.connect_errno = error;
      Origin& origin = origins_[c.origin];
      Close(c);
      if (!origin.addresses.empty()) {
        origin.current = (origin.current + 1) % origin.addresses.size();
      }
      switch (Connect(c)) {
        case ConnectStep::kFailed:
          Finish(index, Outcome::kConnectError, 0, false, ConnectFailure(c));
          return;
        case ConnectStep::kPending:
          return;
        case ConnectStep::kConnected:
          break;
      }
    }
    OnConnected(index);
    return;
  }
  if (c.phase == Phase::kSending) Send(index);
}

void Http1Driver::OnReadable(uint32_t index) {
  Connection& c = *connections_[index];
  if (c.phase == Phase::kIdle) {
    // An idle connection has nothing to say: the server closed it (or sent
    // something unasked). It leaves the pool. Over TLS, records that carry
    // no data (a late session ticket) leave it be.
    if (c.tls.open()) {
      TlsTransfer t;
      do {
        t = c.tls.Read(buffer_.get(), kReadBufferSize);
      } while (t.io == TlsIo::kWantRead && c.tls.pending());
      if (t.io == TlsIo::kWantRead) return;
    }
    std::vector<uint32_t>& idle = origins_[c.origin].idle;
    const auto it = std::find(idle.begin(), idle.end(), index);
    if (it != idle.end()) idle.erase(it);
    Close(c);
    free_connections_.push_back(index);
    return;
  }
  if (c.phase == Phase::kConnecting || c.phase == Phase::kHandshaking) {
    OnWritable(index);
    return;
  }
  const Template& t = templates_[c.tpl];
  while (true) {
    const ssize_t n = Receive(c);
    if (n > 0) {
      if (c.first_byte_ns == 0) c.first_byte_ns = clock_.NowNs();
      size_t used = 0;
      const Http1ResponseParser::Result r =
          c.parser.Feed(buffer_.get(), static_cast<size_t>(n), &used);
      c.received += used;
      if (r == Http1ResponseParser::Result::kComplete) {
        // Bytes past the response, or a request not yet all sent, leave the
        // connection in a state no next request can trust.
        const bool reusable = c.parser.keep_alive() && used == static_cast<size_t>(n) &&
                              c.phase == Phase::kReceiving;
        const int status = c.parser.status();
        Finish(index, t.source->Succeeded(status) ? Outcome::kOk : Outcome::kHttpError,
               status, reusable);
        return;
      }
      if (r == Http1ResponseParser::Result::kError) {
        Finish(index, Outcome::kOther, c.parser.status(), false, ErrorReason::kBadResponse);
        return;
      }
      // The rest later (epoll is level-triggered), unless TLS holds it.
      if (c.tls.open() ? !c.tls.pending() : static_cast<size_t>(n) < kReadBufferSize) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    // The peer closed (n == 0) or reset the connection.
    if (n == 0 && c.parser.FinishAtEof() == Http1ResponseParser::Result::kComplete) {
      const int status = c.parser.status();
      Finish(index, t.source->Succeeded(status) ? Outcome::kOk : Outcome::kHttpError,
             status, false);
      return;
    }
    const ErrorReason reason = n == 0 ? ErrorReason::kClosed : IoReason(errno, false);
    if (!c.parser.started() && Retry(index)) return;
    Finish(index, Outcome::kOther, c.parser.status(), false, reason);
    return;
  }
}

bool Http1Driver::Retry(uint32_t index) {
  Connection& c = *connections_[index];
  if (!c.reused || c.retried) return false;
  Close(c);
  c.retried = true;
  c.attempts = 0;
  c.sent = 0;
  c.received = 0;
  c.first_byte_ns = 0;
  if (c.kept != nullptr) c.kept->Clear();
  c.parser.Reset(templates_[c.tpl].head, c.kept);
  Open(index);
  return true;
}

void Http1Driver::Finish(uint32_t index, Outcome outcome, int status, bool reusable,
                         ErrorReason reason) {
  Connection& c = *connections_[index];
  Unlink(index);
  HttpResult r;
  r.token = c.token;
  r.outcome = outcome;
  r.status = status;
  r.bytes_sent = c.sent;
  r.bytes_received = c.received;
  r.reason = reason;
  if (c.fresh) {
    if (c.connected_ns >= c.connect_start_ns && c.phase > Phase::kConnecting) {
      r.connect_ns = c.connected_ns - c.connect_start_ns;
    }
    if (c.tls.open() && c.phase > Phase::kHandshaking) {
      r.tls_ns = c.handshaken_ns - c.connected_ns;
    }
  }
  if (c.first_byte_ns != 0) r.ttfb_ns = c.first_byte_ns - c.start_ns;
  if (c.kept != nullptr) {
    c.kept->Show(r);
    done_kept_.push_back(c.kept);
    c.kept = nullptr;
    c.parser.Reset(templates_[c.tpl].head);  // it no longer feeds the kept one
  }
  done_.push_back(r);
  if (reusable) {
    c.phase = Phase::kIdle;
    c.reused = true;
    origins_[c.origin].idle.push_back(index);
  } else {
    Close(c);
    free_connections_.push_back(index);
  }
}

void Http1Driver::ExpireDeadlines(int64_t now) {
  for (Template& t : templates_) {
    while (t.first != kNone && connections_[t.first]->deadline_ns <= now) {
      Finish(t.first, Outcome::kTimeout, 0, false, ErrorReason::kTimeout);
    }
  }
}

void Http1Driver::Poll(int64_t timeout_ns,
                       absl::FunctionRef<void(const HttpResult&)> on_done) {
  int64_t now = clock_.NowNs();
  int64_t wait = done_.empty() ? std::max<int64_t>(timeout_ns, 0) : 0;
  for (const Template& t : templates_) {
    if (t.first != kNone) {
      wait = std::min(wait, std::max<int64_t>(connections_[t.first]->deadline_ns - now, 0));
    }
  }
  epoll_event events[64];
  const int n = poller_.Wait(events, 64, wait);
  for (int i = 0; i < n; ++i) {
    const uint64_t tag = events[i].data.u64;
    const uint32_t index = static_cast<uint32_t>(tag);
    const uint32_t generation = static_cast<uint32_t>(tag >> 32);
    auto current = [&] {
      return index < connections_.size() && connections_[index]->generation == generation &&
             connections_[index]->fd >= 0;
    };
    if (!current()) continue;  // closed since the wait returned
    const uint32_t what = events[i].events;
    const Phase phase = connections_[index]->phase;
    if ((phase == Phase::kConnecting || phase == Phase::kHandshaking ||
         phase == Phase::kSending) &&
        (what & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
      OnWritable(index);
    }
    if (current() && (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) &&
        connections_[index]->phase != Phase::kConnecting) {
      OnReadable(index);
    }
  }
  ExpireDeadlines(clock_.NowNs());
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

void Http1Driver::ReleaseKept() {
  for (KeptResponse* kept : delivering_kept_) kept_pool_.Release(kept);
  delivering_kept_.clear();
}

void Http1Driver::CancelAll(absl::FunctionRef<void(const HttpResult&)> on_done) {
  // Every request still in a template's list is in flight: it ends as
  // aborted, with what it had sent (the target may have served it).
  for (Template& t : templates_) {
    while (t.first != kNone) Finish(t.first, Outcome::kAborted, 0, false, ErrorReason::kAborted);
  }
  delivering_.swap(done_);
  delivering_kept_.swap(done_kept_);
  for (const HttpResult& r : delivering_) on_done(r);
  delivering_.clear();
  ReleaseKept();
  in_flight_ = 0;
}

void Http1Driver::Wakeup() { poller_.Wake(); }

}  // namespace barrage
