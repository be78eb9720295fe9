// Copyright 2026 The Barrage Authors.

#include "agent/daemon/agent_daemon.h"

#include <algorithm>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/metrics/process_stats.h"
#include "common/util/version.h"

namespace barrage {
namespace {

const char* const kVersion = VersionNumber();

// How far ahead of now a leaving agent stops firing (Leave()).
constexpr int64_t kLeaveLeadNs = 200'000'000;

// How often a run's unique sources report the rows taken between reports
// (DataUsed): a crash leaves about this much of them unknown.
constexpr int64_t kDataUseNs = 100'000'000;

// A session that lasted longer than this resets the reconnect backoff.
constexpr int64_t kLongSessionNs = 10'000'000'000;

}  // namespace

AgentDaemon::AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
                         Clock& clock)
    : AgentDaemon(std::move(options), std::move(dialer), clock,
                  std::make_unique<ClockWaiter>(clock), nullptr) {}

AgentDaemon::AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
                         Clock& clock, Waiter& waiter)
    : AgentDaemon(std::move(options), std::move(dialer), clock, nullptr, &waiter) {}

AgentDaemon::AgentDaemon(AgentDaemonOptions options, std::unique_ptr<ControlStreamDialer> dialer,
                         Clock& clock, std::unique_ptr<Waiter> own_waiter, Waiter* waiter)
    : options_(std::move(options)),
      policy_(options_.allow_targets, options_.max_rate_per_s,
              TlsRule{options_.require_tls_verify, options_.insecure_targets}),
      dialer_(std::move(dialer)),
      clock_(clock),
      own_waiter_(std::move(own_waiter)),
      waiter_(waiter != nullptr ? *waiter : *own_waiter_) {}

AgentDaemon::~AgentDaemon() {
  Shutdown();
  Reap(/*force_stop=*/true);
}

bool AgentDaemon::running() const {
  absl::MutexLock lock(&mu_);
  return executor_ != nullptr;
}

void AgentDaemon::Shutdown() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;  // releasing mu_ wakes a backoff wait
  if (stream_ != nullptr) stream_->Cancel();  // never blocks
}

