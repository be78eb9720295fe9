// Copyright 2026 The Barrage Authors.
//
// The CLI's side of the RunControl service: `barrage run --controller`,
// `agents`, `status`, `stop`, `runs` and `report` (`run --local N` is in
// local_run.h).
#ifndef BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
#define BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_

#include <atomic>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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
int RunRuns(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// Prints a stored run's report in `format` (report_outputs.h EmitReport) to
// `path`, or to `out` when "".
int ShowReport(const RemoteOptions& options, const std::string& run_id,
               ReportFormat format, const std::string& path, std::ostream& out,
               std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_REMOTE_RUN_H_
