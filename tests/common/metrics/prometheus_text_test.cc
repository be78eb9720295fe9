// Copyright 2026 The Barrage Authors.

#include "common/metrics/prometheus_text.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch_test_macros.hpp>

#include "common/metrics/registry.h"

namespace barrage {
namespace {

std::string Golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(BARRAGE_TESTDATA_DIR) + "/golden/" + name;
  if (std::getenv("BARRAGE_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << actual;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<FamilySnapshot> Sample() {
  MetricsRegistry r;
  r.Declare("demo_requests_total", MetricType::kCounter,
            "Requests by outcome.\nSecond line with a \\ backslash.", {"request", "outcome"});
  r.Declare("demo_duration_seconds", MetricType::kHistogram, "Durations.", {"request"});
  r.Declare("demo_empty", MetricType::kGauge, "A family without series.", {"x"});
  r.Declare("demo_up", MetricType::kGauge, "No labels.", {});
  r.Set("demo_requests_total", {"b", "ok"}, 3);
  r.Set("demo_requests_total", {"a \"quoted\"\nnew\\line", "ok"}, 12);
  r.Set("demo_up", {}, 1);
  HistogramValue h;
  h.buckets = {{0.001, 1}, {0.1, 5}, {0.25, 7}, {2.5, 9}};
  h.sum = 3.25;
  h.count = 10;
  r.SetHistogram("demo_duration_seconds", {"a"}, h);
  return r.Snapshot();
}

TEST_CASE("exposition matches the golden file") {
  const std::string text = RenderPrometheusText(Sample());
  CHECK(text == Golden("exposition.prom", text));
}

TEST_CASE("label values are escaped and help text too") {
  const std::string text = RenderPrometheusText(Sample());
  CHECK(text.find(R"(request="a \"quoted\"\nnew\\line")") != std::string::npos);
  CHECK(text.find("# HELP demo_requests_total Requests by outcome.\\nSecond line with a \\\\ backslash.") !=
        std::string::npos);
}

TEST_CASE("histogram buckets are cumulative, in order, ending at +Inf") {
  const std::string text = RenderPrometheusText(Sample());
  const size_t a = text.find("le=\"0.001\"");
  const size_t b = text.find("le=\"0.1\"");
  const size_t c = text.find("le=\"2.5\"");
  const size_t inf = text.find("le=\"+Inf\"} 10");
  REQUIRE(a != std::string::npos);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(c < inf);
  CHECK(text.find("demo_duration_seconds_sum{request=\"a\"} 3.25") != std::string::npos);
  CHECK(text.find("demo_duration_seconds_count{request=\"a\"} 10") != std::string::npos);
}

TEST_CASE("values print as Prometheus reads them") {
  CHECK(FormatSampleValue(3) == "3");
  CHECK(FormatSampleValue(0.1) == "0.1");
  CHECK(FormatSampleValue(0.0025) == "0.0025");
  CHECK(FormatSampleValue(1.0 / 3) == "0.3333333333333333");  // shortest exact
  CHECK(FormatSampleValue(1.0 / 0.0) == "+Inf");
  CHECK(FormatSampleValue(-1.0 / 0.0) == "-Inf");
  CHECK(FormatSampleValue(0.0 / 0.0) == "NaN");
}

TEST_CASE("series of undeclared families or wrong label counts are refused") {
  MetricsRegistry r;
  r.Declare("x", MetricType::kGauge, "x", {"a"});
  r.Set("nope", {}, 1);
  r.Set("x", {"1", "2"}, 1);
  r.SetHistogram("x", {"1"}, HistogramValue());
  CHECK(r.rejected() == 3);
  CHECK(r.Snapshot()[0].series.empty());
}

TEST_CASE("a finished run's series can be removed by label") {
  MetricsRegistry r;
  r.Declare("g", MetricType::kGauge, "g", {"run", "k"});
  r.Declare("h", MetricType::kGauge, "h", {"agent"});
  r.Set("g", {"r1", "a"}, 1);
  r.Set("g", {"r2", "a"}, 2);
  r.Set("h", {"x"}, 3);
  r.RemoveWhere("run", "r1");
  const auto snap = r.Snapshot();
  REQUIRE(snap[0].series.size() == 1);
  CHECK(snap[0].series[0].labels[0] == "r2");
  CHECK(snap[1].series.size() == 1);
}

TEST_CASE("concurrent writers and scrapers see whole values") {
  MetricsRegistry r;
  r.Declare("c", MetricType::kCounter, "c", {"w"});
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&r, w] {
      for (int i = 1; i <= 2000; ++i) r.Set("c", {std::to_string(w)}, i);
    });
  }
  for (int i = 0; i < 200; ++i) {
    for (const auto& s : r.Snapshot()[0].series) REQUIRE(s.value >= 1);
  }
  for (auto& t : threads) t.join();
  for (const auto& s : r.Snapshot()[0].series) CHECK(s.value == 2000);
}

}  // namespace
}  // namespace barrage