void AgentDaemon::Leave(absl::Duration grace) {
  std::shared_ptr<RunExecutor> ex;
  std::string run_id;
  {
    absl::MutexLock lock(&mu_);
    leaving_ = true;
    if (!session_over_ && !run_done_) {
      ex = executor_;
      run_id = run_id_;
    }
  }
  if (!ex) {
    Shutdown();
    return;
  }
  // Far enough ahead that the controller tells the others before it comes.
  const int64_t stop_ns = std::max<int64_t>(ex->RunTimeNs(), 0) + kLeaveLeadNs;
  ex->StopAt(stop_ns);
  v1::AgentMessage m;
  m.mutable_leaving()->set_run_id(run_id);
  m.mutable_leaving()->set_stop_ms((stop_ns + 999'999) / 1'000'000);
  Send(std::move(m));
  if (options_.log) {
    options_.log(absl::StrCat("leaving run ", run_id, " at ", stop_ns / 1'000'000,
                              " ms (SIGTERM); the controller hands its share on"));
  }
  // The controller closes the stream once the final report is in; past half
  // the grace in-flight requests are abandoned, past all of it we go.
  const int64_t begun = clock_.NowNs();
  const int64_t grace_ns = absl::ToInt64Nanoseconds(grace);
  const int64_t abandon_at = begun + kLeaveLeadNs + grace_ns / 2;
  {
    absl::MutexLock lock(&mu_);
    waiter_.AwaitUntil(mu_, absl::Condition(&session_over_), abandon_at);
  }
  ex->Stop(/*immediate=*/true);  // no-op when already finished
  {
    absl::MutexLock lock(&mu_);
    waiter_.AwaitUntil(mu_, absl::Condition(&session_over_), begun + kLeaveLeadNs + grace_ns);
  }
  Shutdown();
}

void AgentDaemon::Send(v1::AgentMessage message) {
  absl::MutexLock lock(&mu_);
  if (!session_over_) outbox_.push_back(std::move(message));
}

void AgentDaemon::Refuse(const std::string& run_id, const absl::Status& why) {
  v1::AgentMessage reply;
  reply.mutable_run_refused()->set_run_id(run_id);
  reply.mutable_run_refused()->set_reason(std::string(why.message()));
  Send(std::move(reply));
}

void AgentDaemon::Reap(bool force_stop) {
  std::shared_ptr<RunExecutor> done;
  std::thread data_use;
  {
    absl::MutexLock lock(&mu_);
    if (!executor_ || (!force_stop && !run_done_)) return;
    done = std::move(executor_);
    run_id_.clear();
    data_use_stop_ = true;  // wakes DataUseLoop
    data_use = std::move(data_use_);
  }
  if (data_use.joinable()) data_use.join();
  if (force_stop) done->Stop(/*immediate=*/true);
  // Joins its threads; its sink takes mu_, so mu_ must not be held here.
  done->Wait();
  data_.Clear();
  metrics_.SetRunning(false);
}

void AgentDaemon::StartAssigned(const v1::StartRun& start) {
  Reap(/*force_stop=*/false);
  std::string running_id;
  bool busy = false;
  {
    absl::MutexLock lock(&mu_);
    busy = executor_ != nullptr;
    running_id = run_id_;
  }
  if (busy) {
    Refuse(start.run_id(),
           absl::FailedPreconditionError(absl::StrCat("already running ", running_id)));
    return;
  }
  // Only this (the session) thread starts runs, so the slot stays free
  // while the executor is built without the lock (it may resolve names).
  absl::StatusOr<AcceptedAssignment> a = policy_.CheckStartRun(start);
  if (!a.ok()) {
    Refuse(start.run_id(), a.status());
    return;
  }
  AgentRunConfig config;
  config.run_id = start.run_id();
  config.agent_id = options_.id;
  config.scenario = std::move(a->scenario);
  config.period = a->period;
  config.slots = std::move(a->slots);
  config.seed = a->seed;
  config.workers = Workers();
  config.max_in_flight = options_.max_in_flight;
  config.http.http = config.scenario.http;
  config.http.h2_connections = config.scenario.h2_connections.value_or(0);
  config.http.h2_max_streams = config.scenario.h2_max_streams.value_or(kDefaultH2MaxStreams);
  config.http.insecure = !config.scenario.tls.verify;
  config.http.ca_pem = config.scenario.tls.ca_pem;
  config.http.cert_pem = config.scenario.tls.cert_pem;
  config.http.key_pem = config.scenario.tls.key_pem;
  config.http.engine = options_.http_engine;
  // Joining mid-run: the run is already at resume_offset_ms when it starts.
  const int64_t resume_ns = std::max<int64_t>(start.resume_offset_ms(), 0) * 1'000'000;
  config.from_ns = resume_ns;
  // Data sources: the files were sent just before the StartRun.
  absl::StatusOr<std::vector<std::shared_ptr<DataFeed>>> feeds =
      data_.Feeds(start.run_id(), config.scenario, std::max(config.workers, 1), config.seed,
                  start.assignment().agents_in_run());
  if (!feeds.ok()) {
    Refuse(start.run_id(), feeds.status());
    return;
  }
  config.data = *std::move(feeds);
  if (options_.data_tap) options_.data_tap(config.data);
  const int64_t period = config.period;
  ClientFactory clients = HttpClients(config);
  absl::StatusOr<std::unique_ptr<RunExecutor>> ex =
      RunExecutor::Create(std::move(config), clock_, std::move(clients));
  if (!ex.ok()) {
    Refuse(start.run_id(), ex.status());
    return;
  }
  std::shared_ptr<RunExecutor> unused;  // destroyed (joined) outside mu_
  {
    absl::MutexLock lock(&mu_);
    if (session_over_) {
      // The lease expired meanwhile: no controller, no load.
      unused = std::move(*ex);
      return;
    }
    executor_ = std::move(*ex);
    run_id_ = start.run_id();
    run_done_ = false;
    period_ = period;
    // Queued before Start(), so the writer sends it before any report.
    v1::AgentMessage reply;
    reply.mutable_run_accepted()->set_run_id(start.run_id());
    outbox_.push_back(std::move(reply));
    // Unique sources ask for their first rows at once, ahead of the start.
    for (v1::AgentMessage& request : data_.InitialRequests(clock_.NowNs())) {
      if (options_.request_tap) options_.request_tap(request.data_request());
      outbox_.push_back(std::move(request));
    }
    if (data_.HasUnique()) {
      data_use_stop_ = false;
      data_use_ = std::thread([this] { DataUseLoop(); });
    }
    // Start() only spawns the threads. Reports come on the executor's
    // reporter thread.
    executor_->Start(clock_.NowNs() + a->start_delay_ns - resume_ns, [this](const v1::StatsReport& report) {
      v1::AgentMessage m;
      *m.mutable_stats() = report;
      {
        // Rows taken go with the report, taken and queued under mu_ as
        // DataUseLoop's are, so the final report carries the last of them;
        // data requests follow it.
        absl::MutexLock hold(&mu_);
        std::vector<v1::AgentMessage> requests =
            data_.OnReport(*m.mutable_stats(), clock_.NowNs());
        if (options_.report_tap) options_.report_tap(m.stats());
        if (options_.request_tap) {
          for (const v1::AgentMessage& r : requests) options_.request_tap(r.data_request());
        }
        metrics_.Account(m.stats());  // its own leaf lock
        if (!session_over_) {
          outbox_.push_back(std::move(m));
          for (v1::AgentMessage& r : requests) outbox_.push_back(std::move(r));
        }
        if (report.final()) run_done_ = true;
      }
    });
  }
  metrics_.SetRunning(true);
}

void AgentDaemon::Handle(const v1::ControllerMessage& m) {
  switch (m.kind_case()) {
    case v1::ControllerMessage::kStartRun:
      StartAssigned(m.start_run());
      break;
    case v1::ControllerMessage::kStopRun: {
      std::shared_ptr<RunExecutor> ex;
      {
        absl::MutexLock lock(&mu_);
        if (m.stop_run().run_id() == run_id_) ex = executor_;
      }
      if (ex) ex->Stop(m.stop_run().immediate());
      break;
    }
    case v1::ControllerMessage::kUpdateShare: {
      const v1::UpdateShare& u = m.update_share();
      std::shared_ptr<RunExecutor> ex;
      int64_t period = 0;
      {
        absl::MutexLock lock(&mu_);
        if (u.run_id() == run_id_) ex = executor_;
        period = period_;
      }
      if (!ex) break;  // not for this run: ignored
      if (u.period() > 0) period = u.period();
      absl::StatusOr<std::vector<int64_t>> slots = policy_.CheckUpdateShare(u, period);
      if (!slots.ok()) break;  // malformed: ignored
      {
        absl::MutexLock lock(&mu_);
        if (executor_ == ex) period_ = period;
      }
      ex->Reassign(*slots, u.from_ms() * 1'000'000, u.period());
      break;
    }
    case v1::ControllerMessage::kDataChunk:
      data_.OnChunk(m.data_chunk());
      break;
    case v1::ControllerMessage::kDataLease:
      data_.OnLease(m.data_lease());
      break;
    default:
      break;  // Ping, or a second Welcome: liveness only
  }
}

void AgentDaemon::WriteLoop(ControlStream& stream) {
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return session_over_ || !outbox_.empty();
  };
  mu_.Lock();
  while (true) {
    mu_.Await(absl::Condition(&ready));
    if (session_over_) break;
    v1::AgentMessage m = std::move(outbox_.front());
    outbox_.pop_front();
    mu_.Unlock();
    const bool written = stream.Write(m);  // may block: no lock held
    mu_.Lock();
    if (!written) break;  // the stream is over; the session's Read() ends too
  }
  mu_.Unlock();
}

void AgentDaemon::DataUseLoop() {
  absl::MutexLock lock(&mu_);
  while (!data_use_stop_) {
    waiter_.AwaitUntil(mu_, absl::Condition(&data_use_stop_), clock_.NowNs() + kDataUseNs);
    // After the final report nothing is left to take: its rows went with it.
    if (data_use_stop_ || session_over_ || run_done_) continue;
    std::optional<v1::AgentMessage> used = data_.TakeUsed();
    if (!used) continue;
    if (options_.data_used_tap) options_.data_used_tap(used->data_used());
    outbox_.push_back(*std::move(used));
  }
}

void AgentDaemon::HeartbeatLoop(ControlStream& stream, int64_t lease_ns, int64_t heartbeat_ns) {
  CpuRatioMeter cpu(clock_.NowNs(), CpuCores());
  int64_t next_beat_ns = clock_.NowNs();  // the first beat at once
  bool expired = false;
  mu_.Lock();
  while (!session_over_) {
    const int64_t now = clock_.NowNs();
    if (now - last_heard_ns_ > lease_ns) {
      expired = true;
      session_over_ = true;  // nothing more is sent, no run may start
      break;
    }
    if (now >= next_beat_ns) {
      v1::AgentMessage beat;
      v1::Heartbeat* h = beat.mutable_heartbeat();
      h->set_sent_unix_ms(clock_.WallNs() / 1'000'000);
      h->set_cpu_ratio(cpu.Sample(now));
      h->set_run_id(run_id_);
      outbox_.push_back(std::move(beat));
      next_beat_ns = now + heartbeat_ns;
      if (run_done_) {
        mu_.Unlock();
        Reap(/*force_stop=*/false);
        mu_.Lock();
        continue;
      }
    }
    waiter_.AwaitUntil(mu_, absl::Condition(&session_over_),
                       std::min(next_beat_ns, last_heard_ns_ + lease_ns + 1));
  }
  std::shared_ptr<RunExecutor> run = expired ? executor_ : nullptr;
  mu_.Unlock();
  if (!expired) return;
  // Lease expired: the controller is gone. No controller, no load.
  if (run) run->Stop(/*immediate=*/true);
  stream.Cancel();  // the session's Read() returns; it reaps the run
  if (options_.log) {
    options_.log(absl::StrCat("no word from the controller for ", lease_ns / 1'000'000,
                              " ms: stopping any run (dead-man switch)"));
  }
}

v1::AgentMessage AgentDaemon::Hello() const {
  v1::AgentMessage hello;
  v1::Hello* h = hello.mutable_hello();
  h->set_agent_id(options_.id);
  h->set_version(kVersion);
  const int workers = Workers();
  h->set_workers(workers);
  h->set_capacity(options_.capacity > 0 ? options_.capacity : workers);
  h->set_histogram_digits(3);
  h->set_max_rate_per_s(options_.max_rate_per_s);
  for (const std::string& p : options_.allow_targets) h->add_allow_targets(p);
  for (const auto& [k, v] : options_.labels) (*h->mutable_labels())[k] = v;
  h->set_require_tls_verify(options_.require_tls_verify);
  h->set_max_in_flight(static_cast<int64_t>(options_.max_in_flight));
  return hello;
}

namespace {

// Codes of a handshake refusal that retrying cannot fix (agent.proto).
bool IsPermanentRefusal(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status) ||
         absl::IsPermissionDenied(status) || absl::IsUnauthenticated(status);
}

}  // namespace

