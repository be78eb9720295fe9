// Copyright 2026 The Barrage Authors.
//
// The outcome classes of one request. A failed request is a measurement,
// not an error: each outcome is its own series, counted and timed.
#ifndef BARRAGE_COMMON_STATS_OUTCOME_H_
#define BARRAGE_COMMON_STATS_OUTCOME_H_

#include <cstddef>
#include <cstdint>

namespace barrage {

enum class Outcome : uint8_t {
  kOk = 0,            // status matched `expect` (default 2xx/3xx)
  kHttpError = 1,     // a response with an unexpected status
  kTimeout = 2,       // no complete response within the timeout
  kConnectError = 3,  // refused, unreachable, DNS, TLS handshake
  kOther = 4,         // protocol errors, resets, anything else
  // In flight when the run was stopped at once (`stop --now`, a second
  // Ctrl-C, the agent's dead-man switch): abandoned, with the bytes it had
  // sent. Counted in every total, so they reconcile with what the target
  // saw, but not an error of the service and not in latency percentiles.
  kAborted = 5,
  // A response arrived but a flow step's check or capture failed on it (the
  // reason names the check): an error of the service's behaviour.
  kCheckFailed = 6,
};
inline constexpr size_t kOutcomeCount = 7;

// Whether `outcome` counts as an error of the service: every outcome but
// ok and aborted.
inline bool IsError(Outcome outcome) {
  return outcome != Outcome::kOk && outcome != Outcome::kAborted;
}

// "ok", "http_error", "timeout", "connect_error", "other", "aborted".
inline const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return "ok";
    case Outcome::kHttpError: return "http_error";
    case Outcome::kTimeout: return "timeout";
    case Outcome::kConnectError: return "connect_error";
    case Outcome::kOther: return "other";
    case Outcome::kAborted: return "aborted";
    case Outcome::kCheckFailed: return "check_failed";
  }
  return "other";
}

}  // namespace barrage

#endif  // BARRAGE_COMMON_STATS_OUTCOME_H_
