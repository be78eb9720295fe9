// Copyright 2026 The Barrage Authors.
//
// The coordinator's monitor part with a fake agent, a fake clock and a
// fake MonitorSource, sampling rounds driven by the test (no thread).

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "common/scenario/yaml_loader.h"
#include "common/stats/histogram_codec.h"
#include "controller/report/time_series.h"
#include "controller/run/run_coordinator.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;
using testing::FakeAgentHandle;
using testing::FakeClock;
using testing::MakeHello;

constexpr int64_t kSecond = 1'000'000'000;

// Answers every query with *value, or fails when it is unset.
class FakeSource final : public MonitorSource {
 public:
  explicit FakeSource(std::shared_ptr<std::optional<double>> value) : value_(std::move(value)) {}
  absl::StatusOr<double> Query(const std::string&, absl::Time) override {
    if (!value_->has_value()) return absl::UnavailableError("connection refused or unreachable");
    return **value_;
  }

 private:
  std::shared_ptr<std::optional<double>> value_;
};

v1::StatsReport Report(const std::string& run, uint64_t seq, int64_t interval, bool final) {
  v1::StatsReport r;
  r.set_agent_id("a");
  r.set_run_id(run);
  r.set_seq(seq);
  r.set_interval_start_ns(interval * kSecond);
  r.set_interval_length_ns(kSecond);
  r.set_final(final);
  Histogram h;
  h.RecordN(10'000, 5);
  v1::SeriesDelta* s = r.add_series();
  s->set_request("a");
  s->set_outcome(v1::OUTCOME_OK);
  EncodeHistogram(h, s->mutable_response());
  EncodeHistogram(h, s->mutable_service());
  return r;
}

struct Run {
  std::string json;
  int exit_code = -1;
  std::vector<std::string> notices;
  bool token_sent = false;
  bool progress_cpu = false;
};

// A 3 s run; before each of its rounds (at run time 0, 1, 2 s) the source
// answers values[k] (nullopt: refused).
Run RunWith(const std::string& threshold, std::vector<std::optional<double>> values) {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 30 * kSecond};
  auto value = std::make_shared<std::optional<double>>();
  CoordinatorOptions options;
  options.monitor_thread = false;
  options.monitor_source = [value](const MonitorSpec&) {
    return std::make_unique<FakeSource>(value);
  };
  RunCoordinator coordinator{registry, clock, options};
  auto agent = std::make_shared<FakeAgentHandle>();
  REQUIRE(registry.Register(MakeHello("a"), agent).ok());
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: c\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: 3s, rate: 5/s}]\n"
      "monitor: {prometheus: 'http://127.0.0.1:1', interval: 1s, queries: {cpu: 'sum(x)'}}\n"
      "thresholds: [" + threshold + "]\n",
      "c.yaml");
  REQUIRE(s.ok());
  s->monitor->token = "s3cret";
  auto events = coordinator.StartRun(*s, "c.yaml");
  REQUIRE(events.ok());
  const v1::StartRun start = agent->sent()[0].start_run();
  Run out;
  out.token_sent = start.scenario().monitor().token() == "s3cret";
  coordinator.OnAccepted("a", start.run_id());
  clock.Advance(kSecond / 2);  // the common start
  for (int64_t k = 0; k < 3; ++k) {
    *value = values[static_cast<size_t>(k)];
    coordinator.SampleMonitorRound();
    coordinator.OnStats(Report(start.run_id(), static_cast<uint64_t>(k + 1), k, k == 2));
    clock.Advance(kSecond);
    registry.Touch("a", agent.get());
    coordinator.Tick();
  }
  clock.Advance(kSecond / 10);
  coordinator.Tick();
  while (auto e = (*events)->Pop(absl::ZeroDuration())) {
    if (e->has_event()) out.notices.push_back(e->event().kind() + ": " + e->event().detail());
    if (e->has_progress()) {
      for (const auto& m : e->progress().monitor()) out.progress_cpu |= m.name() == "cpu";
    }
    if (e->has_result()) {
      out.json = e->result().summary_json();
      out.exit_code = e->result().exit_code();
    }
  }
  return out;
}

TEST_CASE("monitor samples reach the series, the result and the progress, never the token") {
  Run r = RunWith("{metric: monitor.cpu, below: 0.9}", {0.5, 0.7, 0.6});
  REQUIRE_FALSE(r.json.empty());
  CHECK(r.exit_code == 0);
  CHECK_FALSE(r.token_sent);
  CHECK(r.progress_cpu);
  CHECK(r.json.find("s3cret") == std::string::npos);
  CHECK_THAT(r.json, ContainsSubstring("\"monitor\":{\"url\":\"http://127.0.0.1:1\""));
  CHECK_THAT(r.json, ContainsSubstring("\"samples\":3,\"gaps\":0,\"last\":0.6,\"mean\":0.6,"
                                       "\"max\":0.7"));
  absl::StatusOr<RunSeries> series = SeriesFromResultJson(r.json);
  REQUIRE(series.ok());
  REQUIRE(series->monitor == std::vector<std::string>{"cpu"});
  REQUIRE(series->intervals.size() >= 3);
  CHECK(series->intervals[0].monitor[0].mean() == 0.5);
  CHECK(series->intervals[1].monitor[0].mean() == 0.7);
}

TEST_CASE("a monitor threshold fails the run with exit 99") {
  Run r = RunWith("{metric: monitor.cpu, below: 0.5}", {0.5, 0.7, 0.6});
  CHECK(r.exit_code == 99);
  CHECK_THAT(r.json, ContainsSubstring("\"expr\":\"monitor.cpu < 0.5\",\"passed\":false"));
}

TEST_CASE("a refused monitor is gaps and one event; without samples it is not judged") {
  Run r = RunWith("{metric: monitor.cpu, below: 0.5}", {std::nullopt, std::nullopt, std::nullopt});
  CHECK(r.exit_code == 0);
  CHECK(std::count(r.notices.begin(), r.notices.end(),
                   "monitor_error: monitor cpu: connection refused or unreachable") == 1);
  CHECK_THAT(r.json, ContainsSubstring("\"samples\":0,\"gaps\":3,\"last\":null"));
  CHECK_THAT(r.json, ContainsSubstring("\"value\":null"));
  CHECK_THAT(r.json, ContainsSubstring("not judged: no monitor samples"));
}

}  // namespace
}  // namespace barrage
