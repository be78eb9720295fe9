// Copyright 2026 The Barrage Authors.

#include "agent/daemon/agent_daemon.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <unistd.h>

#include <cstdio>

#include <random>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/stats/histogram_codec.h"
#include "common/metrics/prometheus_text.h"
#include "common/scenario/codec.h"
#include "common/util/version.h"

namespace barrage {
namespace {

const char* const kVersion = VersionNumber();

int Cores() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

AgentDaemon::AgentDaemon(AgentDaemonOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  metrics_.Declare("barrage_agent_requests_total", MetricType::kCounter,
                   "Requests this agent completed, by outcome.", {"outcome"});
  metrics_.Declare("barrage_agent_dropped_requests_total", MetricType::kCounter,
                   "Requests never sent because they were later than the maximum lag.", {});
  metrics_.Declare("barrage_agent_in_flight_requests", MetricType::kGauge,
                   "Requests in flight at the last interval's end.", {});
  metrics_.Declare("barrage_agent_schedule_lag_seconds", MetricType::kSummary,
                   "Schedule lag quantiles over the last interval.", {});
  metrics_.Declare("barrage_agent_connected", MetricType::kGauge,
                   "1 while the agent holds a stream to its controller.", {});
  metrics_.Declare("barrage_agent_running", MetricType::kGauge,
                   "1 while the agent runs a share of a run.", {});
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    metrics_.Set("barrage_agent_requests_total", {OutcomeName(static_cast<Outcome>(o))}, 0);
  }
  metrics_.Set("barrage_agent_dropped_requests_total", {}, 0);
  metrics_.Set("barrage_agent_connected", {}, 0);
  metrics_.Set("barrage_agent_running", {}, 0);
}

void AgentDaemon::Account(const v1::StatsReport& report) {
  std::lock_guard<std::mutex> lock(totals_mu_);
  for (const v1::SeriesDelta& s : report.series()) {
    const int o = static_cast<int>(s.outcome()) - 1;  // proto enums start at 1
    if (o >= 0 && o < static_cast<int>(kOutcomeCount)) {
      outcome_totals_[static_cast<size_t>(o)] += s.response().count();
      metrics_.Set("barrage_agent_requests_total", {OutcomeName(static_cast<Outcome>(o))},
                   static_cast<double>(outcome_totals_[static_cast<size_t>(o)]));
    }
  }
  dropped_total_ += report.counters().dropped();
  metrics_.Set("barrage_agent_dropped_requests_total", {}, static_cast<double>(dropped_total_));
  metrics_.Set("barrage_agent_in_flight_requests", {},
               static_cast<double>(report.counters().in_flight()));
  if (absl::StatusOr<Histogram> lag = DecodeHistogram(report.counters().schedule_lag()); lag.ok()) {
    SummaryValue v;
    v.quantiles = {{"0.5", lag->Quantile(0.5) / 1e6}, {"0.99", lag->Quantile(0.99) / 1e6}};
    v.sum = static_cast<double>(lag->sum_us()) / 1e6;
    v.count = lag->count();
    metrics_.SetSummary("barrage_agent_schedule_lag_seconds", {}, std::move(v));
  }
}

std::string RenderAgentMetrics(MetricsRegistry& metrics) {
  std::vector<FamilySnapshot> families = metrics.Snapshot();
  FamilySnapshot cpu;
  cpu.name = "process_cpu_seconds_total";
  cpu.help = "Total user and system CPU time spent in seconds.";
  cpu.type = MetricType::kCounter;
  SeriesSnapshot cpu_value;
  cpu_value.value = ProcessCpuSeconds();
  cpu.series.push_back(cpu_value);
  FamilySnapshot rss;
  rss.name = "process_resident_memory_bytes";
  rss.help = "Resident memory size in bytes.";
  rss.type = MetricType::kGauge;
  long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    long size = 0;
    if (std::fscanf(f, "%ld %ld", &size, &pages) != 2) pages = 0;
    std::fclose(f);
  }
  SeriesSnapshot rss_value;
  rss_value.value = static_cast<double>(pages) * static_cast<double>(sysconf(_SC_PAGESIZE));
  rss.series.push_back(rss_value);
  families.push_back(std::move(cpu));
  families.push_back(std::move(rss));
  return RenderPrometheusText(families);
}

