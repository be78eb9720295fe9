// Copyright 2026 The Barrage Authors.

#include "common/metrics/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/status/status.h"

namespace barrage {

int CpuCores() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

absl::StatusOr<int64_t> ProcessResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return absl::UnavailableError("cannot open /proc/self/statm");
  // statm: size resident shared text lib data dt, in pages.
  long size = 0;
  long pages = 0;
  const int fields = std::fscanf(f, "%ld %ld", &size, &pages);
  std::fclose(f);
  if (fields != 2) return absl::DataLossError("cannot parse /proc/self/statm");
  return static_cast<int64_t>(pages) * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

CpuRatioMeter::CpuRatioMeter(int64_t now_ns, int cores)
    : cores_(static_cast<double>(std::max(cores, 1))),
      last_cpu_s_(ProcessCpuSeconds()),
      last_ns_(now_ns) {}

double CpuRatioMeter::Sample(int64_t now_ns) {
  const double cpu = ProcessCpuSeconds();
  double ratio = 0;
  if (now_ns > last_ns_) {
    ratio = (cpu - last_cpu_s_) / (static_cast<double>(now_ns - last_ns_) / 1e9) / cores_;
  }
  last_cpu_s_ = cpu;
  last_ns_ = now_ns;
  return ratio;
}

}  // namespace barrage
