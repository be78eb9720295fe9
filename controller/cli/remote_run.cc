// Copyright 2026 The Barrage Authors.

#include "controller/cli/remote_run.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "barrage/v1/control.grpc.pb.h"
#include "common/util/exit_codes.h"
#include "common/util/host_port.h"
#include "common/util/json_writer.h"
#include "common/scenario/codec.h"
#include "controller/cli/data_upload.h"
#include "controller/cli/progress_line.h"
#include "controller/cli/trend_command.h"
#include "controller/report/summary_text.h"

namespace barrage {
namespace {

// A stub for the controller, once its channel is up (within 5 s).
absl::StatusOr<std::unique_ptr<v1::RunControl::Stub>> Dial(const RemoteOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ControllerCredentials(options.controller, options.tls_ca_pem, options.insecure);
  if (!credentials.ok()) return credentials.status();
  auto channel = grpc::CreateChannel(options.controller, *credentials);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach the controller at ", options.controller));
  }
  return v1::RunControl::NewStub(channel);
}

// Dial, saying why not on `err`.
std::unique_ptr<v1::RunControl::Stub> Connect(const RemoteOptions& options,
                                              std::ostream& err) {
  absl::StatusOr<std::unique_ptr<v1::RunControl::Stub>> stub = Dial(options);
  if (!stub.ok()) {
    err << "barrage: " << stub.status().message() << "\n";
    return nullptr;
  }
  return *std::move(stub);
}

void Authorize(const RemoteOptions& options, grpc::ClientContext& context) {
  if (!options.token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options.token);
  }
}

int CodeFor(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:  // the run named does not exist
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitUsage;
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitCannotStart;
    default:
      return kExitInternal;
  }
}

// One unary call to the controller for `command` ("barrage runs"):
// connects, authorizes and calls; kExitPassed, or it says why on `err` and
// returns the exit code.
template <typename Request, typename Response>
int Call(const RemoteOptions& options, const char* command,
         grpc::Status (v1::RunControl::Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                   Response*),
         const Request& request, Response* response, std::ostream& err) {
  std::unique_ptr<v1::RunControl::Stub> stub = Connect(options, err);
  if (!stub) return kExitCannotStart;
  grpc::ClientContext context;
  Authorize(options, context);
  const grpc::Status s = ((*stub).*rpc)(&context, request, response);
  if (!s.ok()) {
    err << command << ": " << s.error_message() << "\n";
    return CodeFor(s);
  }
  return kExitPassed;
}

// The result JSON the CLI can still write when it lost the controller
// mid-run: what the last progress said, marked incomplete (README "Result
// JSON").
std::string IncompleteResultJson(const std::string& run_id, const Scenario& scenario,
                                 const v1::Progress* last, const std::string& why) {
  JsonWriter j;
  j.BeginObject();
  j.Key("version").Int(1);
  j.Key("run").String(run_id);
  j.Key("scenario").String(scenario.name);
  j.Key("status").String("incomplete");
  j.Key("incomplete").Bool(true);
  j.Key("error").String(why);
  j.Key("duration_s").Double(last != nullptr ? last->elapsed_s() : 0, 3);
  if (last != nullptr) {
    const double rate = last->requests() == 0 ? 0
                                              : static_cast<double>(last->errors()) /
                                                    static_cast<double>(last->requests());
    j.Key("totals").BeginObject();
    j.Key("requests").Uint(last->requests());
    j.Key("errors").Uint(last->errors());
    j.Key("error_rate").Double(rate, 6);
    j.Key("dropped").Uint(last->dropped());
    j.EndObject();
    j.Key("last_progress").BeginObject();
    j.Key("elapsed_s").Double(last->elapsed_s(), 3);
    j.Key("total_s").Double(last->total_s(), 3);
    j.Key("target_rps").Double(last->target_rps(), 3);
    j.Key("achieved_rps").Double(last->achieved_rps(), 3);
    j.Key("p50_ms_10s").Double(last->p50_ms_10s(), 3);
    j.Key("p95_ms_10s").Double(last->p95_ms_10s(), 3);
    j.Key("p99_ms_10s").Double(last->p99_ms_10s(), 3);
    j.Key("agents").Int(last->agents());
    j.EndObject();
  }
  j.EndObject();
  return j.text() + "\n";
}

