// Copyright 2026 The Barrage Authors.
//
// Transport: the byte stream under one native-engine connection, so the
// HTTP/2 driver's framing does not care whether bytes go through the kernel
// as they are (PlainTransport, h2c) or through TLS. The driver owns the
// socket's epoll registration; the transport says which readiness it waits
// for after a call would block (TLS may need to write to read).
//
// Thread safety: one owner thread, like the driver that owns it.
#ifndef BARRAGE_AGENT_HTTP_TRANSPORT_H_
#define BARRAGE_AGENT_HTTP_TRANSPORT_H_

#include <sys/types.h>

#include <cstddef>

namespace barrage {

class Transport {
 public:
  virtual ~Transport() = default;

  // Like recv() and send(): the bytes moved (> 0), 0 when the peer closed
  // (Read only), or -1 with errno set; EAGAIN means "call again when the
  // socket is ready for WantsRead()/WantsWrite()". Never blocks.
  virtual ssize_t Read(char* data, size_t size) = 0;
  virtual ssize_t Write(const char* data, size_t size) = 0;

  // What the last call that would block waits for.
  virtual bool WantsRead() const = 0;
  virtual bool WantsWrite() const = 0;

  // Whether a Read that moved fewer bytes than asked means nothing more is
  // waiting now (true for a socket; false for TLS, which reads a record at
  // a time): the driver stops reading there, else reads until EAGAIN.
  virtual bool ShortReadDrains() const { return true; }
};

// Cleartext: recv()/send() on a connected non-blocking socket `fd`
// (borrowed: the driver closes it).
class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}
  ssize_t Read(char* data, size_t size) override;
  ssize_t Write(const char* data, size_t size) override;
  bool WantsRead() const override { return true; }
  bool WantsWrite() const override { return blocked_on_write_; }

 private:
  int fd_;
  bool blocked_on_write_ = false;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_HTTP_TRANSPORT_H_
