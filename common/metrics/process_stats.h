// Copyright 2026 The Barrage Authors.
//
// Process stats: the one place that reads this process's CPU time and
// resident memory (the agent's /metrics page, its heartbeat's cpu_ratio and
// the run executor's per-report CPU seconds all come from here).
//
// Thread safety: the free functions may be called from any thread.
// CpuRatioMeter is for one thread at a time.
#ifndef BARRAGE_COMMON_METRICS_PROCESS_STATS_H_
#define BARRAGE_COMMON_METRICS_PROCESS_STATS_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace barrage {

// The machine's online CPU cores (std::thread::hardware_concurrency), at
// least 1: the default worker count and the denominator of CPU ratios.
int CpuCores();

// Process CPU time (user + system) in seconds, from getrusage(RUSAGE_SELF).
double ProcessCpuSeconds();

// Resident memory in bytes, from /proc/self/statm; an error names the file
// when it cannot be read or parsed.
absl::StatusOr<int64_t> ProcessResidentBytes();

// The process's CPU use as a fraction of `cores` between two samples:
// Sample(now) returns CPU seconds since the last sample (or construction)
// over wall seconds since then over cores; 0 when no time has passed.
// Times are monotonic nanoseconds (Clock::NowNs()).
class CpuRatioMeter {
 public:
  CpuRatioMeter(int64_t now_ns, int cores);
  double Sample(int64_t now_ns);

 private:
  const double cores_;
  double last_cpu_s_;
  int64_t last_ns_;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_METRICS_PROCESS_STATS_H_
