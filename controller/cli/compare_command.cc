// Copyright 2026 The Barrage Authors.

#include "controller/cli/compare_command.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <sys/stat.h>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "barrage/v1/control.grpc.pb.h"
#include "common/scenario/fields.h"
#include "common/util/files.h"
#include "controller/cli/commands.h"
#include "controller/cli/run_command.h"
#include "controller/report/compare.h"
#include "controller/report/compare_render.h"

namespace barrage {
namespace {

constexpr char kCommand[] = "compare";

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// A stored run's result JSON, from the controller.
absl::StatusOr<std::string> FetchResult(const RemoteOptions& options, const std::string& run_id) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ControllerCredentials(options.controller, options.tls_ca_pem, options.insecure);
  if (!credentials.ok()) return credentials.status();
  auto channel = grpc::CreateChannel(options.controller, *credentials);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    return absl::UnavailableError(absl::StrCat(
        "'", run_id, "' is not a file, and the controller at ", options.controller,
        " (to fetch it as a run id) cannot be reached"));
  }
  std::unique_ptr<v1::RunControl::Stub> stub = v1::RunControl::NewStub(channel);
  grpc::ClientContext context;
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::StoredRun run;
  const grpc::Status s = stub->GetRun(&context, request, &run);
  if (!s.ok()) {
    const std::string message = absl::StrCat(run_id, ": ", s.error_message());
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
        s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return absl::UnavailableError(message);
    }
    return absl::InvalidArgumentError(message);
  }
  return run.result_json();
}

absl::StatusOr<std::string> LoadResult(const std::string& arg, const RemoteOptions& remote) {
  if (IsFile(arg)) return ReadFile(arg);
  return FetchResult(remote, arg);
}

absl::StatusOr<double> ParseSeconds(const char* flag, const std::string& text) {
  absl::StatusOr<absl::Duration> d = ParseDurationField(text);
  if (!d.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", d.status().message()));
  }
  return absl::ToDoubleSeconds(*d);
}

}  // namespace

int RunCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagSet flags = CommandFlags(kCommand);
  std::string format, tolerance, floor, skip, block;
  int64_t resamples = 0, seed = 0;
  bool force = false;
  CompareOptions options;
  flags.String("format", &format, "text", "text|markdown|json",
               "the table, a pull-request comment, or every number");
  flags.String("tolerance", &tolerance, "", "LIST",
               "per metric, e.g. p95=5%,p99=10%,error_rate=0.5pp,rate=5% "
               "(defaults p50=5% p95=5% p99=10% error_rate=0.5pp rate=5%)");
  flags.String("floor", &floor, "1ms", "DURATION", "latency changes below this never count");
  flags.String("skip", &skip, "0s", "DURATION",
               "drop intervals starting before this from both runs (warm-up)");
  flags.String("block", &block, "10s", "DURATION",
               "bootstrap block length: intervals closer than this may be correlated");
  flags.Int("resamples", &resamples, options.resamples, 1, 1'000'000, "N",
            "bootstrap resamples per run");
  flags.Int("seed", &seed, static_cast<int64_t>(options.seed), 0, INT64_MAX, "N",
            "the bootstrap's seed (the same seed, the same result)");
  flags.Bool("force", &force, "compare runs that are not comparable (the output says so)");
  RemoteFlags remote_flags;
  DefineRemoteFlags(flags, remote_flags, "allow plaintext to a non-loopback controller");
  const ParsedCommand parsed = ParseCommand(kCommand, flags, args, out, err);
  if (parsed.exit_code) return *parsed.exit_code;
  if (parsed.positional.size() != 2) {
    return UsageError(kCommand, "give BASELINE and CURRENT (result files or run ids)", err);
  }
  if (format != "text" && format != "markdown" && format != "json") {
    return UsageError(kCommand, absl::StrCat("--format: '", format, "' is not text, markdown or json"),
                      err);
  }
  absl::StatusOr<std::array<double, kCompareMetricCount>> tol =
      ParseTolerances(tolerance, options.tolerance);
  if (!tol.ok()) return UsageError(kCommand, tol.status().message(), err);
  options.tolerance = *tol;
  absl::StatusOr<double> floor_s = ParseSeconds("floor", floor);
  if (!floor_s.ok()) return UsageError(kCommand, floor_s.status().message(), err);
  absl::StatusOr<double> skip_s = ParseSeconds("skip", skip);
  if (!skip_s.ok()) return UsageError(kCommand, skip_s.status().message(), err);
  absl::StatusOr<double> block_s = ParseSeconds("block", block);
  if (!block_s.ok()) return UsageError(kCommand, block_s.status().message(), err);
  if (*block_s <= 0) return UsageError(kCommand, "--block: must be > 0", err);
  options.block_s = *block_s;
  options.floor_us = *floor_s * 1e6;
  options.skip_s = *skip_s;
  options.resamples = static_cast<int>(resamples);
  options.seed = static_cast<uint64_t>(seed);
  options.force = force;

  RemoteOptions remote;
  std::string results[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& arg = parsed.positional[static_cast<size_t>(i)];
    if (!IsFile(arg)) {
      // Only a run id needs the controller (and its flags' files).
      if (absl::Status s = ApplyRemoteFlags(remote_flags, remote); !s.ok()) {
        err << "barrage compare: " << s.message() << "\n";
        return kExitUsage;
      }
    }
    absl::StatusOr<std::string> text = LoadResult(arg, remote);
    if (!text.ok()) {
      err << "barrage compare: " << (i == 0 ? "baseline " : "current ") << text.status().message()
          << "\n";
      return absl::IsUnavailable(text.status()) ? kExitCannotStart : kExitUsage;
    }
    results[i] = *std::move(text);
  }
  absl::StatusOr<CompareReport> report = Compare(results[0], results[1], options);
  if (!report.ok()) {
    err << "barrage compare: " << report.status().message() << "\n";
    return kExitUsage;
  }
  if (format == "json") {
    out << CompareJson(*report) << "\n";
  } else if (format == "markdown") {
    out << CompareMarkdown(*report);
  } else {
    out << CompareText(*report);
  }
  return CompareExitCode(*report);
}

}  // namespace barrage
