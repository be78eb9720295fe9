// Copyright 2026 The Barrage Authors.
//
// Unique data through the coordinator, with fake agents and a fake clock:
// files checked at StartRun and sent before each StartRun, rows dealt on
// request and never twice, a lost agent's rows dealt again, and the run
// stopped when a stop source is used up.

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/data/sha256.h"
#include "common/scenario/yaml_loader.h"
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
const std::string kCsv = [] {
  std::string csv = "id\n";
  for (int i = 0; i < 30; ++i) csv += std::to_string(i) + "\n";
  return csv;
}();

Scenario WithUsers() {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(
      "name: d\ntarget: http://127.0.0.1:9\n"
      "requests: [{name: a, path: /}]\n"
      "stages: [{duration: 60s, rate: 12/s}]\n",
      "d.yaml");
  REQUIRE(s.ok());
  DataSource d;
  d.name = "users";
  d.file = "users.csv";
  d.mode = DataSource::Mode::kUnique;
  d.on_end = DataSource::OnEnd::kStop;
  d.columns = {"id"};
  d.rows = 30;
  d.bytes = static_cast<int64_t>(kCsv.size());
  d.sha256 = Sha256Hex(kCsv);
  s->data.push_back(d);
  return *s;
}

struct Fixture {
  FakeClock clock{1'000 * kSecond};
  AgentRegistry registry{clock, 3 * kSecond};
  DataStore store;
  RunCoordinator coordinator{registry, clock, [this] {
                               CoordinatorOptions o;
                               o.data = &store;
                               return o;
                             }()};
  std::map<std::string, std::shared_ptr<FakeAgentHandle>> agents;
  std::map<std::string, uint64_t> seq;

  void Connect(const std::string& id) {
    agents[id] = std::make_shared<FakeAgentHandle>();
    REQUIRE(registry.Register(MakeHello(id), agents[id]).ok());
  }
  std::string RunId(const std::string& id) {
    for (const auto& m : agents[id]->sent()) {
      if (m.has_start_run()) return m.start_run().run_id();
    }
    return "";
  }
  // The leases `id` was sent, in order.
  std::vector<v1::DataLease> Leases(const std::string& id) {
    std::vector<v1::DataLease> out;
    for (const auto& m : agents[id]->sent()) {
      if (m.has_data_lease()) out.push_back(m.data_lease());
    }
    return out;
  }
  void Request(const std::string& id, uint64_t wanted) {
    v1::DataRequest r;
    r.set_run_id(RunId(id));
    r.set_data("users");
    r.set_wanted(wanted);
    coordinator.OnDataRequest(id, r);
  }
  // A DataUsed from `id` (agent.proto): rows taken between reports.
  void Used(const std::string& id, uint64_t first, uint64_t count) {
    v1::DataUsed m;
    m.set_run_id(RunId(id));
    v1::DataUse* u = m.add_used();
    u->set_data("users");
    u->set_first_row(first);
    u->set_count(count);
    coordinator.OnDataUse(id, m);
  }
  void Final(const std::string& id, int64_t interval) {
    v1::StatsReport r;
    r.set_agent_id(id);
    r.set_run_id(RunId(id));
    r.set_seq(++seq[id]);
    r.set_interval_start_ns(interval * kSecond);
    r.set_interval_length_ns(kSecond);
    r.set_final(true);
    coordinator.OnStats(r);
  }
  void Advance(int64_t ns) {
    clock.Advance(ns);
    for (const auto& [id, handle] : agents) registry.Touch(id, handle.get());
    coordinator.Tick();
  }
  void Took(const std::string& id, uint64_t first, uint64_t count, int64_t interval) {
    v1::StatsReport r;
    r.set_agent_id(id);
    r.set_run_id(RunId(id));
    r.set_seq(++seq[id]);
    r.set_interval_start_ns(interval * kSecond);
    r.set_interval_length_ns(kSecond);
    v1::DataUse* u = r.add_data_used();
    u->set_data("users");
    u->set_first_row(first);
    u->set_count(count);
    coordinator.OnStats(r);
  }
};

std::vector<v1::RunEvent> Drain(EventQueue& q) {
  std::vector<v1::RunEvent> out;
  while (auto e = q.Pop(absl::ZeroDuration())) out.push_back(*e);
  return out;
}

TEST_CASE("a run whose data was not uploaded is refused before any load, naming it") {
  Fixture f;
  f.Connect("a");
  absl::StatusOr<std::shared_ptr<EventQueue>> events = f.coordinator.StartRun(WithUsers(), "d.yaml");
  REQUIRE_FALSE(events.ok());
  CHECK(events.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(events.status().message()),
             ContainsSubstring("data 'users' (users.csv, sha256 "));
  CHECK_THAT(std::string(events.status().message()),
             ContainsSubstring("was not uploaded to this controller"));
  CHECK(f.agents["a"]->sent().empty());
}

TEST_CASE("unique rows are dealt once each, a lost agent's again, and the run stops used up") {
  Fixture f;
  REQUIRE(f.store.Add("users", Sha256Hex(kCsv), kCsv).ok());
  for (const char* id : {"a", "b", "c"}) f.Connect(id);
  absl::StatusOr<std::shared_ptr<EventQueue>> events = f.coordinator.StartRun(WithUsers(), "d.yaml");
  REQUIRE(events.ok());
  // Each agent got the file, before its StartRun.
  for (const char* id : {"a", "b", "c"}) {
    const std::vector<v1::ControllerMessage> sent = f.agents[id]->sent();
    REQUIRE(sent.size() == 2);
    REQUIRE(sent[0].has_data_chunk());
    CHECK(sent[0].data_chunk().bytes() == kCsv);
    CHECK(sent[0].data_chunk().last());
    CHECK(sent[1].has_start_run());
    f.coordinator.OnAccepted(id, f.RunId(id));
  }
  REQUIRE(f.coordinator.Status().state == "running");
  f.Request("a", 10);
  f.Request("b", 10);
  f.Request("c", 5);
  REQUIRE(f.Leases("a").size() == 1);
  CHECK(f.Leases("a")[0].first_row() == 0);
  CHECK(f.Leases("b")[0].first_row() == 10);
  CHECK(f.Leases("c")[0].first_row() == 20);
  CHECK(f.Leases("c")[0].count() == 5);
  CHECK_FALSE(f.Leases("c")[0].final());
  f.Took("a", 0, 10, 0);
  f.Took("b", 10, 4, 0);  // b took 10..13, then was lost
  f.coordinator.OnAgentGone("b");
  f.Took("c", 20, 5, 0);
  // b's untaken 14..19 go first, then the rest; the last lease says final.
  f.Request("c", 100);
  const std::vector<v1::DataLease> c = f.Leases("c");
  REQUIRE(c.size() == 3);
  CHECK(c[1].first_row() == 14);
  CHECK(c[1].count() == 6);
  CHECK(c[2].first_row() == 25);
  CHECK(c[2].count() == 5);
  CHECK(c[2].final());
  f.Request("a", 5);
  CHECK(f.Leases("a").back().count() == 0);
  CHECK(f.Leases("a").back().final());
  CHECK(f.coordinator.Status().state == "running");
  f.Took("c", 14, 6, 1);
  f.Took("c", 25, 5, 1);
  CHECK(f.coordinator.Status().state == "stopping");
  bool used_up = false;
  for (const v1::RunEvent& e : Drain(**events)) {
    if (e.has_event() && e.event().kind() == "data_used_up") {
      used_up = e.event().detail() == "data 'users' used up (30 rows): run stopped";
    }
  }
  CHECK(used_up);
  for (const char* id : {"a", "c"}) {
    bool stopped = false;
    for (const auto& m : f.agents[id]->sent()) stopped |= m.has_stop_run() && !m.stop_run().immediate();
    CHECK(stopped);
  }
}

TEST_CASE("rows come back exactly from a final report; a crash counts its window as redealt") {
  constexpr int64_t kMs = 1'000'000;
  Fixture f;
  REQUIRE(f.store.Add("users", Sha256Hex(kCsv), kCsv).ok());
  for (const char* id : {"a", "b"}) f.Connect(id);
  absl::StatusOr<std::shared_ptr<EventQueue>> events = f.coordinator.StartRun(WithUsers(), "d.yaml");
  REQUIRE(events.ok());
  for (const char* id : {"a", "b"}) f.coordinator.OnAccepted(id, f.RunId(id));
  REQUIRE(f.coordinator.Status().state == "running");
  f.Request("a", 10);  // 0..9
  f.Request("b", 20);  // 10..29
  // b takes a row every 100 ms and says so (DataUsed): 10 rows/s.
  for (uint64_t row = 10; row < 18; ++row) {
    f.Advance(100 * kMs);
    f.Used("b", row, 1);
  }
  int64_t redealt = -1, maybe_twice = -1;
  SECTION("b ends gracefully: its final report has its last rows; the rest were never taken") {
    f.Took("b", 18, 2, 0);  // b took 10..19 in all
    f.Final("b", 1);
    redealt = maybe_twice = 0;
  }
  SECTION("b crashes 50 ms after its last DataUsed") {
    f.Advance(50 * kMs);
    f.coordinator.OnAgentGone("b");
    // All 12 unreported rows are dealt again; ceil(10/s x 1.25 x (50 + 100)
    // ms) + 1 = 3 of them it may have taken.
    redealt = 12;
    maybe_twice = 3;
  }
  f.Used("a", 0, 10);
  // b's unreported rows go to a, and then every row is taken.
  f.Request("a", 100);
  const std::vector<v1::DataLease> a = f.Leases("a");
  REQUIRE(a.size() == 2);
  const uint64_t first = a[1].first_row();
  CHECK(first == (redealt == 0 ? 20u : 18u));
  CHECK(a[1].first_row() + a[1].count() == 30);
  CHECK(a[1].final());
  f.Used("a", first, 30 - first);
  CHECK(f.coordinator.Status().state == "stopping");
  f.Final("a", 1);
  f.Advance(kSecond);
  std::optional<v1::RunResult> result;
  for (const v1::RunEvent& e : Drain(**events)) {
    if (e.has_result()) result = e.result();
  }
  REQUIRE(result.has_value());
  CHECK_THAT(result->summary_json(),
             ContainsSubstring(absl::StrCat("\"data\":[{\"name\":\"users\",\"mode\":\"unique\","
                                            "\"rows\":30,\"used\":30,\"redealt\":",
                                            redealt, ",\"maybe_twice\":", maybe_twice, "}]")));
}

}  // namespace
}  // namespace barrage
