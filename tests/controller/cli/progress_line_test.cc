// Copyright 2026 The Barrage Authors.

#include "controller/cli/progress_line.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

// The widest numbers a long, fast run shows.
v1::Progress Big() {
  v1::Progress p;
  p.set_elapsed_s(3599.9);
  p.set_total_s(3600);
  p.set_target_rps(125000);
  p.set_achieved_rps(124987.5);
  p.set_p50_ms_10s(1234.56);
  p.set_p95_ms_10s(4567.89);
  p.set_p99_ms_10s(29999.99);
  p.set_requests(449'999'999);
  p.set_errors(12'345'678);
  p.set_dropped(1'234'567);
  p.set_agents(64);
  p.set_active_vus(100000);
  return p;
}

v1::Progress Small() {
  v1::Progress p;
  p.set_elapsed_s(12.0);
  p.set_total_s(20);
  p.set_target_rps(1000);
  p.set_achieved_rps(998.0);
  p.set_p50_ms_10s(10.2);
  p.set_p95_ms_10s(11.9);
  p.set_p99_ms_10s(12.5);
  p.set_requests(11980);
  p.set_errors(12);
  p.set_agents(2);
  return p;
}

TEST_CASE("the progress line fits 80, 100 and 160 columns") {
  for (const v1::Progress& p : {Big(), Small()}) {
    for (int columns : {80, 100, 160}) {
      INFO(columns << ": " << ProgressLine(p, columns));
      CHECK(ProgressLine(p, columns).size() <= static_cast<size_t>(columns));
    }
  }
}

TEST_CASE("the progress line shows more fields on wider terminals") {
  const v1::Progress p = Small();
  const std::string narrow = ProgressLine(p, 80);
  CHECK(narrow == "12.0s/20s  998/s  p95 11.9 ms  req 11980  err 12  drop 0");
  const std::string medium = ProgressLine(p, 100);
  CHECK(medium ==
        "12.0s/20s  998 of 1000/s  p50/95/99 10.2/11.9/12.5 ms  req 11980  "
        "err 12 0.10%  drop 0  agents 2");
  const std::string wide = ProgressLine(p, 160);
  CHECK(wide ==
        "  12.0s/20s  target 1000.0/s  achieved 998.0/s  p50 10.20  p95 11.90  p99 12.50 ms "
        "(10 s)  requests 11980  errors 12 (0.100%)  dropped 0  agents 2");
}

TEST_CASE("the progress line falls back to a narrower layout rather than wrap") {
  const v1::Progress p = Big();
  // The medium layout of these numbers is wider than 100: the narrow one.
  const std::string at100 = ProgressLine(p, 100);
  CHECK_THAT(at100, ContainsSubstring("req 449999999"));
  CHECK_THAT(ProgressLine(p, 160), ContainsSubstring("VUs 100000"));
  // Too narrow for any layout: cut, never wrapped.
  CHECK(ProgressLine(p, 40).size() == 40);
}

}  // namespace
}  // namespace barrage

namespace barrage {
namespace {

TEST_CASE("the progress line ends with the latest monitor values when they fit") {
  v1::Progress p;
  p.set_elapsed_s(3);
  p.set_total_s(10);
  v1::MonitorReading* cpu = p.add_monitor();
  cpu->set_name("cpu");
  cpu->set_value(0.82);
  v1::MonitorReading* hits = p.add_monitor();
  hits->set_name("hits");
  hits->set_value(0.9712);
  CHECK_THAT(ProgressLine(p, 200), Catch::Matchers::EndsWith("  cpu 0.82  hits 0.971"));
  CHECK(ProgressLine(p, 40).find("cpu") == std::string::npos);
}

}  // namespace
}  // namespace barrage
