// Copyright 2026 The Barrage Authors.
//
// How many requests an agent may hold in flight (--max-in-flight). Every
// request in flight holds a connection, and every connection a file
// descriptor, so the limit comes from the process's open-file limit
// (RLIMIT_NOFILE) less a reserve for the agent's own files and sockets
// (gRPC, /metrics, the poller, libraries): kFdReserve.
//
// RaiseFdLimit() is the one seam to the OS; the rest are pure functions, so
// tests feed them any limits. Call RaiseFdLimit once at start-up, before
// threads open files.
#ifndef BARRAGE_AGENT_DAEMON_IN_FLIGHT_LIMIT_H_
#define BARRAGE_AGENT_DAEMON_IN_FLIGHT_LIMIT_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace barrage {

// Descriptors kept back for everything but load connections.
inline constexpr int64_t kFdReserve = 64;
// The largest limit (the scenario's VU limit: one connection each).
inline constexpr int64_t kMaxInFlightCeiling = 1'000'000;
// The largest default (no --max-in-flight): where the hard file limit is
// about a million (common in containers) the engine would otherwise
// preallocate a slot table that size for every run; a higher limit is
// there for the asking.
inline constexpr int64_t kDefaultMaxInFlightCeiling = 65'536;

// RLIMIT_NOFILE, in descriptors; "unlimited" reads as INT64_MAX.
struct FdLimit {
  int64_t soft = 0;
  int64_t hard = 0;
};

// Raises the soft limit to the hard one where the kernel allows (for an
// unlimited hard limit, to fs.nr_open), and returns the limit that holds
// afterwards (unchanged when raising fails: that is not an error).
FdLimit RaiseFdLimit();

// The default limit: soft - kFdReserve, at least 1, at most the ceiling.
int64_t DefaultMaxInFlight(const FdLimit& fd);

// The agent's limit: the default for `requested` == 0, else `requested`,
// which must fit in the soft limit: InvalidArgument otherwise, saying what
// the limit allows ("--max-in-flight 5000 needs 5064 open files; this
// process may open 1024 (ulimit -n; hard limit 4096)"). `sharing` agents
// in one process (run --local) split the descriptors: each gets 1/sharing.
absl::StatusOr<int64_t> ResolveMaxInFlight(int64_t requested, const FdLimit& fd,
                                           int sharing = 1);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_IN_FLIGHT_LIMIT_H_
