// Copyright 2026 The Barrage Authors.
//
// The text summary rendered from a result JSON: a golden file of a run
// with every section (to accept a deliberate change, run the test with
// BARRAGE_UPDATE_GOLDEN=1 and review the diff), and the partial JSONs a
// stored run may have (a checkpoint, an older or broken one).

#include "controller/report/summary_text.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/stats/histogram_codec.h"
#include "controller/report/run_result.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CheckGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(BARRAGE_TESTDATA_DIR) + "/golden/" + name;
  if (std::getenv("BARRAGE_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << actual;
  INFO("golden file " << path);
  CHECK(actual == ReadFile(path));
}

// Requests "write" then "read" (not in name order); three 10 s stages at
// 20/s; a windowed p95 threshold and a whole-run error rate.
Scenario TwoRequests() {
  Scenario s;
  s.name = "golden";
  for (const char* n : {"write", "read"}) {
    RequestSpec r;
    r.name = n;
    s.requests.push_back(r);
  }
  for (int i = 0; i < 3; ++i) {
    Stage st;
    st.duration = absl::Seconds(10);
    st.rate_from = st.rate_to = Rational::FromInt(20);
    s.stages.push_back(st);
  }
  Threshold p95;
  p95.metric = ThresholdMetric::kP95;
  p95.limit = 2'500;
  p95.whole_run = false;
  p95.window = absl::Seconds(1);
  s.thresholds.push_back(p95);
  Threshold errors;
  errors.metric = ThresholdMetric::kErrorRate;
  errors.limit = 0.01;
  s.thresholds.push_back(errors);
  return s;
}

void AddSeries(v1::StatsReport& r, const std::string& request, v1::Outcome outcome,
               uint64_t latency_us, uint64_t n) {
  Histogram h;
  h.RecordN(latency_us, n);
  v1::SeriesDelta* s = r.add_series();
  s->set_request(request);
  s->set_outcome(outcome);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
}

void AddError(v1::StatsReport& r, const std::string& request, const std::string& reason,
              uint64_t n) {
  v1::ErrorCount* e = r.add_errors();
  e->set_request(request);
  e->set_reason(reason);
  e->set_count(n);
}

void AddStatus(v1::StatsReport& r, const std::string& request, uint32_t status, uint64_t n) {
  v1::StatusCount* c = r.add_statuses();
  c->set_request(request);
  c->set_status(status);
  c->set_count(n);
}

// One second `k` of agent `agent`: 10 writes of 2 ms (2 of them 503s),
// 8 reads of 1.5 ms (one timed out). Interval 3 adds 9 connect errors of
// distinct reasons; `aborted` reads were in flight at the end.
v1::StatsReport Interval(const std::string& agent, int64_t k, uint64_t aborted) {
  v1::StatsReport r;
  r.set_agent_id(agent);
  r.set_run_id("r-golden");
  r.set_seq(static_cast<uint64_t>(k) + 1);
  r.set_interval_start_ns(k * 1'000'000'000);
  r.set_interval_length_ns(1'000'000'000);
  AddSeries(r, "write", v1::OUTCOME_OK, 2'000 + 100 * static_cast<uint64_t>(k), 8);
  AddSeries(r, "write", v1::OUTCOME_HTTP_ERROR, 900, 2);
  AddSeries(r, "read", v1::OUTCOME_OK, 1'500, 7);
  AddSeries(r, "read", v1::OUTCOME_TIMEOUT, 30'000, 1);
  AddStatus(r, "write", 200, 8);
  AddStatus(r, "write", 503, 2);
  AddStatus(r, "read", 200, 7);
  AddError(r, "write", "http: 503", 2);
  AddError(r, "read", "timeout", 1);
  if (k == 3) {
    AddSeries(r, "read", v1::OUTCOME_CONNECT_ERROR, 40, 9);
    for (int i = 0; i < 9; ++i) AddError(r, "read", absl::StrCat("connect: cause ", i), 1);
  }
  if (aborted > 0) AddSeries(r, "read", v1::OUTCOME_ABORTED, 0, aborted);
  r.mutable_counters()->set_connections_opened(k == 0 ? 4 : 0);
  r.mutable_counters()->set_cpu_seconds(0.125);
  r.mutable_counters()->set_http_client(agent == "agent-1" ? "native-http1" : "libcurl");
  r.mutable_counters()->set_saturated(agent == "agent-2" && k == 7);
  return r;
}

// An immediate stop at 15.5 s, after the p95 failed in its worst window.
std::string GoldenResultJson() {
  const Scenario s = TwoRequests();
  RunMerger m("r-golden", s);
  for (const char* agent : {"agent-1", "agent-2"}) {
    for (int64_t k = 0; k < 16; ++k) REQUIRE(m.Apply(Interval(agent, k, k == 15 ? 3 : 0)).ok());
  }
  RunReport report;
  report.run_id = "r-golden";
  report.status = "aborted";
  report.started_at = absl::FromUnixSeconds(1'800'000'000);
  report.duration_s = 15.5;
  report.start_skew_ms = 1.25;
  ThresholdResult p95;
  p95.expression = s.thresholds[0].Expression();
  p95.passed = false;
  p95.value = 3.2;
  p95.has_worst = true;
  p95.worst_value = 3.6;
  p95.worst_at_s = 15;
  ThresholdResult errors;
  errors.expression = s.thresholds[1].Expression();
  errors.passed = false;
  errors.value = 0.2;
  report.thresholds = {p95, errors};
  report.events = {{15.2, "threshold_failed", "", "p95 over 1s"},
                   {15.5, "aborted", "agent-2", "stopped at once"}};
  return ResultJson(report, s, m);
}

TEST_CASE("the summary of a run cut short with failures matches the golden file") {
  absl::StatusOr<std::string> text = SummaryText(GoldenResultJson());
  REQUIRE(text.ok());
  CheckGolden("aborted_run.summary.txt", *text);
  // Requests are in scenario order, not name order.
  CHECK(text->find("  write ") < text->find("  read "));
}

TEST_CASE("a checkpoint of an interrupted run renders and says so") {
  const Scenario s = TwoRequests();
  RunMerger m("r-golden", s);
  REQUIRE(m.Apply(Interval("agent-1", 0, 0)).ok());
  RunReport partial;
  partial.run_id = "r-golden";
  partial.status = "running";
  partial.duration_s = 5;
  // What the store does to a running run's checkpoint after a crash.
  const std::string json = absl::StrReplaceAll(
      ResultJson(partial, s, m), {{R"("status":"running")", R"("status":"interrupted")"}});
  absl::StatusOr<std::string> text = SummaryText(json);
  REQUIRE(text.ok());
  CHECK_THAT(*text, ContainsSubstring("golden  run r-golden  INTERRUPTED  (5.0 s)"));
  CHECK_THAT(*text, !ContainsSubstring("thresholds"));
  CHECK_THAT(*text, ContainsSubstring("requests 18 "));
  CHECK_THAT(*text, ContainsSubstring("latency: successful requests only"));
}

TEST_CASE("a result JSON with few fields renders what it has") {
  absl::StatusOr<std::string> text = SummaryText(R"({"status": "interrupted"})");
  REQUIRE(text.ok());
  CHECK_THAT(*text, ContainsSubstring("INTERRUPTED"));
  CHECK_THAT(*text, ContainsSubstring("requests 0 "));
}

TEST_CASE("a result that is not a JSON object is an InvalidArgument") {
  CHECK(SummaryText("not json").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(SummaryText("[1, 2]").status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace barrage
