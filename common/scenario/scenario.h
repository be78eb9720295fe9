// Copyright 2026 The Barrage Authors.
//
// Scenario: the validated, normalized form of a scenario file (the user's
// contract, see README "Scenario file"). Produced by LoadScenarioYaml();
// everything downstream (splitter, agents, thresholds) reads this, never YAML.
//
// Units: durations are absl::Duration; arrival rates are exact Rationals in
// requests per second; latency thresholds are in microseconds; error-rate
// thresholds are fractions in [0, 1].
//
// Thread safety: a value type; immutable once loaded.
#ifndef BARRAGE_COMMON_SCENARIO_SCENARIO_H_
#define BARRAGE_COMMON_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/scenario/rational.h"

namespace barrage {

// Where a value came from in the scenario file (1-based), for messages.
struct SourceLocation {
  int line = 0;
  int column = 0;
};

enum class OnLoss { kRedistribute, kContinue, kAbort };
// What a run does with a matching agent that connects while it runs:
// re-split the remaining schedule across all agents, or leave it idle.
enum class OnJoin { kRebalance, kIgnore };
enum class HttpVersion { kHttp11, kHttp2 };

struct AgentsPolicy {
  int min = 1;                       // agents required before start
  absl::Duration wait = absl::Seconds(30);  // how long to wait for them
  OnLoss on_loss = OnLoss::kRedistribute;
  OnJoin on_join = OnJoin::kRebalance;
  // agents.select.labels: only agents whose --label set holds every one of
  // these pairs take part (and count toward `min`); empty: every agent.
  std::map<std::string, std::string> select_labels;
};

// defaults.tls: how https targets are verified. The scenario decides, so
// every agent of a run checks certificates the same way.
struct TlsPolicy {
  bool verify = true;   // false: no certificate or host name checks
  std::string ca_file;  // as written in the file; the CLI reads it into ca_pem
  std::string ca_pem;   // trusted instead of the system store; "" = system
  // A client certificate for targets that require one (mTLS): cert and
  // key files as written; the CLI reads them into cert_pem and key_pem.
  std::string cert_file;
  std::string key_file;
  std::string cert_pem;  // "" = none
  std::string key_pem;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct RequestSpec {
  std::string name;    // unique; [A-Za-z0-9_.-]+; a metric label
  std::string method;  // upper case: GET HEAD POST PUT PATCH DELETE OPTIONS
  std::string path;    // starts with '/'; appended to the target's base path
  int64_t weight = 1;  // >= 1; picked with probability weight / sum
  HeaderList headers;  // defaults' headers first, then these (these win)
  std::string body;
  absl::Duration timeout;           // resolved against defaults
  std::vector<int> expect_status;   // empty: 2xx and 3xx succeed
  SourceLocation location;
};

// One stage of the load plan. Open model (rate stages): arrivals per second
// go linearly from `rate_from` to `rate_to` (equal for a constant stage).
// Closed model (VU stages): virtual users go from `vus_from` to `vus_to`.
struct Stage {
  enum class Kind { kRate, kRateRamp, kVus, kVusRamp };
  Kind kind = Kind::kRate;
  absl::Duration duration;
  Rational rate_from;  // requests/s, open model only
  Rational rate_to;
  int64_t vus_from = 0;  // closed model only
  int64_t vus_to = 0;
  absl::Duration think;  // closed model: pause after each response
  SourceLocation location;

  bool is_open() const { return kind == Kind::kRate || kind == Kind::kRateRamp; }

