// Copyright 2026 The Barrage Authors.
//
// The HTML report test's helper (html_report_test.sh), until `barrage
// report --format html` can be used there:
//   html_report_render RESULT.json OUT.html [BASELINE.json]
//       writes the HTML report of a result file;
//   html_report_render --fixture OUT.json SECONDS REQUESTS
//       writes the seeded report fixture (tests/support/report_fixture.h):
//       two stages, a 503 burst, an agent lost;
//   html_report_render --capacity CAPACITY.json OUT.html
//       writes the capacity report (capacity_html.h) of a capacity JSON.
// Exit 0 on success, 1 with the reason on stderr.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "controller/report/capacity_html.h"
#include "controller/report/html_report.h"
#include "tests/support/report_fixture.h"

namespace {

bool Read(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return static_cast<bool>(in);
}

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (first == "--fixture" && argc == 5) {
    barrage::testing::ReportFixtureOptions o;
    o.seconds = std::atoi(argv[3]);
    o.requests = std::atoi(argv[4]);
    o.stage_s = {o.seconds / 2.0, o.seconds / 2.0};
    o.burst_from_s = o.seconds * 0.65;
    o.burst_to_s = o.seconds * 0.72;
    if (!Write(argv[2], barrage::testing::ReportFixtureJson(o))) {
      std::cerr << "cannot write " << argv[2] << "\n";
      return 1;
    }
    return 0;
  }
  if (first == "--capacity" && argc == 4) {
    std::string json;
    if (!Read(argv[2], &json)) {
      std::cerr << "cannot read " << argv[2] << "\n";
      return 1;
    }
    absl::StatusOr<std::string> html = barrage::CapacityHtml(json);
    if (!html.ok()) {
      std::cerr << html.status().ToString() << "\n";
      return 1;
    }
    if (!Write(argv[3], *html)) {
      std::cerr << "cannot write " << argv[3] << "\n";
      return 1;
    }
    return 0;
  }
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: html_report_render RESULT.json OUT.html [BASELINE.json]\n"
                 "       html_report_render --fixture OUT.json SECONDS REQUESTS\n"
                 "       html_report_render --capacity CAPACITY.json OUT.html\n";
    return 1;
  }
  std::string json;
  barrage::HtmlReportOptions options;
  if (!Read(argv[1], &json) || (argc == 4 && !Read(argv[3], &options.baseline_json))) {
    std::cerr << "cannot read the input\n";
    return 1;
  }
  absl::StatusOr<std::string> html = barrage::HtmlReport(json, options);
  if (!html.ok()) {
    std::cerr << html.status().ToString() << "\n";
    return 1;
  }
  if (!Write(argv[2], *html)) {
    std::cerr << "cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