// A run's event stream, read on its own thread (Read() blocks) and handed
// to the thread that owns the CLI's output, which alone prints.
class EventStream {
 public:
  explicit EventStream(std::unique_ptr<grpc::ClientReader<v1::RunEvent>> reader)
      : reader_(std::move(reader)), thread_([this] { ReadAll(); }) {}
  ~EventStream() { thread_.join(); }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Waits up to `timeout` for events and moves those that came into
  // `events` (which it clears first). False once the stream has ended and
  // everything read was handed over.
  bool Next(absl::Duration timeout, std::vector<v1::RunEvent>& events) {
    events.clear();
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !pending_.empty() || ended_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
    if (pending_.empty()) return !ended_;
    events.swap(pending_);
    return true;
  }
  // The stream's final status; waits for its end.
  grpc::Status Finish() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&ended_));
    return status_;
  }

 private:
  void ReadAll() {
    v1::RunEvent e;
    while (reader_->Read(&e)) {
      absl::MutexLock lock(&mu_);
      pending_.push_back(std::move(e));
      e = v1::RunEvent();
    }
    grpc::Status status = reader_->Finish();
    absl::MutexLock lock(&mu_);
    status_ = std::move(status);
    ended_ = true;
  }

  const std::unique_ptr<grpc::ClientReader<v1::RunEvent>> reader_;
  absl::Mutex mu_;
  std::vector<v1::RunEvent> pending_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once the rest is built
};

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ControllerCredentials(
    const std::string& address, const std::string& tls_ca_pem, bool insecure) {
  if (!tls_ca_pem.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = tls_ca_pem;
    return grpc::SslCredentials(ssl);
  }
  if (!IsLoopbackAddress(address) && !insecure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing plaintext to non-loopback ", address, ": give --tls-ca, or --insecure"));
  }
  return grpc::InsecureChannelCredentials();
}

int RunRemote(const Scenario& scenario, const std::string& file,
              const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  std::unique_ptr<v1::RunControl::Stub> stub = Connect(options, err);
  if (!stub) return kExitCannotStart;
  if (options.data != nullptr && !options.data->empty()) {
    const absl::Status uploaded = UploadDataFiles(
        *stub, *options.data, [&options](grpc::ClientContext& c) { Authorize(options, c); });
    if (!uploaded.ok()) {
      err << "barrage run: " << uploaded.message() << "\n";
      return absl::IsUnauthenticated(uploaded) ? kExitUsage : kExitCannotStart;
    }
  }
  grpc::ClientContext context;
  Authorize(options, context);
  v1::StartRunRequest request;
  *request.mutable_scenario() = ScenarioToProto(scenario);
  request.set_scenario_file(file);
  EventStream stream(stub->StartRun(&context, request));

  // This thread owns `out` and `err`: it prints the events the stream's
  // thread hands over, and answers Ctrl-C (the first asks the controller to
  // stop gracefully, the second at once). The count is set by a signal
  // handler, which can wake no one, so it is looked at whenever an event
  // comes and at least every 50 ms.
  int handled = options.interrupt ? options.interrupt->load() : 0;
  std::string run_id;
  const bool tty = isatty(STDOUT_FILENO) != 0;
  // On a terminal the line is rewritten in place, so it must not wrap.
  const int columns = TerminalColumns();
  int code = kExitInternal;
  bool have_result = false;
  bool in_line = false;
  v1::Progress last_progress;
  bool have_progress = false;
  std::vector<v1::RunEvent> events;
  while (stream.Next(absl::Milliseconds(50), events)) {
    if (options.interrupt != nullptr && options.interrupt->load() > handled) {
      const int level = options.interrupt->load();
      handled = level;
      grpc::ClientContext stop_context;
      Authorize(options, stop_context);
      // Bounded, as this thread also prints the run's events.
      stop_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      v1::StopRunRequest stop;
      stop.set_run_id(run_id);
      stop.set_immediate(level >= 2);
      v1::StopRunResponse ignored;
      stub->StopRun(&stop_context, stop, &ignored);
      if (!options.quiet) {
        out << (level >= 2 ? "\nstopping now\n"
                           : "\nstopping: in-flight requests finish (Ctrl-C again to abandon them)\n");
        in_line = false;
        out.flush();
      }
    }
    for (const v1::RunEvent& e : events) {
      if (e.has_accepted()) {
        run_id = e.accepted().run_id();
        if (!options.quiet) {
          out << "barrage run " << e.accepted().run_id() << ": " << scenario.name << " -> "
              << scenario.target.url
              << (options.target_source.empty() ? ""
                                                : absl::StrCat(" (", options.target_source, ")"))
              << " on " << e.accepted().agents_size() << " agent(s), "
              << HumanDuration(scenario.TotalDuration()) << "\n";
          out.flush();
        }
      } else if (e.has_progress()) {
        last_progress = e.progress();
        have_progress = true;
        if (!options.quiet) {
          out << (tty ? "\r\033[K" : "") << ProgressLine(e.progress(), columns) << (tty ? "" : "\n");
          in_line = tty;
          out.flush();
        }
      } else if (e.has_event()) {
        if (!options.quiet) {
          const auto& n = e.event();
          out << (in_line ? "\n" : "")
              << absl::StrFormat("  [%.1f s] %s %s %s", n.at_s(), n.kind(), n.agent(), n.detail())
              << "\n";
          in_line = false;
          out.flush();
        }
      } else if (e.has_result()) {
        if (in_line) out << "\n";
        in_line = false;
        have_result = true;
        code = e.result().exit_code();
        if (options.on_result) options.on_result(run_id, e.result().summary_json());
        out << e.result().summary_text();
        if (!e.result().error().empty()) err << "barrage run: " << e.result().error() << "\n";
        if (!WriteReportOutputs(options.outputs, e.result().summary_json(), ReportOptions(),
                                err)
                 .ok()) {
          code = kExitInternal;
        }
      }
    }
  }
  const grpc::Status status = stream.Finish();
  if (in_line) out << "\n";
  if (!status.ok() && !run_id.empty() && !have_result) {
    // The run was accepted, then the stream broke: the controller died or
    // the network went. The run's last checkpoint is in its store.
    err << "barrage run: lost the controller at " << options.controller << " during run "
        << run_id << " (" << status.error_message() << ")\n"
        << "  the run's last checkpoint is in the controller's store: once it is back "
           "(on the same --data), 'barrage report "
        << run_id << "' shows it\n";
    for (const ReportOutput& o : options.outputs) {
      if (o.format != ReportFormat::kJson) continue;  // the others need the result
      std::ofstream f(o.path);
      f << IncompleteResultJson(run_id, scenario, have_progress ? &last_progress : nullptr,
                                absl::StrCat("lost the controller: ", status.error_message()));
      if (!f) {
        err << "barrage run: cannot write " << o.path << "\n";
      } else {
        err << "  wrote what the last progress said to " << o.path
            << " (status incomplete)\n";
      }
    }
    return kExitControllerLost;
  }
  if (!status.ok()) {
    err << "barrage run: " << status.error_message() << "\n";
    return CodeFor(status);
  }
  if (!have_result) {
    err << "barrage run: the controller ended the stream without a result\n";
    return kExitInternal;
  }
  return code;
}

