// Copyright 2026 The Barrage Authors.

#include "tests/support/h2_scripted_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace barrage::testing {

struct H2ScriptedServer::Stream {
  int32_t id = 0;
  Headers headers;
  std::string path;
  size_t body_in = 0;
  bool complete = false;   // the request ended
  bool answered = false;
  absl::Time due;
  std::string body_out;
  size_t body_out_done = 0;
};

struct H2ScriptedServer::Conn {
  H2ScriptedServer* server = nullptr;
  int fd = -1;
  bool first = false;         // the server's first connection
  nghttp2_session* session = nullptr;
  std::map<int32_t, Stream> streams;
  size_t open = 0;
  int requests = 0;
  bool counting = true;       // counts open streams toward max_open_
  bool lowered = false;
  int32_t goaway_last = -1;   // >= 0: GOAWAY sent
  std::string out;
  bool dead = false;
};

struct H2ServerCallbacks {
  using S = H2ScriptedServer;

  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& c = *static_cast<S::Conn*>(user);
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
      return 0;
    }
    c.streams[frame->hd.stream_id].id = frame->hd.stream_id;
    ++c.open;
    if (c.counting) {
      absl::MutexLock lock(&c.server->mu_);
      c.server->max_open_ = std::max(c.server->max_open_, c.open);
    }
    return 0;
  }

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                      void* user) {
    auto& c = *static_cast<S::Conn*>(user);
    auto it = c.streams.find(frame->hd.stream_id);
    if (it == c.streams.end()) return 0;
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":path") it->second.path = v;
    it->second.headers.emplace_back(std::move(n), std::move(v));
    return 0;
  }

  static int OnData(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t*, size_t len,
                    void* user) {
    auto& c = *static_cast<S::Conn*>(user);
    auto it = c.streams.find(stream_id);
    if (it != c.streams.end()) it->second.body_in += len;
    return 0;
  }

  static int OnFrameRecv(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    auto& c = *static_cast<S::Conn*>(user);
    const S::Options& o = c.server->options_;
    if (frame->hd.type == NGHTTP2_SETTINGS && (frame->hd.flags & NGHTTP2_FLAG_ACK) &&
        c.lowered) {
      c.counting = true;  // the client knows the lowered limit from here on
      return 0;
    }
    if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) {
      return 0;
    }
    auto it = c.streams.find(frame->hd.stream_id);
    if (it == c.streams.end()) return 0;
    S::Stream& s = it->second;
    s.complete = true;
    s.due = absl::Now() + o.delay;
    ++c.requests;
    c.server->Record(s.headers, s.body_in);
    if (o.lower_to > 0 && c.requests == 1) {
      const nghttp2_settings_entry lower = {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
                                            o.lower_to};
      nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, &lower, 1);
      c.lowered = true;
      c.counting = false;
    }
    if (o.goaway_after > 0 && c.first && c.requests == o.goaway_after) {
      c.goaway_last = s.id;
      nghttp2_submit_goaway(session, NGHTTP2_FLAG_NONE, s.id, NGHTTP2_NO_ERROR, nullptr, 0);
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user) {
    auto& c = *static_cast<S::Conn*>(user);
    if (c.streams.erase(stream_id) > 0) --c.open;
    return 0;
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                          uint32_t* flags, nghttp2_data_source* source, void*) {
    auto& s = *static_cast<S::Stream*>(source->ptr);
    const size_t n = std::min(length, s.body_out.size() - s.body_out_done);
    std::memcpy(buf, s.body_out.data() + s.body_out_done, n);
    s.body_out_done += n;
    if (s.body_out_done == s.body_out.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

H2ScriptedServer::~H2ScriptedServer() { Stop(); }

std::string H2ScriptedServer::url() const { return absl::StrCat("http://127.0.0.1:", port_); }

absl::Status H2ScriptedServer::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 128) != 0) {
    return absl::InternalError("cannot listen on loopback");
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void H2ScriptedServer::Stop() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  listen_fd_ = -1;
}

void H2ScriptedServer::Record(Headers headers, size_t body) {
  absl::MutexLock lock(&mu_);
  headers_.push_back(std::move(headers));
  bodies_.push_back(body);
}

int H2ScriptedServer::requests() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(headers_.size());
}

int H2ScriptedServer::answered() const {
  absl::MutexLock lock(&mu_);
  return answered_;
}