absl::Status AgentDaemon::Session() {
  absl::StatusOr<std::unique_ptr<ControlStream>> dialed = dialer_->Dial();
  if (!dialed.ok()) {
    if (options_.log) {
      options_.log(absl::StrCat("cannot dial the controller: ", dialed.status().message()));
    }
    return absl::OkStatus();
  }
  ControlStream& stream = **dialed;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::OkStatus();
    stream_ = &stream;
  }
  // Before the writer thread exists, this thread is the stream's writer.
  std::optional<v1::ControllerMessage> welcome;
  if (stream.Write(Hello())) welcome = stream.Read();
  if (welcome && welcome->has_welcome()) {
    const int64_t lease_ns = std::max<int64_t>(welcome->welcome().lease_ms(), 1000) * 1'000'000;
    const int64_t heartbeat_ns =
        std::max<int64_t>(welcome->welcome().heartbeat_interval_ms(), 100) * 1'000'000;
    {
      absl::MutexLock lock(&mu_);
      session_over_ = false;
      outbox_.clear();
      last_heard_ns_ = clock_.NowNs();
    }
    connected_.store(true);
    metrics_.SetConnected(true);
    std::thread writer([&] { WriteLoop(stream); });
    std::thread heartbeat([&] { HeartbeatLoop(stream, lease_ns, heartbeat_ns); });
    while (std::optional<v1::ControllerMessage> in = stream.Read()) {
      {
        absl::MutexLock lock(&mu_);
        last_heard_ns_ = clock_.NowNs();
      }
      Handle(*in);
    }
    {
      absl::MutexLock lock(&mu_);
      session_over_ = true;  // wakes the writer and the heartbeat
    }
    heartbeat.join();
    // The call is over, so a Write() in progress fails at once.
    writer.join();
  } else if (welcome) {
    // The controller broke the handshake: end the call and see why.
    stream.Cancel();
    while (stream.Read()) {
    }
  }
  connected_.store(false);
  metrics_.SetConnected(false);
  // Dead-man switch: no controller, no load.
  Reap(/*force_stop=*/true);
  {
    absl::MutexLock lock(&mu_);
    session_over_ = true;
    outbox_.clear();
    stream_ = nullptr;
  }
  const absl::Status status = stream.Finish();
  bool stopping = false;
  {
    absl::MutexLock lock(&mu_);
    stopping = stopping_;
  }
  if (stopping || status.ok() || absl::IsCancelled(status)) return absl::OkStatus();
  const bool refused = !(welcome && welcome->has_welcome());
  if (options_.log) options_.log(absl::StrCat("controller link closed: ", status.message()));
  // Only the handshake's refusal says something about this agent itself.
  return refused ? status : absl::OkStatus();
}

