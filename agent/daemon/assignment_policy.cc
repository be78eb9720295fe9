// Copyright 2026 The Barrage Authors.

#include "agent/daemon/assignment_policy.h"

#include <arpa/inet.h>
#include <fnmatch.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/scenario/codec.h"

namespace barrage {
namespace {

constexpr int64_t kMaxPeriod = int64_t{1} << 20;
constexpr int64_t kMaxStartDelayMs = 60'000;

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("malformed assignment: ", why));
}

}  // namespace

AssignmentPolicy::AssignmentPolicy(std::vector<std::string> allow_targets,
                                   double max_rate_per_s, TlsRule tls)
    : allow_targets_(std::move(allow_targets)), max_rate_per_s_(max_rate_per_s), tls_(tls) {}

absl::Status CheckShare(int64_t period, const std::vector<int64_t>& slots) {
  if (period <= 0 || period > kMaxPeriod) {
    return Malformed(absl::StrCat("period ", period, " is outside [1, ", kMaxPeriod, "]"));
  }
  if (slots.empty()) return Malformed("no slots");
  if (!std::is_sorted(slots.begin(), slots.end())) return Malformed("slots are not sorted");
  if (slots.front() < 0 || slots.back() >= period) {
    return Malformed(absl::StrCat("slots are outside [0, ", period, ")"));
  }
  return absl::OkStatus();
}

absl::Status AssignmentPolicy::CheckLimits(const Scenario& scenario, double share) const {
  if (!allow_targets_.empty()) {
    const bool allowed =
        std::any_of(allow_targets_.begin(), allow_targets_.end(),
                    [&](const std::string& p) { return TargetAllowed(p, scenario.target.host); });
    if (!allowed) {
      return absl::PermissionDeniedError(absl::StrCat(
          "target host ", scenario.target.host, " is not allowed by this agent's --allow-target"));
    }
  }
  if (scenario.target.scheme == "https") {
    if (tls_.require_verify && !scenario.tls.verify) {
      return absl::FailedPreconditionError(
          "the scenario turns TLS verification off (defaults.tls.verify: false) and this "
          "agent has --require-tls-verify");
    }
    if (tls_.legacy_insecure && scenario.tls.verify) {
      return absl::FailedPreconditionError(
          "this agent's --insecure-targets (deprecated) disagrees with the scenario, which "
          "verifies TLS: set defaults.tls.verify: false in the scenario and drop the flag");
    }
  }
  if (max_rate_per_s_ > 0) {
    const double mine = scenario.PeakRate().ToDouble() * share;
    if (mine > max_rate_per_s_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("its share peaks at ", mine, " requests/s, above this agent's --max-rate ",
                       max_rate_per_s_, "/s"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AcceptedAssignment> AssignmentPolicy::CheckStartRun(
    const v1::StartRun& start) const {
  absl::StatusOr<Scenario> scenario = ScenarioFromProto(start.scenario());
  if (!scenario.ok()) return scenario.status();
  AcceptedAssignment a;
  a.scenario = *std::move(scenario);
  a.period = start.assignment().period();
  a.slots.assign(start.assignment().slots().begin(), start.assignment().slots().end());
  a.seed = start.assignment().seed();
  if (absl::Status s = CheckShare(a.period, a.slots); !s.ok()) return s;
  if (start.start_delay_ms() < 0 || start.start_delay_ms() > kMaxStartDelayMs) {
    return Malformed(absl::StrCat("start delay ", start.start_delay_ms(), " ms is outside [0, ",
                                  kMaxStartDelayMs, "]"));
  }
  a.start_delay_ns = start.start_delay_ms() * 1'000'000;
  const double share = static_cast<double>(a.slots.size()) / static_cast<double>(a.period);
  if (absl::Status s = CheckLimits(a.scenario, share); !s.ok()) return s;
  return a;
}

absl::StatusOr<std::vector<int64_t>> AssignmentPolicy::CheckUpdateShare(
    const v1::UpdateShare& update, int64_t period) const {
  std::vector<int64_t> slots(update.slots().begin(), update.slots().end());
  if (absl::Status s = CheckShare(period, slots); !s.ok()) return s;
  if (update.from_ms() < 0) {
    return Malformed(absl::StrCat("from ", update.from_ms(), " ms is before the run's start"));
  }
  return slots;
}

bool TargetAllowed(const std::string& pattern, const std::string& host) {
  const size_t slash = pattern.find('/');
  if (slash == std::string::npos) {
    return fnmatch(pattern.c_str(), host.c_str(), FNM_CASEFOLD) == 0;
  }
  // CIDR: the host must be an address literal of the same family inside it.
  int bits = 0;
  if (!absl::SimpleAtoi(pattern.substr(slash + 1), &bits)) return false;
  const std::string net = pattern.substr(0, slash);
  unsigned char a[16];
  unsigned char b[16];
  int family = AF_INET;
  size_t len = 4;
  if (inet_pton(AF_INET, net.c_str(), a) != 1) {
    family = AF_INET6;
    len = 16;
    if (inet_pton(AF_INET6, net.c_str(), a) != 1) return false;
  }
  if (inet_pton(family, host.c_str(), b) != 1) return false;
  if (bits < 0 || bits > static_cast<int>(len * 8)) return false;
  for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace barrage
