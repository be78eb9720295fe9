// Copyright 2026 The Barrage Authors.
//
// AssignmentPolicy: what this agent agrees to run. Pure: no I/O, no clock.
//
// Two kinds of check, each written once:
//   - shape: an assignment (period, slots, start delay, from time) the
//     schedule can run (common/scenario/schedule.h): 1 <= period <= 2^20,
//     slots non-empty, sorted and in [0, period), delays in range;
//   - limits: the agent's own --allow-target patterns and --max-rate cap,
//     and its TLS rule: with --require-tls-verify it refuses an https
//     scenario with defaults.tls.verify: false; with the deprecated
//     --insecure-targets it refuses one that verifies (the flag disagrees
//     with the scenario, which decides).
// A refusal is an absl::Status whose message is the reason sent back in
// RunRefused: InvalidArgument (malformed), PermissionDenied (a target the
// allow-list does not cover), ResourceExhausted (a share above the cap),
// FailedPrecondition (the TLS rule).
//
// Thread safety: immutable after construction; any thread.
#ifndef BARRAGE_AGENT_DAEMON_ASSIGNMENT_POLICY_H_
#define BARRAGE_AGENT_DAEMON_ASSIGNMENT_POLICY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "barrage/v1/agent.pb.h"
#include "common/scenario/scenario.h"

namespace barrage {

// A StartRun that passed every check, decoded.
struct AcceptedAssignment {
  Scenario scenario;
  int64_t period = 1;
  std::vector<int64_t> slots;
  uint64_t seed = 0;
  int64_t start_delay_ns = 0;
};

// The agent's own rule on verifying https targets.
struct TlsRule {
  bool require_verify = false;    // --require-tls-verify
  bool legacy_insecure = false;   // --insecure-targets (deprecated)
};

class AssignmentPolicy {
 public:
  // `allow_targets`: globs or CIDRs (TargetAllowed); empty: any target.
  // `max_rate_per_s`: cap on this agent's share's peak rate; 0: none.
  AssignmentPolicy(std::vector<std::string> allow_targets, double max_rate_per_s,
                   TlsRule tls = {});

  // The limits: `scenario`'s target against the allow-list, and its peak
  // rate times `share` (this agent's fraction of the load) against the cap.
  absl::Status CheckLimits(const Scenario& scenario, double share) const;

  // A whole StartRun: its scenario decodes, its assignment has a runnable
  // shape, and its share is within the limits.
  absl::StatusOr<AcceptedAssignment> CheckStartRun(const v1::StartRun& start) const;

  // An UpdateShare for a run whose period is `period`: the new slots, or
  // why they cannot be run (the daemon ignores such an update).
  absl::StatusOr<std::vector<int64_t>> CheckUpdateShare(const v1::UpdateShare& update,
                                                        int64_t period) const;

 private:
  const std::vector<std::string> allow_targets_;
  const double max_rate_per_s_;
  const TlsRule tls_;
};

// The shape of a share: OK when 1 <= period <= 2^20 and `slots` is
// non-empty, sorted and inside [0, period).
absl::Status CheckShare(int64_t period, const std::vector<int64_t>& slots);

// Whether `host` (a name or an address literal) matches an --allow-target
// pattern: a case-insensitive glob ("*.staging.example.com", "127.0.0.1")
// or a CIDR ("10.0.0.0/8", "::1/128").
bool TargetAllowed(const std::string& pattern, const std::string& host);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_ASSIGNMENT_POLICY_H_
