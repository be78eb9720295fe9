// Copyright 2026 The Barrage Authors.

#include "agent/daemon/in_flight_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

int64_t FromRlim(rlim_t v) {
  if (v == RLIM_INFINITY || v > static_cast<rlim_t>(std::numeric_limits<int64_t>::max())) {
    return std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(v);
}

std::string LimitText(int64_t v) {
  return v == std::numeric_limits<int64_t>::max() ? "unlimited" : absl::StrCat(v);
}

}  // namespace

FdLimit RaiseFdLimit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return {};
  if (r.rlim_cur < r.rlim_max) {
    rlimit raised = r;
    if (raised.rlim_max == RLIM_INFINITY) {
      // The kernel refuses an infinite descriptor limit; nr_open is its cap.
      int64_t nr_open = 1 << 20;
      std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
      raised.rlim_cur = static_cast<rlim_t>(std::max<int64_t>(nr_open, 1));
    } else {
      raised.rlim_cur = raised.rlim_max;
    }
    if (raised.rlim_cur > r.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
  }
  return {FromRlim(r.rlim_cur), FromRlim(r.rlim_max)};
}

int64_t DefaultMaxInFlight(const FdLimit& fd) {
  return std::clamp<int64_t>(fd.soft - kFdReserve, 1, kDefaultMaxInFlightCeiling);
}

absl::StatusOr<int64_t> ResolveMaxInFlight(int64_t requested, const FdLimit& fd, int sharing) {
  sharing = std::max(sharing, 1);
  const int64_t room = fd.soft == std::numeric_limits<int64_t>::max()
                           ? kMaxInFlightCeiling
                           : std::max<int64_t>(fd.soft - kFdReserve, 0) / sharing;
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max-in-flight ", requested, ": must be >= 1 (0: from the open-file limit)"));
  }
  if (requested == 0) return std::clamp<int64_t>(room, 1, kDefaultMaxInFlightCeiling);
  if (requested > room) {
    const std::string per = sharing > 1 ? absl::StrCat(" for each of ", sharing, " agents") : "";
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-in-flight ", requested, per, " needs ", requested * sharing + kFdReserve,
        " open files; this process may open ", LimitText(fd.soft), " (ulimit -n; hard limit ",
        LimitText(fd.hard), "), so at most ", room, per,
        ": raise the limit or lower --max-in-flight"));
  }
  return requested;
}

}  // namespace barrage