AgentDaemon::~AgentDaemon() {
  Shutdown();
  Reap(/*force_stop=*/true);
}

bool AgentDaemon::running() const {
  std::lock_guard<std::mutex> lock(run_mu_);
  return executor_ != nullptr;
}

void AgentDaemon::Shutdown() {
  stopping_.store(true);
  std::lock_guard<std::mutex> lock(ctx_mu_);
  if (context_ != nullptr) context_->TryCancel();
}

bool TargetAllowed(const std::string& pattern, const std::string& host) {
  const size_t slash = pattern.find('/');
  if (slash == std::string::npos) {
    return fnmatch(pattern.c_str(), host.c_str(), FNM_CASEFOLD) == 0;
  }
  // CIDR: the host must be an address literal of the same family inside it.
  int bits = 0;
  if (!absl::SimpleAtoi(pattern.substr(slash + 1), &bits)) return false;
  const std::string net = pattern.substr(0, slash);
  unsigned char a[16];
  unsigned char b[16];
  int family = AF_INET;
  size_t len = 4;
  if (inet_pton(AF_INET, net.c_str(), a) != 1) {
    family = AF_INET6;
    len = 16;
    if (inet_pton(AF_INET6, net.c_str(), a) != 1) return false;
  }
  if (inet_pton(family, host.c_str(), b) != 1) return false;
  if (bits < 0 || bits > static_cast<int>(len * 8)) return false;
  for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

std::string AgentDaemon::CheckAssignment(const Scenario& scenario,
                                         double share) const {
  if (!options_.allow_targets.empty()) {
    bool allowed = false;
    for (const std::string& pattern : options_.allow_targets) {
      allowed = allowed || TargetAllowed(pattern, scenario.target.host);
    }
    if (!allowed) {
      return absl::StrCat("target host ", scenario.target.host,
                          " is not allowed by this agent's --allow-target");
    }
  }
  if (options_.max_rate_per_s > 0) {
    const double mine = scenario.PeakRate().ToDouble() * share;
    if (mine > options_.max_rate_per_s) {
      return absl::StrCat("its share peaks at ", mine, " requests/s, above this agent's --max-rate ",
                          options_.max_rate_per_s, "/s");
    }
  }
  return "";
}

bool AgentDaemon::Write(const v1::AgentMessage& message) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return stream_ != nullptr && stream_->Write(message);
}

void AgentDaemon::Reap(bool force_stop) {
  std::unique_ptr<RunExecutor> done;
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    if (!executor_ || (!force_stop && !run_done_.load())) return;
    if (force_stop) executor_->Stop(/*immediate=*/true);
    done = std::move(executor_);
    run_id_.clear();
  }
  done->Wait();
}

