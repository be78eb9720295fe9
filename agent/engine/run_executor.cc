// Copyright 2026 The Barrage Authors.

#include "agent/engine/run_executor.h"

#include <sys/prctl.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/http/curl_multi_driver.h"
#include "agent/http/http1_driver.h"
#include "agent/http/http2_driver.h"
#include "agent/engine/flow_program.h"
#include "agent/http/network_shaper.h"
#include "agent/engine/request_picker.h"
#include "common/metrics/process_stats.h"

namespace barrage {

absl::StatusOr<std::unique_ptr<HttpClient>> MakeHttpClient(
    std::vector<HttpRequestTemplate> templates, const HttpClientOptions& options,
    Clock& clock) {
  // The shaper reads the templates' profiles; the driver takes them.
  std::vector<HttpRequestTemplate> shaped;
  if (ShapedHttpClient::Needed(templates)) shaped = templates;
  auto choose = [&]() -> absl::StatusOr<std::unique_ptr<HttpClient>> {
    if (options.engine == HttpEngine::kAuto && Http1Driver::Supports(templates, options)) {
      absl::StatusOr<std::unique_ptr<Http1Driver>> d =
          Http1Driver::Create(std::move(templates), options, clock);
      if (!d.ok()) return d.status();
      return std::unique_ptr<HttpClient>(std::move(*d));
    }
    if (options.engine == HttpEngine::kAuto && Http2Driver::Supports(templates, options)) {
      absl::StatusOr<std::unique_ptr<Http2Driver>> d =
          Http2Driver::Create(std::move(templates), options, clock);
      if (!d.ok()) return d.status();
      return std::unique_ptr<HttpClient>(std::move(*d));
    }
    absl::StatusOr<std::unique_ptr<CurlMultiDriver>> d =
        CurlMultiDriver::Create(std::move(templates), options, clock);
    if (!d.ok()) return d.status();
    return std::unique_ptr<HttpClient>(std::move(*d));
  };
  absl::StatusOr<std::unique_ptr<HttpClient>> client = choose();
  if (!client.ok() || shaped.empty()) return client;
  return std::unique_ptr<HttpClient>(std::make_unique<ShapedHttpClient>(
      *std::move(client), shaped, options.max_in_flight, clock, options.network_seed));
}

absl::StatusOr<HttpEngine> ParseHttpEngine(absl::string_view text) {
  if (text == "auto") return HttpEngine::kAuto;
  if (text == "curl") return HttpEngine::kCurl;
  return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not auto or curl"));
}

ClientFactory HttpClients(const AgentRunConfig& config) {
  HttpClientOptions options = config.http;
  const int workers = std::max(config.workers, 1);
  options.max_in_flight =
      std::max<size_t>(1, (config.max_in_flight + static_cast<size_t>(workers) - 1) /
                              static_cast<size_t>(workers));
  if (options.h2_connections <= 0) {
    // HTTP/2 connections for the worker's in-flight need: its share of the
    // peak VUs in a closed-model run, its max_in_flight otherwise.
    size_t need = options.max_in_flight;
    const auto& stages = config.scenario.stages;
    const bool closed = !stages.empty() && std::all_of(stages.begin(), stages.end(), [](const Stage& s) {
      return s.kind == Stage::Kind::kVus || s.kind == Stage::Kind::kVusRamp;
    });
    if (closed) {
      const auto vus = static_cast<size_t>(std::max<int64_t>(config.scenario.PeakVus(), 1));
      need = std::min(need, (vus + static_cast<size_t>(workers) - 1) / static_cast<size_t>(workers));
    }
    const auto streams = static_cast<size_t>(std::max(options.h2_max_streams, 1));
    options.h2_connections = static_cast<int>(std::max<size_t>(1, (need + streams - 1) / streams));
  }
  std::vector<HttpRequestTemplate> templates = BuildTemplates(config.scenario);
  return [options, templates](int, Clock& clock) {
    return MakeHttpClient(templates, options, clock);
  };
}

RunExecutor::RunExecutor(AgentRunConfig config, Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      templates_(BuildTemplates(config_.scenario)) {}

absl::StatusOr<std::unique_ptr<RunExecutor>> RunExecutor::Create(
    AgentRunConfig config, Clock& clock, ClientFactory clients) {
  // Templates, captures and checks compile in every worker; a scenario
  // whose do not is refused here, before any load.
  if (absl::StatusOr<FlowProgram> program = FlowProgram::Compile(config.scenario);
      !program.ok()) {
    return program.status();
  }
  std::unique_ptr<RunExecutor> ex(new RunExecutor(std::move(config), clock));
  const int workers = std::max(ex->config_.workers, 1);
  const size_t per_worker = std::max<size_t>(
      1, (ex->config_.max_in_flight + static_cast<size_t>(workers) - 1) /
             static_cast<size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    absl::StatusOr<std::unique_ptr<HttpClient>> client = clients(w, ex->clock_);
    if (!client.ok()) return client.status();
    WorkerConfig wc;
    wc.scenario = ex->config_.scenario;
    wc.period = ex->config_.period;
    wc.slots = ex->config_.slots;
    wc.worker = w;
    wc.workers = workers;
    wc.arrivals = ex->config_.arrivals;
    wc.seed = ex->config_.seed;
    wc.max_in_flight = per_worker;
    wc.max_lag_ns = ex->config_.max_lag_ns;
    wc.late_ns = ex->config_.late_ns;
    wc.interval_ns = ex->config_.interval_ns;
    wc.from_ns = ex->config_.from_ns;
    for (const std::shared_ptr<DataFeed>& feed : ex->config_.data) {
      wc.data.push_back(feed->source(w));
    }
    auto worker = std::make_unique<Worker>(std::move(wc), **client);
    if (!worker->status().ok()) return worker->status();
    ex->workers_.push_back(std::move(worker));
    ex->clients_.push_back(std::move(*client));
  }
  return ex;
}

RunExecutor::~RunExecutor() {
  Stop(true);
  Wait();
}

void RunExecutor::Start(int64_t run_start_ns, ReportSink sink) {
  run_start_ns_ = run_start_ns;
  last_cpu_s_ = ProcessCpuSeconds();
  for (size_t w = 0; w < workers_.size(); ++w) {
    threads_.emplace_back([this, w] {
      // Wake at the intended send time, not up to 50 us after it (the
      // default timer slack of a normal thread).
      prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
      AwaitStart();  // all workers (and agents) begin together
      int64_t expected = 0;
      first_start_ns_.compare_exchange_strong(expected, clock_.NowNs());
      workers_[w]->Run(clock_, run_start_ns_, stop_, abandon_);
    });
  }
  reporter_ = std::thread([this, sink = std::move(sink)] { ReportLoop(sink); });
}

void RunExecutor::AwaitStart() {
  absl::MutexLock lock(&stop_mu_);
  // The clock decides when the start is reached; the wait is only how long
  // to nap before asking it again (once, with a real clock), or Stop().
  while (!stop_requested_) {
    const int64_t left = run_start_ns_ - clock_.NowNs();
    if (left <= 0) return;
    stop_mu_.AwaitWithTimeout(absl::Condition(&stop_requested_), absl::Nanoseconds(left));
  }
}

void RunExecutor::Stop(bool immediate) {
  {
    absl::MutexLock lock(&stop_mu_);
    stop_requested_ = true;
  }
  stop_.store(true);
  if (immediate) abandon_.store(true);
  for (auto& c : clients_) c->Wakeup();
}

void RunExecutor::Reassign(const std::vector<int64_t>& slots, int64_t from_ns, int64_t period) {
  for (auto& w : workers_) w->Reassign(slots, from_ns, period);
  for (auto& c : clients_) c->Wakeup();
}

void RunExecutor::StopAt(int64_t at_ns) {
  for (auto& w : workers_) w->StopAt(at_ns);
  for (auto& c : clients_) c->Wakeup();
}

void RunExecutor::Wait() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  if (reporter_.joinable()) reporter_.join();
}

v1::StatsReport RunExecutor::BuildReport(const IntervalStats& stats,
                                         int64_t interval, bool final) {
  v1::StatsReport report;
  report.set_agent_id(config_.agent_id);
  report.set_run_id(config_.run_id);
  report.set_seq(++seq_);
  report.set_interval_start_ns(interval * config_.interval_ns);
  report.set_interval_length_ns(config_.interval_ns);
  report.set_final(final);
  if (const int64_t first = first_start_ns_.load(); first != 0) {
    report.set_run_started_unix_ns(clock_.WallNs() - (clock_.NowNs() - first));
  }
  stats.ToReport(templates_, &report);
  const double cpu = ProcessCpuSeconds();
  v1::AgentCounters* c = report.mutable_counters();
  c->set_cpu_seconds(cpu - last_cpu_s_);
  c->set_workers(static_cast<uint32_t>(workers_.size()));
  if (!clients_.empty()) c->set_http_client(clients_[0]->name());
  c->set_max_in_flight(config_.max_in_flight);
  // The generator is the bottleneck when its threads are nearly saturated
  // and its schedule slips by more than 50 ms at the 99th percentile.
  const double busy = (cpu - last_cpu_s_) /
                      (static_cast<double>(config_.interval_ns) / 1e9) /
                      static_cast<double>(workers_.size());
  c->set_saturated((busy > 0.9 && stats.schedule_lag.Quantile(0.99) > 50'000) ||
                   stats.dropped > 0);
  last_cpu_s_ = cpu;
  return report;
}

void RunExecutor::ReportLoop(ReportSink sink) {
  IntervalStats merged(0, MakeStatsLayout(config_.scenario));
  for (int64_t k = config_.from_ns / config_.interval_ns;; ++k) {
    // Interval k closes at its end; give workers a moment past it.
    const int64_t deadline_ns = run_start_ns_ + (k + 1) * config_.interval_ns + 250'000'000;
    bool all_final = true;
    for (auto& w : workers_) {
      w->WaitClosed(k, absl::Nanoseconds(std::max<int64_t>(deadline_ns - clock_.NowNs(), 0)));
      all_final = all_final && w->final_published();
    }
    for (auto& w : workers_) w->TakeIntervals(merged);
    if (all_final) {
      sink(BuildReport(merged, k, /*final=*/true));
      return;
    }
    sink(BuildReport(merged, k, /*final=*/false));
    merged.Reset();
  }
}

}  // namespace barrage