std::vector<H2ScriptedServer::Headers> H2ScriptedServer::request_headers() const {
  absl::MutexLock lock(&mu_);
  return headers_;
}

std::vector<size_t> H2ScriptedServer::request_body_sizes() const {
  absl::MutexLock lock(&mu_);
  return bodies_;
}

size_t H2ScriptedServer::max_open_streams() const {
  absl::MutexLock lock(&mu_);
  return max_open_;
}

void H2ScriptedServer::Loop() {
  nghttp2_session_callbacks* cbs = nullptr;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &H2ServerCallbacks::OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(cbs, &H2ServerCallbacks::OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &H2ServerCallbacks::OnData);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &H2ServerCallbacks::OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &H2ServerCallbacks::OnStreamClose);
  std::vector<std::unique_ptr<Conn>> conns;
  char buf[65536];
  while (!stopping_.load()) {
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}};
    for (auto& c : conns) {
      fds.push_back({c->fd, static_cast<short>(POLLIN | (c->out.empty() ? 0 : POLLOUT)), 0});
    }
    poll(fds.data(), fds.size(), 1);
    if (fds[0].revents & POLLIN) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Conn>();
        c->server = this;
        c->fd = fd;
        c->first = connections_.fetch_add(1) == 0;
        nghttp2_session_server_new(&c->session, cbs, c.get());
        const nghttp2_settings_entry iv = {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
                                           options_.max_concurrent_streams};
        nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, &iv, 1);
        conns.push_back(std::move(c));
      }
    }
    for (auto& c : conns) {
      while (!c->dead) {
        const ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n > 0) {
          if (nghttp2_session_mem_recv(c->session, reinterpret_cast<uint8_t*>(buf),
                                       static_cast<size_t>(n)) < 0) {
            c->dead = true;
          }
          continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        c->dead = true;
      }
      const absl::Time now = absl::Now();
      for (auto& [id, s] : c->streams) {
        if (!s.complete || s.answered || now < s.due) continue;
        if (c->goaway_last >= 0 && id > c->goaway_last) continue;  // not processed
        s.answered = true;
        if (s.path == "/reset") {
          nghttp2_submit_rst_stream(c->session, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
          continue;
        }
        s.body_out = s.path == "/big"    ? std::string(1 << 20, 'b')
                     : s.path == "/echo" ? absl::StrCat(s.body_in)
                                         : "ok";
        const std::string length = absl::StrCat(s.body_out.size());
        nghttp2_nv nv[] = {
            {const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(":status")),
             const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>("200")), 7, 3,
             NGHTTP2_NV_FLAG_NONE},
            {const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>("content-length")),
             reinterpret_cast<uint8_t*>(const_cast<char*>(length.data())), 14, length.size(),
             NGHTTP2_NV_FLAG_NONE},
        };
        nghttp2_data_provider body;
        body.source.ptr = &s;
        body.read_callback = &H2ServerCallbacks::ReadBody;
        const bool head = std::any_of(s.headers.begin(), s.headers.end(), [](const auto& h) {
          return h.first == ":method" && h.second == "HEAD";
        });
        nghttp2_submit_response(c->session, id, nv, 2, head ? nullptr : &body);
        absl::MutexLock lock(&mu_);
        ++answered_;
      }
      while (!c->dead && c->out.size() < (1 << 20)) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(c->session, &data);
        if (n < 0) c->dead = true;
        if (n <= 0) break;
        c->out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      }
      while (!c->dead && !c->out.empty()) {
        const ssize_t n = send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
        if (n > 0) {
          c->out.erase(0, static_cast<size_t>(n));
          continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        c->dead = true;
      }
      // After its GOAWAY, a connection closes once what it took is answered.
      if (c->goaway_last >= 0 && c->out.empty() &&
          std::none_of(c->streams.begin(), c->streams.end(), [&c](const auto& s) {
            return s.first <= c->goaway_last;
          })) {
        c->dead = true;
      }
    }
    for (auto& c : conns) {
      if (!c->dead) continue;
      nghttp2_session_del(c->session);
      close(c->fd);
      c->fd = -1;
    }
    conns.erase(std::remove_if(conns.begin(), conns.end(),
                               [](const auto& c) { return c->fd < 0; }),
                conns.end());
  }
  for (auto& c : conns) {
    nghttp2_session_del(c->session);
    close(c->fd);
  }
  nghttp2_session_callbacks_del(cbs);
}

}  // namespace barrage::testing