int RunAgents(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  v1::ListAgentsResponse response;
  if (const int code = Call(options, "barrage agents", &v1::RunControl::Stub::ListAgents,
                            v1::ListAgentsRequest(), &response, err);
      code != kExitPassed) {
    return code;
  }
  // One line per agent; LIMITS: --max-rate, --allow-target, --require-tls-verify.
  out << absl::StrFormat("%-24s %-8s %-7s %-8s %-9s %-8s %-20s %-16s %s\n", "AGENT", "VERSION",
                         "WORKERS", "CAPACITY", "IN-FLIGHT", "STATE", "LABELS", "RUN", "LIMITS");
  for (const auto& a : response.agents()) {
    const std::map<std::string, std::string> labels(a.labels().begin(), a.labels().end());
    std::vector<std::string> limits;
    if (a.max_rate_per_s() > 0) limits.push_back(absl::StrCat("max-rate=", a.max_rate_per_s(), "/s"));
    if (a.allow_targets_size() > 0) {
      limits.push_back(absl::StrCat("allow-targets=", absl::StrJoin(a.allow_targets(), ",")));
    }
    if (a.require_tls_verify()) limits.push_back("require-tls-verify");
    out << absl::StrFormat("%-24s %-8s %-7d %-8d %-9d %-8s %-20s %-16s %s\n", a.id(),
                           a.version(), a.workers(), a.capacity(), a.max_in_flight(), a.state(),
                           labels.empty() ? "-" : absl::StrJoin(labels, ",", absl::PairFormatter("=")),
                           a.run_id().empty() ? "-" : a.run_id(),
                           limits.empty() ? "-" : absl::StrJoin(limits, " "));
  }
  out << response.agents_size() << " agent(s)\n";
  return kExitPassed;
}