absl::Status AgentDaemon::Serve() {
  std::mt19937_64 rng(std::hash<std::string>()(options_.id) ^
                      static_cast<uint64_t>(clock_.NowNs()));
  int64_t backoff_ms = options_.backoff_initial_ms;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
    }
    const int64_t began = clock_.NowNs();
    const absl::Status refused = Session();
    if (IsPermanentRefusal(refused)) {
      return absl::Status(refused.code(),
                          absl::StrCat("the controller refused this agent: ", refused.message()));
    }
    absl::MutexLock lock(&mu_);
    if (stopping_ || leaving_) break;
    // A session that lasted resets the backoff; quick failures grow it. A
    // duplicate id waits the longest: the other agent may be there for good.
    if (clock_.NowNs() - began > kLongSessionNs) backoff_ms = options_.backoff_initial_ms;
    if (absl::IsAlreadyExists(refused)) backoff_ms = options_.backoff_max_ms;
    const int64_t wait_ms =
        backoff_ms / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(backoff_ms / 2 + 1));
    waiter_.AwaitUntil(mu_, absl::Condition(&stopping_), clock_.NowNs() + wait_ms * 1'000'000);
    backoff_ms = std::min(backoff_ms * 2, options_.backoff_max_ms);
  }
  return absl::OkStatus();
}

}  // namespace barrage
