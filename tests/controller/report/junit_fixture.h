// Copyright 2026 The Barrage Authors.
//
// Result JSON fixtures for the JUnit tests: a run with a passed and a
// failed threshold whose names need escaping, and variants for an aborted,
// an errored run and one that lost an agent.
#ifndef BARRAGE_TESTS_CONTROLLER_REPORT_JUNIT_FIXTURE_H_
#define BARRAGE_TESTS_CONTROLLER_REPORT_JUNIT_FIXTURE_H_

#include <string>

#include "absl/strings/str_cat.h"

namespace barrage {

inline std::string JunitFixture(const std::string& status, const std::string& extra = "",
                                const std::string& events = "") {
  return absl::StrCat(
      R"({"version": 1, "run": "r-1", "scenario": "shop & <cart> \"x\"", "status": ")", status,
      R"(", "started_at": "2026-03-04T05:06:07Z", "duration_s": 12.5, "exit_code": 99,)",
      R"( "totals": {"requests": 1000, "errors": 3},)",
      R"( "fingerprint": {"target": "http://127.0.0.1:1/?a=1&b=2"},)", extra,
      R"( "thresholds": [)",
      R"({"expr": "p95 < 300ms for a&b", "passed": true, "value_ms": 120.5, "limit_ms": 300, "above": false},)",
      R"({"expr": "error_rate < 1% over 10s", "passed": false, "value": 0.02, "limit": 0.01,)",
      R"( "above": false, "worst": {"value": 0.05, "at_s": 8}}],)",
      R"( "events": [)", events, "]}");
}

}  // namespace barrage

#endif  // BARRAGE_TESTS_CONTROLLER_REPORT_JUNIT_FIXTURE_H_
