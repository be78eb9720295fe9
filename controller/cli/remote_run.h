// Copyright 2026 The Barrage Authors.
//
// The CLI's side of the RunControl service: `barrage run --controller`,
// `agents`, `status`, `stop`, `runs` and `report` (`run --local N` is in
// local_run.h).
#ifndef BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
#define BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "barrage/v1/control.pb.h"
#include "common/data/data_files.h"
#include "common/scenario/scenario.h"
#include "controller/cli/report_outputs.h"

namespace grpc {
class ChannelCredentials;
}

namespace barrage {

struct RemoteOptions {
  std::string controller = "127.0.0.1:7400";
  std::string token;          // bearer token; "" = none
  std::string tls_ca_pem;     // TLS to the controller: the CA to verify it
  bool insecure = false;      // allow plaintext to a non-loopback controller
  // --out KIND=FILE, in order given: written from the result (a failed
  // one is an error on stderr and exit 1; the others are still written).
  std::vector<ReportOutput> outputs;
  bool quiet = false;
  // Where the scenario's target came from when not from its file
  // ("--target", "$BARRAGE_TARGET"); the run header says so. "": the file.
  std::string target_source;
  const std::atomic<int>* interrupt = nullptr;  // Ctrl-C count
  // When set, called on RunRemote's thread with the run's id and result
  // JSON once the result arrives (barrage capacity reads its steps so).
  std::function<void(const std::string& run_id, const std::string& result_json)> on_result;
  // The scenario's data files (data_files.h), uploaded before StartRun;
  // borrowed, null: none.
  const DataContents* data = nullptr;
};

// How the CLI dials `address`: TLS verifying the server with `tls_ca_pem`
// when given; else plaintext, which a non-loopback address gets only with
// `insecure` (FailedPrecondition "refusing plaintext to non-loopback ADDR:
// give --tls-ca, or --insecure" otherwise).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ControllerCredentials(
    const std::string& address, const std::string& tls_ca_pem, bool insecure);

// Runs `scenario` on the controller; returns the run's exit code.
int RunRemote(const Scenario& scenario, const std::string& file,
              const RemoteOptions& options, std::ostream& out, std::ostream& err);

int RunAgents(const RemoteOptions& options, std::ostream& out, std::ostream& err);
int RunStatus(const RemoteOptions& options, std::ostream& out, std::ostream& err);
int RunStop(const RemoteOptions& options, const std::string& run_id,
            bool immediate, std::ostream& out, std::ostream& err);
// Which runs `barrage runs` lists.
struct RunsQuery {
  int limit = 100;        // the newest this many (the controller caps it at 10000)
  std::string scenario;   // "": every scenario's
};
// One line per run, newest first: id, status, scenario, start, duration,
// requests, error rate, p95, p50, p99 (ms, whole run) and achieved rate.
int RunRuns(const RemoteOptions& options, const RunsQuery& query, std::ostream& out,
            std::ostream& err);
// Prints a stored run's report in `format` with `report_options` (report_outputs.h
// EmitReport) to `path`, or to `out` when "". The html report also gets the
// scenario's trend (trend_command.h TrendPointsFor) when the store has history.
int ShowReport(const RemoteOptions& options, const std::string& run_id,
               ReportFormat format, const std::string& path, ReportOptions report_options,
               std::ostream& out, std::ostream& err);

// The controller's stored runs as ListRuns selects them (newest first; no
// result JSON), and one stored run with its result JSON. Errors: the
// credentials' (FailedPrecondition), Unavailable when the controller cannot
// be reached within 5 s, else the controller's own code and message.
absl::StatusOr<std::vector<v1::StoredRun>> FetchRuns(const RemoteOptions& options,
                                                     const v1::ListRunsRequest& request);
absl::StatusOr<v1::StoredRun> FetchRun(const RemoteOptions& options, const std::string& run_id);
// The exit code for a failed FetchRuns/FetchRun (README "Exit codes"): 2
// for a bad request, unknown run or refused token, 3 for an unreachable or
// unready controller, else 1.
int ExitCodeFor(const absl::Status& s);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
