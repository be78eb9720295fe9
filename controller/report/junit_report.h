// Copyright 2026 The Barrage Authors.
//
// The JUnit XML of a run (`--out junit=F`, `report --format junit`; README
// "JUnit"), for CI systems that show test results (Jenkins, GitLab):
//
//   <testsuites name="barrage" tests failures errors time>
//     <testsuite name=SCENARIO tests failures errors time timestamp>
//       <properties> run, status, exit_code, target </properties>
//       <testcase name="run" classname="barrage.SCENARIO" time=DURATION>
//         <failure type="aborted"|"agent_lost"> when aborted / an agent was lost
//         <error type="error"> when the run errored
//       <testcase name=THRESHOLD_EXPRESSION classname="barrage.SCENARIO" time="0">
//         <failure type="threshold" message="... value ..., limit ..."> when it failed
//
// tests = thresholds + 1, failures and errors count the testcases with one;
// time is in seconds; timestamp is the start, UTC, without a zone (the
// schema's xs:dateTime-like pattern). Text is XML-escaped (& < > " '), and
// characters XML 1.0 cannot hold are replaced with '?'. Pure functions.
#ifndef BARRAGE_CONTROLLER_REPORT_JUNIT_REPORT_H_
#define BARRAGE_CONTROLLER_REPORT_JUNIT_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

// InvalidArgument when `result_json` is not a JSON object.
absl::StatusOr<std::string> JunitReport(const std::string& result_json);

// `text` escaped for an XML attribute value or element text.
std::string XmlEscape(absl::string_view text);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_JUNIT_REPORT_H_
