// Copyright 2026 The Barrage Authors.

#include "controller/report/junit_report.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "tests/controller/report/junit_fixture.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TEST_CASE("XML text is escaped, and characters XML cannot hold are replaced") {
  CHECK(XmlEscape("a & b < c > d \"e\" 'f'") ==
        "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
  CHECK(XmlEscape(std::string("x\x01y\tz\n", 6)) == "x?y&#9;z&#10;");
  CHECK(XmlEscape("caf\xc3\xa9") == "caf\xc3\xa9");
}

TEST_CASE("a run maps to one testsuite: a run testcase and one per threshold") {
  absl::StatusOr<std::string> xml = JunitReport(JunitFixture("failed"));
  REQUIRE(xml.ok());
  CHECK_THAT(*xml, ContainsSubstring(
                       "<testsuite name=\"shop &amp; &lt;cart&gt; &quot;x&quot;\" tests=\"3\" "
                       "failures=\"1\" errors=\"0\" time=\"12.500\" "
                       "timestamp=\"2026-03-04T05:06:07\">"));
  CHECK_THAT(*xml, ContainsSubstring("<testsuites name=\"barrage\" tests=\"3\" failures=\"1\""));
  CHECK_THAT(*xml, ContainsSubstring(
                       "<testcase name=\"run\" classname=\"barrage.shop &amp; &lt;cart&gt; "
                       "&quot;x&quot;\" time=\"12.500\">"));
  CHECK_THAT(*xml, ContainsSubstring("<testcase name=\"p95 &lt; 300ms for a&amp;b\""));
  CHECK_THAT(*xml, ContainsSubstring(
                       "<failure message=\"error_rate &lt; 1% over 10s failed: value 0.02, "
                       "limit below 0.01, worst window 0.05 at 8 s\" type=\"threshold\">"));
  CHECK_THAT(*xml, ContainsSubstring("<property name=\"exit_code\" value=\"99\"/>"));
  CHECK_THAT(*xml, ContainsSubstring("value=\"http://127.0.0.1:1/?a=1&amp;b=2\""));
}

TEST_CASE("the run testcase fails when aborted or an agent was lost, and errs on an error") {
  SECTION("aborted") {
    absl::StatusOr<std::string> xml = JunitReport(
        JunitFixture("aborted", "",
                     R"({"at_s": 3, "kind": "threshold_failed",)"
                     R"( "action": "p99 < 1ms [abort]: aborting"})"));
    REQUIRE(xml.ok());
    CHECK_THAT(*xml, ContainsSubstring("failures=\"2\" errors=\"0\""));
    CHECK_THAT(*xml, ContainsSubstring(
                         "<failure message=\"the run was aborted (threshold_failed: "
                         "p99 &lt; 1ms [abort]: aborting)\" "
                         "type=\"aborted\">"));
  }
  SECTION("an agent lost") {
    absl::StatusOr<std::string> xml = JunitReport(JunitFixture(
        "passed", "", R"({"at_s": 3, "kind": "agent_lost", "agent": "a-2"})"));
    REQUIRE(xml.ok());
    CHECK_THAT(*xml, ContainsSubstring("type=\"agent_lost\""));
    CHECK_THAT(*xml, ContainsSubstring("lost 1 agent(s): a-2"));
  }
  SECTION("an error") {
    absl::StatusOr<std::string> xml =
        JunitReport(JunitFixture("error", R"( "error": "no agents <here>",)"));
    REQUIRE(xml.ok());
    CHECK_THAT(*xml, ContainsSubstring("failures=\"1\" errors=\"1\""));
    CHECK_THAT(*xml, ContainsSubstring(
                         "<error message=\"no agents &lt;here&gt;\" type=\"error\">"));
  }
}

TEST_CASE("a result that is not a JSON object is InvalidArgument") {
  CHECK(JunitReport("nope").status().code() == absl::StatusCode::kInvalidArgument);
  // An old result still renders (lenient readers).
  CHECK(JunitReport("{}").ok());
}

}  // namespace
}  // namespace barrage
