// Copyright 2026 The Barrage Authors.
//
// MonitorSource: the seam through which the controller reads service
// telemetry during a run (README "Monitor"), and PrometheusClient, its real
// implementation over the Prometheus HTTP API: an instant query,
//   GET BASE/api/v1/query?query=PROMQL&time=UNIX_SECONDS
// with `Authorization: Bearer TOKEN` when a token is given. The answer must
// be a scalar or a vector of exactly one series; anything else is an error
// naming what came back ("returned 3 series; aggregate it (sum/avg)").
//
// Errors (each a gap in the samples, never a crash):
//   Unavailable        Prometheus unreachable, refused, or silent past the
//                      timeout ("connection refused", "no answer within 2s")
//   InvalidArgument    Prometheus refused the query (its error text)
//   FailedPrecondition the answer is not one finite number (no series,
//                      several, a string, NaN)
//
// The token is sent only in the Authorization header and appears in no
// message. Thread safety: Query() may be called from one thread at a time.
#ifndef BARRAGE_CONTROLLER_MONITOR_PROMETHEUS_CLIENT_H_
#define BARRAGE_CONTROLLER_MONITOR_PROMETHEUS_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace barrage {

class MonitorSource {
 public:
  virtual ~MonitorSource() = default;
  // The value of `promql` at wall time `at`.
  virtual absl::StatusOr<double> Query(const std::string& promql,
                                       absl::Time at) = 0;
};

inline constexpr absl::Duration kPrometheusTimeout = absl::Seconds(2);

class PrometheusClient final : public MonitorSource {
 public:
  // `base_url` is http(s)://host[:port][/prefix]; `token` "" for none.
  // Connecting and reading are each bounded by `timeout`.
  PrometheusClient(std::string base_url, std::string token,
                   absl::Duration timeout = kPrometheusTimeout);
  ~PrometheusClient() override;
  PrometheusClient(const PrometheusClient&) = delete;
  PrometheusClient& operator=(const PrometheusClient&) = delete;

  absl::StatusOr<double> Query(const std::string& promql,
                               absl::Time at) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The value in a Prometheus API answer (HTTP status and body), as above.
// Pure; for the client and its tests.
absl::StatusOr<double> ParsePrometheusAnswer(int http_status,
                                             absl::string_view body);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_MONITOR_PROMETHEUS_CLIENT_H_
