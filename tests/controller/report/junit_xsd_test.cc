// Copyright 2026 The Barrage Authors.
//
// The JUnit XML against a strict parser and the JUnit schema
// (tests/testdata/junit.xsd), with xmllint as a separate process.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>

#include "controller/report/junit_report.h"
#include "tests/controller/report/junit_fixture.h"

namespace barrage {
namespace {

// xmllint's exit status on `xml` (0: well-formed and, with a schema, valid).
int Xmllint(const std::string& xml, const std::string& schema) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("junit-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << xml;
  std::string command = "xmllint --noout ";
  if (!schema.empty()) command += "--schema " + schema + " ";
  command += file.string();
  const int status = std::system(command.c_str());
  std::filesystem::remove(file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_CASE("the JUnit XML is well-formed and valid against the JUnit schema") {
  const std::string schema = std::string(BARRAGE_TESTDATA_DIR) + "/junit.xsd";
  for (const std::string& result :
       {JunitFixture("failed"), JunitFixture("passed"),
        JunitFixture("aborted", "",
                     R"({"at_s": 3, "kind": "stop_requested", "action": "immediate"})"),
        JunitFixture("error", R"( "error": "bad & <worse>",)"),
        JunitFixture("passed", "", R"({"at_s": 3, "kind": "agent_lost", "agent": "a\u0001"})"),
        std::string("{}")}) {
    absl::StatusOr<std::string> xml = JunitReport(result);
    REQUIRE(xml.ok());
    INFO(*xml);
    CHECK(Xmllint(*xml, "") == 0);
    CHECK(Xmllint(*xml, schema) == 0);
  }
}

TEST_CASE("the schema rejects what JUnit readers would not take") {
  const std::string schema = std::string(BARRAGE_TESTDATA_DIR) + "/junit.xsd";
  // A testcase without a classname.
  CHECK(Xmllint("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" "
                "time=\"1\" timestamp=\"2026-01-01T00:00:00\"><testcase name=\"t\" "
                "time=\"0\"/></testsuite></testsuites>",
                schema) != 0);
}

}  // namespace
}  // namespace barrage