int RunStatus(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  v1::RunStatus status;
  if (const int code = Call(options, "barrage status", &v1::RunControl::Stub::GetStatus,
                            v1::GetStatusRequest(), &status, err);
      code != kExitPassed) {
    return code;
  }
  if (status.run_id().empty()) {
    out << "no run yet\n";
    return kExitPassed;
  }
  out << status.run_id() << "  " << status.scenario() << "  " << status.state() << "\n";
  if (status.has_progress()) out << ProgressLine(status.progress(), TerminalColumns()) << "\n";
  return kExitPassed;
}

int RunStop(const RemoteOptions& options, const std::string& run_id, bool immediate,
            std::ostream& out, std::ostream& err) {
  v1::StopRunRequest request;
  request.set_run_id(run_id);
  request.set_immediate(immediate);
  v1::StopRunResponse response;
  if (const int code = Call(options, "barrage stop", &v1::RunControl::Stub::StopRun, request,
                            &response, err);
      code != kExitPassed) {
    return code;
  }
  out << "stopping " << (run_id.empty() ? "the active run" : run_id)
      << (immediate ? " now\n" : "\n");
  return kExitPassed;
}

int RunRuns(const RemoteOptions& options, const RunsQuery& query, std::ostream& out,
            std::ostream& err) {
  v1::ListRunsRequest request;
  request.set_limit(query.limit);
  request.set_scenario(query.scenario);
  v1::ListRunsResponse response;
  if (const int code = Call(options, "barrage runs", &v1::RunControl::Stub::ListRuns,
                            request, &response, err);
      code != kExitPassed) {
    return code;
  }
  out << absl::StrFormat("%-26s %-12s %-24s %-21s %9s %10s %8s %9s %9s %9s %10s\n", "RUN",
                         "STATUS", "SCENARIO", "STARTED", "DURATION", "REQUESTS", "ERRORS",
                         "P95", "P50", "P99", "RATE");
  for (const auto& r : response.runs()) {
    out << absl::StrFormat(
        "%-26s %-12s %-24s %-21s %8.1fs %10d %7.2f%% %7.2fms %7.2fms %7.2fms %8.1f/s\n",
        r.run_id(), r.status(), r.scenario(), r.started_at(), r.duration_s(), r.requests(),
        100.0 * r.error_rate(), r.p95_ms(), r.p50_ms(), r.p99_ms(), r.achieved_rps());
  }
  return kExitPassed;
}

int ShowReport(const RemoteOptions& options, const std::string& run_id, ReportFormat format,
               const std::string& path, ReportOptions report_options, std::ostream& out,
               std::ostream& err) {
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::StoredRun run;
  if (const int code = Call(options, "barrage report", &v1::RunControl::Stub::GetRun, request,
                            &run, err);
      code != kExitPassed) {
    return code;
  }
  // html from a stored run shows its scenario's trend when the store has
  // history; without it the report is still written.
  if (format == ReportFormat::kHtml) {
    absl::StatusOr<std::vector<TrendPoint>> trend =
        TrendPointsFor(options, run.scenario(), run_id);
    if (trend.ok()) {
      report_options.html.trend = *std::move(trend);
    } else {
      err << "barrage report: no trend: " << trend.status().message() << "\n";
    }
  }
  return EmitReport(format, run.result_json(), run_id, path, report_options, out, err);
}

absl::StatusOr<std::vector<v1::StoredRun>> FetchRuns(const RemoteOptions& options,
                                                     const v1::ListRunsRequest& request) {
  absl::StatusOr<std::unique_ptr<v1::RunControl::Stub>> stub = Dial(options);
  if (!stub.ok()) return stub.status();
  grpc::ClientContext context;
  Authorize(options, context);
  v1::ListRunsResponse response;
  if (const grpc::Status s = (*stub)->ListRuns(&context, request, &response); !s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  }
  return std::vector<v1::StoredRun>(response.runs().begin(), response.runs().end());
}

absl::StatusOr<v1::StoredRun> FetchRun(const RemoteOptions& options, const std::string& run_id) {
  absl::StatusOr<std::unique_ptr<v1::RunControl::Stub>> stub = Dial(options);
  if (!stub.ok()) return stub.status();
  grpc::ClientContext context;
  Authorize(options, context);
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::StoredRun run;
  if (const grpc::Status s = (*stub)->GetRun(&context, request, &run); !s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  }
  return run;
}

int ExitCodeFor(const absl::Status& s) {
  return CodeFor(grpc::Status(static_cast<grpc::StatusCode>(s.code()), ""));
}

}  // namespace barrage