  // The open model's schedule within a stage. E(s), the expected arrivals in
  // the first s of the stage, is the integral of the rate; arrival i of the
  // stage (i = 0, 1, ...) is due when E(s) = i, so the first is due at the
  // stage's start and the stage holds ceil(E(duration)) arrivals: the
  // integral of its rate, +-1. Computed exactly in 128-bit integers, with
  // `elapsed` in whole milliseconds (stage durations are). 0 for VU stages.
  int64_t ArrivalsBefore(absl::Duration elapsed) const;
  int64_t Arrivals() const { return ArrivalsBefore(duration); }
  // floor(E(duration)): 0 means the stage's rate rounds to nothing.
  int64_t WholeExpectedArrivals() const;
  // E(duration), for display.
  double ExpectedArrivals() const;
};

enum class ThresholdMetric {
  kP50, kP90, kP95, kP99, kP999, kMax, kMean, kErrorRate, kRps
};

inline constexpr int64_t kDefaultAbortMinRequests = 100;
inline constexpr int64_t kMaxAbortMinRequests = 1'000'000'000'000;
inline constexpr absl::Duration kDefaultAbortDelay = absl::Seconds(10);

struct Threshold {
  ThresholdMetric metric = ThresholdMetric::kP95;
  // Latency metrics: microseconds. error_rate: fraction. rps: requests/s.
  // Passing means value < limit (`below:`), or value > limit (`above:`).
  double limit = 0;
  bool above = false;
  std::string request;            // empty: across all requests
  bool whole_run = true;          // false: sliding window of `window`
  absl::Duration window;
  bool abort = false;             // failing stops the run at once
  // The abort's grace (abort thresholds only; k6's delayAbortEval): a
  // failure stops the run only once the threshold's requests (whole run) are
  // at least `min_requests` and the run time is at least `delay`, each when
  // given. With neither given the grace is kDefaultAbortMinRequests requests
  // or kDefaultAbortDelay, whichever comes first. See AbortGraceOver().
  std::optional<int64_t> min_requests;
  std::optional<absl::Duration> delay;
  SourceLocation location;

  // Whether an abort may fire after `requests` results of the threshold's
  // scope at run time `elapsed`.
  bool AbortGraceOver(uint64_t requests, absl::Duration elapsed) const;

  // "p95 < 200ms (critical-runbook)", "error_rate < 1% over 1m",
  // "rps > 8/s".
  std::string Expression() const;
};

inline constexpr int kDefaultH2MaxStreams = 100;

struct Target {
  std::string url;        // as written, without a trailing '/'
  std::string scheme;     // "http" or "https"
  std::string host;       // name, IPv4 or IPv6 (without brackets)
  int port = 0;           // explicit or the scheme's default
  std::string base_path;  // "" or "/prefix" without trailing '/'
};

struct Scenario {
  std::string name;
  std::string description;
  Target target;
  AgentsPolicy agents;
  absl::Duration default_timeout = absl::Seconds(5);
  HeaderList default_headers;
  HttpVersion http = HttpVersion::kHttp11;
  // defaults.http's map form, HTTP/2 only, per agent worker: connections to
  // the target (absent: ceil(in-flight need / max_streams)) and concurrent
  // streams per connection (absent: kDefaultH2MaxStreams; the server's
  // SETTINGS_MAX_CONCURRENT_STREAMS lowers it).
  std::optional<int> h2_connections;
  std::optional<int> h2_max_streams;
  TlsPolicy tls;
  std::vector<RequestSpec> requests;
  std::vector<Stage> stages;
  std::vector<Threshold> thresholds;

  absl::Duration TotalDuration() const;
  int64_t TotalWeight() const;
  // Peak of the open model's arrival rate and of the closed model's VUs.
  Rational PeakRate() const;
  int64_t PeakVus() const;
};

const char* ThresholdMetricName(ThresholdMetric metric);
bool IsLatencyMetric(ThresholdMetric metric);
const char* OnLossName(OnLoss on_loss);
const char* OnJoinName(OnJoin on_join);  // "rebalance" | "ignore"

// "12m30s", "250ms", "1h": the shortest exact form of a duration.
std::string HumanDuration(absl::Duration d);
// "3.333/s" with up to 3 decimals, trailing zeros dropped.
std::string FormatRate(Rational per_second);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_SCENARIO_H_
