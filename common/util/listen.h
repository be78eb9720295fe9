// Copyright 2026 The Barrage Authors.
//
// Listening sockets of the daemons (barrage-controller's gRPC and HTTP,
// barrage-agent's HTTP): a port another process holds is refused with a
// clear reason, never shared. gRPC and cpp-httplib both set SO_REUSEPORT
// by default, which lets a second process bind a busy port and take half
// its connections; the daemons turn that off and use these helpers to say
// why a listener failed.
//
// Thread safety: stateless functions, callable from any thread.
#ifndef BARRAGE_COMMON_UTIL_LISTEN_H_
#define BARRAGE_COMMON_UTIL_LISTEN_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace barrage {

// Socket options for a listener, set before bind: SO_REUSEADDR (a restarted
// daemon binds again while old connections are in TIME_WAIT), never
// SO_REUSEPORT. Meant for httplib::Server::set_socket_options.
void SetListenSocketOptions(int fd);

// The error for a listener on `host`:`port` that failed with errno `error`,
// "cannot listen on HOST:PORT: address already in use" (IPv6 bracketed).
// FailedPrecondition when the address itself is the problem (in use, not
// this host's, privileged): the user must pick another; Unavailable
// otherwise.
absl::Status ListenError(absl::string_view host, int port, int error);

// Binds and listens on `host`:`port` as the daemons' listeners do (first
// address `host` resolves to), then closes the socket: OK, or ListenError.
// For finding out why a library's listener (gRPC, httplib) failed, since
// they do not say.
absl::Status ProbeListen(absl::string_view host, int port);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_LISTEN_H_
