// Copyright 2026 The Barrage Authors.
//
// The renderings of a CompareReport (compare.h) for `barrage compare
// --format text|markdown|json`:
//
//   text      one aligned row per metric, grouped overall then per request:
//               p95  212.0ms -> 231.0ms  +9.0% [+6.1, +12.2]  REGRESSED
//             latency in ms, error_rate in % with its change in pp, rate in
//             /s; an INCONCLUSIVE row says how long runs would decide it.
//   markdown  the same as a GitHub table under a one-line verdict, for a
//             pull-request comment.
//   json      every field of the report (README "Comparing runs").
//
// Pure functions.
#ifndef BARRAGE_CONTROLLER_REPORT_COMPARE_RENDER_H_
#define BARRAGE_CONTROLLER_REPORT_COMPARE_RENDER_H_

#include <string>

#include "controller/report/compare.h"

namespace barrage {

std::string CompareText(const CompareReport& report);
std::string CompareMarkdown(const CompareReport& report);
std::string CompareJson(const CompareReport& report);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_COMPARE_RENDER_H_
