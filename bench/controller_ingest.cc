// Copyright 2026 The Barrage Authors.
//
// Controller ingest load: N simulated agents, each one gRPC stream, each
// sending a realistic 20-series StatsReport every second into a running run
// (so the controller validates, merges, windows and judges them for real).
//
//   controller_ingest --controller 127.0.0.1:7400 --agents 1000 --seconds 25
//
// Used by bench/controller_ingest.sh, which measures the controller process.

#include <atomic>
#include <chrono>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "barrage/v1/agent.grpc.pb.h"
#include "barrage/v1/control.grpc.pb.h"
#include "common/stats/histogram.h"
#include "common/stats/histogram_codec.h"
#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"

ABSL_FLAG(std::string, controller, "127.0.0.1:7400", "controller address");
ABSL_FLAG(int, agents, 100, "simulated agents");
ABSL_FLAG(int, seconds, 25, "how long to report");

namespace v1 = barrage::v1;

namespace {

constexpr int kRequests = 10;  // x 2 outcomes = 20 series

std::string ScenarioYaml(int agents, int seconds) {
  std::string y = absl::StrCat("name: ingest\ntarget: http://127.0.0.1:9\n",
                               "agents: {min: ", agents, ", wait: 120s}\nrequests:\n");
  for (int i = 0; i < kRequests; ++i) absl::StrAppend(&y, "  - {name: r", i, ", path: /", i, "}\n");
  absl::StrAppend(&y, "stages: [{duration: ", seconds + 60, "s, rate: ", agents * 100, "/s}]\n",
                  "thresholds:\n  - {metric: p95, below: 500ms, window: 10s}\n",
                  "  - {metric: error_rate, below: 1%, window: 60s}\n");
  return y;
}

// One second of one agent: 100 requests spread over the series, lognormal
// latencies around 20 ms; a few errors.
std::vector<v1::SeriesDelta> Series(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(std::log(20'000.0), 0.6);
  std::vector<v1::SeriesDelta> out;
  for (int r = 0; r < kRequests; ++r) {
    for (v1::Outcome o : {v1::OUTCOME_OK, v1::OUTCOME_HTTP_ERROR}) {
      barrage::Histogram h;
      const int n = o == v1::OUTCOME_OK ? 10 : 1;
      for (int k = 0; k < n; ++k) h.Record(static_cast<uint64_t>(latency(rng)));
      v1::SeriesDelta s;
      s.set_request(absl::StrCat("r", r));
      s.set_outcome(o);
      barrage::EncodeHistogram(h, s.mutable_response());
      barrage::EncodeHistogram(h, s.mutable_service());
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string address = absl::GetFlag(FLAGS_controller);
  const int n = absl::GetFlag(FLAGS_agents);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  std::atomic<int> reporting{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
      auto stub = v1::AgentControl::NewStub(channel);
      grpc::ClientContext ctx;
      auto stream = stub->Connect(&ctx);
      v1::AgentMessage hello;
      hello.mutable_hello()->set_agent_id(absl::StrCat("sim-", i));
      hello.mutable_hello()->set_capacity(1);
      hello.mutable_hello()->set_histogram_digits(3);
      stream->Write(hello);
      v1::ControllerMessage in;
      std::string run_id;
      while (stream->Read(&in)) {
        if (in.has_start_run()) {
          run_id = in.start_run().run_id();
          break;
        }
      }
      if (run_id.empty()) return;
      v1::AgentMessage accepted;
      accepted.mutable_run_accepted()->set_run_id(run_id);
      stream->Write(accepted);
      std::thread drain([&] {
        v1::ControllerMessage ignored;
        while (stream->Read(&ignored)) {
        }
      });
      const std::vector<v1::SeriesDelta> series = Series(static_cast<uint64_t>(i) + 1);
      ++reporting;
      const auto begin = std::chrono::steady_clock::now();
      for (uint64_t seq = 1; seq <= static_cast<uint64_t>(seconds) && !stop.load(); ++seq) {
        v1::AgentMessage m;
        v1::StatsReport* r = m.mutable_stats();
        r->set_agent_id(absl::StrCat("sim-", i));
        r->set_run_id(run_id);
        r->set_seq(seq);
        r->set_interval_start_ns(static_cast<int64_t>(seq - 1) * 1'000'000'000);
        r->set_interval_length_ns(1'000'000'000);
        for (const auto& s : series) *r->add_series() = s;
        r->mutable_counters()->set_started(110);
        stream->Write(m);
        std::this_thread::sleep_until(begin + std::chrono::seconds(seq));
      }
      ctx.TryCancel();
      drain.join();
      stream->Finish();
    });
  }
  // Start the run once the agents are connected; consume its events.
  absl::StatusOr<barrage::Scenario> scenario =
      barrage::LoadScenarioYaml(ScenarioYaml(n, seconds), "ingest.yaml");
  if (!scenario.ok()) {
    std::cerr << scenario.status().message() << "\n";
    return 1;
  }
  auto control = v1::RunControl::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::StartRunRequest req;
  *req.mutable_scenario() = barrage::ScenarioToProto(*scenario);
  auto events = control->StartRun(&ctx, req);
  std::thread consumer([&] {
    v1::RunEvent e;
    while (events->Read(&e)) {
    }
  });
  for (int waited = 0; reporting.load() < n && waited < 600; ++waited) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  std::cout << "reporting agents: " << reporting.load() << std::endl;
  for (auto& t : threads) t.join();
  grpc::ClientContext stop_ctx;
  v1::StopRunRequest stop_req;
  stop_req.set_immediate(true);
  v1::StopRunResponse stop_resp;
  control->StopRun(&stop_ctx, stop_req, &stop_resp);
  ctx.TryCancel();
  consumer.join();
  return 0;
}
