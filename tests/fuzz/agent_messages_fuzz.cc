// Copyright 2026 The Barrage Authors.
//
// libFuzzer: any bytes as a sequence of AgentMessages from agents of a
// running run, fed to the controller's coordinator and registry the way an
// agent session would. Nothing may crash; malformed reports are rejected
// and counted; the merge stays consistent.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "barrage/v1/agent.pb.h"
#include "common/scenario/yaml_loader.h"
#include "controller/run/run_coordinator.h"
#include "tests/support/fake_agent_handle.h"
#include "tests/support/fake_clock.h"

namespace {

using barrage::testing::FakeAgentHandle;

struct World {
  barrage::testing::FakeClock clock{1'000'000'000'000};
  barrage::AgentRegistry registry{clock, 3'000'000'000};
  barrage::RunCoordinator coordinator{registry, clock, barrage::CoordinatorOptions()};
  std::shared_ptr<FakeAgentHandle> a = std::make_shared<FakeAgentHandle>();
  std::shared_ptr<FakeAgentHandle> b = std::make_shared<FakeAgentHandle>();
  std::string run_id;
};

std::unique_ptr<World> NewWorld() {
  auto w = std::make_unique<World>();
  (void)w->registry.Register(barrage::testing::MakeHello("a"), w->a);
  (void)w->registry.Register(barrage::testing::MakeHello("b"), w->b);
  absl::StatusOr<barrage::Scenario> s = barrage::LoadScenarioYaml(
      "name: f\ntarget: http://127.0.0.1:9\nrequests: [{name: a, path: /}, {name: b, path: /b}]\n"
      "stages: [{duration: 30s, rate: 10/s}]\n"
      "thresholds: [{metric: p95, below: 100ms, window: 5s, abort: true}]\n",
      "f.yaml");
  (void)w->coordinator.StartRun(*s, "f.yaml");
  w->run_id = w->a->sent()[0].start_run().run_id();
  w->coordinator.OnAccepted("a", w->run_id);
  w->coordinator.OnAccepted("b", w->run_id);
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<World> w = NewWorld();
  // The input is a sequence of length-prefixed messages.
  size_t at = 0;
  int count = 0;
  while (at + 2 <= size && count++ < 32) {
    const size_t len = (static_cast<size_t>(data[at]) << 8 | data[at + 1]) % 4096;
    at += 2;
    if (at + len > size) break;
    barrage::v1::AgentMessage m;
    if (m.ParseFromArray(data + at, static_cast<int>(len))) {
      const std::string agent = (count % 2) ? "a" : "b";
      switch (m.kind_case()) {
        case barrage::v1::AgentMessage::kStats: {
          barrage::v1::StatsReport r = m.stats();
          if (r.run_id().empty()) r.set_run_id(w->run_id);  // reach deeper
          w->coordinator.OnStats(r);
          break;
        }
        case barrage::v1::AgentMessage::kRunAccepted:
          w->coordinator.OnAccepted(agent, m.run_accepted().run_id());
          break;
        case barrage::v1::AgentMessage::kRunRefused:
          w->coordinator.OnRefused(agent, m.run_refused().run_id(), m.run_refused().reason());
          break;
        case barrage::v1::AgentMessage::kHello:
          (void)w->registry.Register(m.hello(), std::make_shared<FakeAgentHandle>());
          break;
        default:
          break;
      }
    }
    at += len;
    w->clock.Advance(700'000'000);
    w->coordinator.Tick();
  }
  (void)w->coordinator.StopRun("", true);
  w->clock.Advance(20'000'000'000);
  w->coordinator.Tick();
  return 0;
}
