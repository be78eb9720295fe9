// Copyright 2026 The Barrage Authors.

#include "controller/cli/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace barrage {
namespace {

double ErrorPercent(const v1::Progress& p) {
  return p.requests() == 0
             ? 0.0
             : 100.0 * static_cast<double>(p.errors()) / static_cast<double>(p.requests());
}

std::string Vus(const v1::Progress& p, const char* label) {
  return p.active_vus() > 0 ? absl::StrCat("  ", label, " ", p.active_vus()) : "";
}

// "  cpu 0.82  hits 0.97": the latest monitor values (up to 3).
std::string Monitor(const v1::Progress& p) {
  std::string out;
  for (const v1::MonitorReading& m : p.monitor()) {
    absl::StrAppend(&out, "  ", m.name(), " ", absl::StrFormat("%.3g", m.value()));
  }
  return out;
}

// Layouts, narrowest first; each one's line without the VU count.
std::string Narrow(const v1::Progress& p) {
  return absl::StrFormat("%.1fs/%.0fs  %.0f/s  p95 %.1f ms  req %d  err %d  drop %d",
                         p.elapsed_s(), p.total_s(), p.achieved_rps(), p.p95_ms_10s(),
                         p.requests(), p.errors(), p.dropped());
}

std::string Medium(const v1::Progress& p) {
  return absl::StrFormat(
      "%.1fs/%.0fs  %.0f of %.0f/s  p50/95/99 %.1f/%.1f/%.1f ms  req %d  "
      "err %d %.2f%%  drop %d  agents %d",
      p.elapsed_s(), p.total_s(), p.achieved_rps(), p.target_rps(), p.p50_ms_10s(),
      p.p95_ms_10s(), p.p99_ms_10s(), p.requests(), p.errors(), ErrorPercent(p),
      p.dropped(), p.agents());
}

std::string Wide(const v1::Progress& p) {
  return absl::StrFormat(
      "%6.1fs/%.0fs  target %.1f/s  achieved %.1f/s  p50 %.2f  p95 %.2f  p99 %.2f ms "
      "(10 s)  requests %d  errors %d (%.3f%%)  dropped %d  agents %d",
      p.elapsed_s(), p.total_s(), p.target_rps(), p.achieved_rps(), p.p50_ms_10s(),
      p.p95_ms_10s(), p.p99_ms_10s(), p.requests(), p.errors(), ErrorPercent(p),
      p.dropped(), p.agents());
}

}  // namespace

std::string ProgressLine(const v1::Progress& p, int columns) {
  const size_t width = static_cast<size_t>(std::max(columns, 40));
  std::string line;
  if (width >= 150) {
    line = Wide(p);
    if (line.size() + Vus(p, "VUs").size() <= width) line += Vus(p, "VUs");
  }
  if (line.empty() || line.size() > width) {
    line = width >= kDefaultColumns ? Medium(p) : "";
    if (!line.empty() && line.size() + Vus(p, "VUs").size() <= width) line += Vus(p, "VUs");
  }
  if (line.empty() || line.size() > width) {
    line = Narrow(p);
    if (line.size() + Vus(p, "vu").size() <= width) line += Vus(p, "vu");
  }
  // The monitor's values when they fit (the load's numbers come first).
  if (line.size() + Monitor(p).size() <= width) line += Monitor(p);
  if (line.size() > width) line.resize(width);
  return line;
}

int TerminalColumns() {
  if (isatty(STDOUT_FILENO) == 0) return kDefaultColumns;
  struct winsize size {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  int columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) return columns;
  return kDefaultColumns;
}

}  // namespace barrage
