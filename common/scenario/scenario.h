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
  // `warmup: true`: the stage runs its load but its intervals stay out of
  // thresholds, the summary's totals and compare, and are shaded in the
  // report (cache warming, JIT, pools). Capacity steps warm up so too.
  bool warmup = false;
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
  kP50, kP90, kP95, kP99, kP999, kMax, kMean, kErrorRate, kRps,
  kMonitor,  // a monitor query's value (Threshold::monitor names it)
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
  // `flow: NAME`: the threshold judges that flow's iterations (latency:
  // flow durations, think time excluded; error_rate: failed / ended
  // iterations); `request` is then empty. Flow steps are requests named
  // "FLOW.STEP", so `request: shop.login` judges one step.
  std::string flow;
  // metric kMonitor: `metric: monitor.NAME` judges monitor query NAME's
  // samples (the mean over the window, or over the run when whole_run).
  std::string monitor;
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

  // "p95 < 200ms (critical-runbook)", "p95 < 300ms (flow shop)",
  // "error_rate < 1% over 1m",
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

// --- Realistic traffic (README "Flows", "Data", "Network profiles") ---

// A step's pause after its response, before the flow's next step.
struct ThinkTime {
  enum class Kind { kNone, kFixed, kUniform, kExponential };
  Kind kind = Kind::kNone;
  absl::Duration a;  // fixed: the pause; uniform: the low end; exponential: the mean
  absl::Duration b;  // uniform: the high end (>= a)
};

// `capture: {var: {json: $.token}}`: a value from a step's response into
// flow variable `var`, used later as ${var}. A capture that matches nothing
// fails the step (outcome check_failed, reason "capture VAR") and ends the
// flow iteration.
struct Capture {
  enum class Kind { kJson, kHeader, kRegex, kStatus };
  std::string var;   // [A-Za-z_][A-Za-z0-9_]*, not a data source's name
  Kind kind = Kind::kJson;
  // kJson: a path "$.a.b[0].c"; kHeader: the header name (case-insensitive);
  // kRegex: an RE2 pattern with one capturing group, matched in the body;
  // kStatus: "".
  std::string expr;
  SourceLocation location;
};

// `check:` on a step. A failed check makes the step's outcome check_failed
// with reason "check NAME" (the first failed check's name).
struct Check {
  enum class Kind {
    kStatus,        // status is one of `statuses`
    kJsonExists,    // `path` exists in the JSON body
    kJsonEquals,    // `path`'s value (a string, or a scalar's text) == `value`
    kBodyContains,  // the body contains `value`
    kHeader,        // header `path` is present, and == `value` when not empty
    kMaxDuration,   // the step's response time <= max_duration
  };
  // "status", "json $.items exists", "json $.id == 7", "body_contains",
  // "header X-Id", "max_duration": shown in reasons and summaries.
  std::string name;
  Kind kind = Kind::kStatus;
  std::string path;   // JSON path or header name
  std::string value;
  std::vector<int> statuses;
  absl::Duration max_duration;
  SourceLocation location;
};

// `network:` emulated per connection in the client: `latency` (+- a uniform
// `jitter`) added per round trip (half before the send, half after the
// receive) and a token bucket of `bandwidth` on bytes in and on bytes out.
// Recorded latency includes it, as a user's would.
struct NetworkProfile {
  absl::Duration latency;
  absl::Duration jitter;
  int64_t bandwidth_bps = 0;  // bits per second; 0: unlimited
  SourceLocation location;
  bool enabled() const {
    return latency > absl::ZeroDuration() || jitter > absl::ZeroDuration() ||
           bandwidth_bps > 0;
  }
};

struct FlowStep {
  // Everything a request has; its name is "FLOW.STEP" (request.name) and
  // its path, headers and body may hold ${var} (template.h).
  RequestSpec request;
  std::string step;  // the step's own name, as written
  ThinkTime think;
  std::vector<Capture> captures;
  std::vector<Check> checks;
};

struct FlowSpec {
  std::string name;    // unique among flows and requests; [A-Za-z0-9_-]+
  int64_t weight = 1;  // chosen with probability weight / (all flows' and requests' weights)
  std::vector<FlowStep> steps;  // >= 1
  bool cookies = false;  // a cookie jar per flow iteration
  std::optional<NetworkProfile> network;  // overrides the scenario's
  SourceLocation location;
};

// `data: {users: {file: users.csv, mode: unique, on_end: stop}}`.
struct DataSource {
  enum class Mode { kSequential, kRandom, kUnique };
  enum class OnEnd { kRecycle, kStop };
  enum class Format { kCsv, kJsonLines };  // from the extension: .csv, .jsonl/.ndjson
  std::string name;   // [A-Za-z_][A-Za-z0-9_]*; used as ${name.column}
  std::string file;   // as written, relative to the scenario file
  Mode mode = Mode::kSequential;
  OnEnd on_end = OnEnd::kRecycle;
  Format format = Format::kCsv;
  // Filled once the file is read (CLI) or received (agents): its columns,
  // rows (header excluded), size in bytes and SHA-256 (hex). Empty/0 when
  // not read yet: then column names are not checked.
  std::vector<std::string> columns;
  int64_t rows = 0;
  int64_t bytes = 0;
  std::string sha256;
  SourceLocation location;
};

// --- Service telemetry (README "Monitor") ---

struct MonitorQuery {
  std::string name;    // [A-Za-z0-9_]+; thresholds say monitor.NAME
  std::string promql;  // an instant query, evaluated every interval
  // The value at which the resource counts as saturated (0.8 for a CPU
  // ratio, 100 for a pool of 100): for bottleneck attribution.
  std::optional<double> saturation;
  SourceLocation location;
};

struct MonitorSpec {
  std::string url;         // Prometheus server base URL, http(s)://host:port
  std::string token_file;  // as written; the CLI reads it into token
  std::string token;       // bearer token; "" = none. Never stored in results.
  absl::Duration interval = absl::Seconds(5);
  std::vector<MonitorQuery> queries;
  SourceLocation location;
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
  // Weighted with the requests: an arrival (open model) or a VU's next
  // iteration (closed model) is one request or one flow iteration.
  std::vector<FlowSpec> flows;
  std::vector<DataSource> data;
  std::optional<NetworkProfile> network;  // every request's and flow's default
  std::optional<MonitorSpec> monitor;
  std::vector<Stage> stages;
  std::vector<Threshold> thresholds;

  absl::Duration TotalDuration() const;
  int64_t TotalWeight() const;  // requests' and flows' weights
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