void AgentDaemon::StartAssigned(const v1::StartRun& start) {
  v1::AgentMessage reply;
  auto refuse = [&](const std::string& reason) {
    reply.mutable_run_refused()->set_run_id(start.run_id());
    reply.mutable_run_refused()->set_reason(reason);
    Write(reply);
  };
  Reap(/*force_stop=*/false);
  std::lock_guard<std::mutex> lock(run_mu_);
  if (executor_) {
    refuse(absl::StrCat("already running ", run_id_));
    return;
  }
  absl::StatusOr<Scenario> scenario = ScenarioFromProto(start.scenario());
  if (!scenario.ok()) {
    refuse(std::string(scenario.status().message()));
    return;
  }
  const v1::Assignment& a = start.assignment();
  std::vector<int64_t> slots(a.slots().begin(), a.slots().end());
  if (a.period() <= 0 || a.period() > (int64_t{1} << 20) || slots.empty() ||
      !std::is_sorted(slots.begin(), slots.end()) || slots.front() < 0 ||
      slots.back() >= a.period() || start.start_delay_ms() < 0 ||
      start.start_delay_ms() > 60'000) {
    refuse("malformed assignment");
    return;
  }
  const double share = static_cast<double>(slots.size()) / static_cast<double>(a.period());
  if (std::string why = CheckAssignment(*scenario, share); !why.empty()) {
    refuse(why);
    return;
  }
  AgentRunConfig config;
  config.run_id = start.run_id();
  config.agent_id = options_.id;
  config.scenario = *scenario;
  config.period = a.period();
  config.slots = std::move(slots);
  config.seed = a.seed();
  config.workers = options_.workers > 0 ? options_.workers : Cores();
  config.max_in_flight = options_.max_in_flight;
  config.http.http = scenario->http;
  config.http.insecure = options_.insecure_targets;
  config.http.engine = options_.http_engine;
  absl::StatusOr<std::unique_ptr<RunExecutor>> ex =
      RunExecutor::Create(config, clock_, HttpClients(config));
  if (!ex.ok()) {
    refuse(std::string(ex.status().message()));
    return;
  }
  executor_ = std::move(*ex);
  run_id_ = start.run_id();
  run_done_.store(false);
  reply.mutable_run_accepted()->set_run_id(start.run_id());
  Write(reply);
  executor_->Start(clock_.NowNs() + start.start_delay_ms() * 1'000'000,
                   [this](const v1::StatsReport& report) {
                     v1::AgentMessage m;
                     *m.mutable_stats() = report;
                     if (options_.report_tap) options_.report_tap(report);
                     Account(report);
                     Write(m);
                     if (report.final()) run_done_.store(true);
                   });
}

void AgentDaemon::Handle(const v1::ControllerMessage& m) {
  switch (m.kind_case()) {
    case v1::ControllerMessage::kStartRun:
      StartAssigned(m.start_run());
      break;
    case v1::ControllerMessage::kStopRun: {
      std::lock_guard<std::mutex> lock(run_mu_);
      if (executor_ && m.stop_run().run_id() == run_id_) {
        executor_->Stop(m.stop_run().immediate());
      }
      break;
    }
    case v1::ControllerMessage::kUpdateShare: {
      const v1::UpdateShare& u = m.update_share();
      std::vector<int64_t> slots(u.slots().begin(), u.slots().end());
      std::lock_guard<std::mutex> lock(run_mu_);
      if (!executor_ || u.run_id() != run_id_ || slots.empty() ||
          !std::is_sorted(slots.begin(), slots.end()) || slots.front() < 0 ||
          slots.back() >= executor_->config().period || u.from_ms() < 0) {
        break;  // not for this run, or malformed: ignored
      }
      executor_->Reassign(slots, u.from_ms() * 1'000'000);
      break;
    }
    default:
      break;  // Ping, or a second Welcome: liveness only
  }
}

void AgentDaemon::Session() {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!options_.tls_ca_pem.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options_.tls_ca_pem;
    ssl.pem_private_key = options_.tls_key_pem;
    ssl.pem_cert_chain = options_.tls_cert_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateChannel(options_.controller, credentials);
  auto stub = v1::AgentControl::NewStub(channel);
  grpc::ClientContext context;
  {
    std::lock_guard<std::mutex> lock(ctx_mu_);
    if (stopping_.load()) return;
    context_ = &context;
  }
  std::unique_ptr<grpc::ClientReaderWriter<v1::AgentMessage, v1::ControllerMessage>>
      stream = stub->Connect(&context);
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    stream_ = stream.get();
  }
  v1::AgentMessage hello;
  v1::Hello* h = hello.mutable_hello();
  h->set_agent_id(options_.id);
  h->set_version(kVersion);
  const int workers = options_.workers > 0 ? options_.workers : Cores();
  h->set_workers(workers);
  h->set_capacity(options_.capacity > 0 ? options_.capacity : workers);
  h->set_histogram_digits(3);
  h->set_max_rate_per_s(options_.max_rate_per_s);
  for (const std::string& p : options_.allow_targets) h->add_allow_targets(p);
  v1::ControllerMessage in;
  if (Write(hello) && stream->Read(&in) && in.has_welcome()) {
    lease_ns_ = std::max<int64_t>(in.welcome().lease_ms(), 1000) * 1'000'000;
    heartbeat_ns_ = std::max<int64_t>(in.welcome().heartbeat_interval_ms(), 100) * 1'000'000;
    connected_.store(true);
    metrics_.Set("barrage_agent_connected", {}, 1);
    last_heard_ns_.store(clock_.NowNs());
    std::atomic<bool> session_over{false};
    std::thread heartbeat([&] {
      double last_cpu = ProcessCpuSeconds();
      int64_t last_wall = clock_.NowNs();
      const double cores = static_cast<double>(Cores());
      while (!session_over.load()) {
        if (clock_.NowNs() - last_heard_ns_.load() > lease_ns_) {
          // Lease expired: the controller is gone. No controller, no load.
          if (options_.log) {
            options_.log(absl::StrCat("no word from the controller for ", lease_ns_ / 1'000'000,
                                      " ms: stopping any run (dead-man switch)"));
          }
          context.TryCancel();
          break;
        }
        v1::AgentMessage beat;
        beat.mutable_heartbeat()->set_sent_unix_ms(absl::ToUnixMillis(absl::Now()));
        const double cpu = ProcessCpuSeconds();
        const int64_t wall = clock_.NowNs();
        if (wall > last_wall) {
          beat.mutable_heartbeat()->set_cpu_ratio(
              (cpu - last_cpu) / (static_cast<double>(wall - last_wall) / 1e9) / cores);
        }
        last_cpu = cpu;
        last_wall = wall;
        metrics_.Set("barrage_agent_running", {}, running() ? 1 : 0);
        {
          std::lock_guard<std::mutex> lock(run_mu_);
          beat.mutable_heartbeat()->set_run_id(run_id_);
        }
        Write(beat);
        Reap(/*force_stop=*/false);
        for (int64_t slept = 0; slept < heartbeat_ns_ && !session_over.load();
             slept += 50'000'000) {
          absl::SleepFor(absl::Milliseconds(50));
        }
      }
    });
    while (stream->Read(&in)) {
      last_heard_ns_.store(clock_.NowNs());
      Handle(in);
    }
    session_over.store(true);
    heartbeat.join();
  }
  connected_.store(false);
  metrics_.Set("barrage_agent_connected", {}, 0);
  // Dead-man switch: no controller, no load.
  Reap(/*force_stop=*/true);
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    stream_ = nullptr;
  }
  // Read() has failed, so the call is over: Finish() returns at once with
  // the controller's reason (or the transport's).
  const grpc::Status status = stream->Finish();
  if (options_.log && !status.ok() && !stopping_.load() &&
      status.error_code() != grpc::StatusCode::CANCELLED) {
    options_.log(absl::StrCat("controller link closed: ", status.error_message()));
  }
  std::lock_guard<std::mutex> lock(ctx_mu_);
  context_ = nullptr;
}

void AgentDaemon::Run() {
  std::mt19937_64 rng(std::hash<std::string>()(options_.id) ^
                      static_cast<uint64_t>(clock_.NowNs()));
  int64_t backoff = options_.backoff_initial_ms;
  while (!stopping_.load()) {
    const int64_t began = clock_.NowNs();
    Session();
    if (stopping_.load()) break;
    // A session that lasted resets the backoff; quick failures grow it.
    if (clock_.NowNs() - began > 10'000'000'000) backoff = options_.backoff_initial_ms;
    const int64_t jittered = backoff / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(backoff / 2 + 1));
    for (int64_t slept = 0; slept < jittered && !stopping_.load(); slept += 20) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    backoff = std::min(backoff * 2, options_.backoff_max_ms);
  }
}

}  // namespace barrage
