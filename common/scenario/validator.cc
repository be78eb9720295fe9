// Copyright 2026 The Barrage Authors.
//
// The rules are written once, as checks on the Scenario struct, in the order
// of the file's fields. Messages match what users saw from the loader before
// the rules moved here ("0 is outside 1..1000000"), so the invalid corpus
// keeps reading the same.

#include "common/scenario/validator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/scenario/fields.h"
#include "common/scenario/validator_internal.h"
#include "common/scenario/monitor_fields.h"

namespace barrage {
namespace {

constexpr size_t kMaxReportedProblems = 25;

}  // namespace

namespace scenario_internal {

void Checker::WireDuration(const std::string& path, absl::Duration d,
                           bool zero_ok) {
  if (d < absl::ZeroDuration()) {
    Problem(path, "must not be negative");
  } else if (!zero_ok && d == absl::ZeroDuration()) {
    Problem(path, "must be longer than zero");
  } else if (!IsWholeMilliseconds(d)) {
    Problem(path, "must be a whole number of milliseconds");
  }
}

void Checker::CheckHeaders(const HeaderList& headers, const std::string& path) {
  AtMost(path, static_cast<int64_t>(headers.size()), limits_.max_headers,
         "headers", "request");
  std::set<std::string> seen;
  for (const auto& [name, value] : headers) {
    const std::string header_path = absl::StrCat(path, ".", name);
    if (!IsValidHeaderName(name)) {
      Problem(header_path, "is not a valid HTTP header name");
    } else if (!seen.insert(absl::AsciiStrToLower(name)).second) {
      Problem(header_path, "duplicate header");
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      Problem(header_path, "header values may not contain newlines");
    }
  }
}

void Checker::CheckSelect(const AgentsPolicy& agents) {
  AtMost("agents.select.labels", static_cast<int64_t>(agents.select_labels.size()),
         limits_.max_select_labels, "labels", "selection");
  for (const auto& [name, value] : agents.select_labels) {
    if (!IsValidRequestName(name) || !IsValidRequestName(value)) {
      Problem(absl::StrCat("agents.select.labels.", name),
              "label names and values must be 1-64 characters of A-Z a-z 0-9 _ . -");
    }
  }
}

void Checker::CheckHttp(const Scenario& s) {
  const struct {
    const char* path;
    const std::optional<int>& value;
    int max;
  } fields[] = {
      {"defaults.http.connections", s.h2_connections, limits_.max_h2_connections},
      {"defaults.http.max_streams", s.h2_max_streams, limits_.max_h2_streams},
  };
  for (const auto& f : fields) {
    if (!f.value.has_value()) continue;
    if (s.http != HttpVersion::kHttp2) {
      Problem(f.path, "applies only with version: \"2\"");
    } else {
      InRange(f.path, *f.value, 1, f.max);
    }
  }
}

void Checker::CheckTls(const TlsPolicy& tls) {
  const bool has_ca = !tls.ca_file.empty() || !tls.ca_pem.empty();
  if (!tls.verify && has_ca) {
    Problem("defaults.tls.ca", "give verify: false or a CA to verify with, not both");
  }
  if (tls.ca_pem.size() > limits_.max_ca_pem_bytes) {
    Problem("defaults.tls.ca",
            absl::StrCat(Grouped(static_cast<int64_t>(tls.ca_pem.size())),
                         " bytes is over the limit of ",
                         Grouped(static_cast<int64_t>(limits_.max_ca_pem_bytes)),
                         " per CA file"));
  } else if (!tls.ca_pem.empty() &&
             !absl::StrContains(tls.ca_pem, "-----BEGIN CERTIFICATE-----")) {
    Problem("defaults.tls.ca", "is not a PEM certificate (no BEGIN CERTIFICATE line)");
  }
  const bool has_cert = !tls.cert_file.empty() || !tls.cert_pem.empty();
  const bool has_key = !tls.key_file.empty() || !tls.key_pem.empty();
  if (has_cert != has_key) {
    Problem(has_cert ? "defaults.tls.key" : "defaults.tls.cert",
            "a client certificate needs both cert and key");
  }
  if (tls.cert_pem.size() > limits_.max_ca_pem_bytes ||
      tls.key_pem.size() > limits_.max_ca_pem_bytes) {
    Problem(tls.cert_pem.size() > limits_.max_ca_pem_bytes ? "defaults.tls.cert"
                                                            : "defaults.tls.key",
            absl::StrCat("is over the limit of ",
                         Grouped(static_cast<int64_t>(limits_.max_ca_pem_bytes)), " bytes"));
  } else {
    if (!tls.cert_pem.empty() &&
        !absl::StrContains(tls.cert_pem, "-----BEGIN CERTIFICATE-----")) {
      Problem("defaults.tls.cert", "is not a PEM certificate (no BEGIN CERTIFICATE line)");
    }
    if (!tls.key_pem.empty() && !absl::StrContains(tls.key_pem, "PRIVATE KEY-----")) {
      Problem("defaults.tls.key", "is not a PEM private key (no BEGIN ... PRIVATE KEY line)");
    }
  }
}

void Checker::CheckRequest(const RequestSpec& r, const std::string& path) {
  static const std::set<std::string> kMethods = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  if (!kMethods.count(r.method)) {
    Problem(path + ".method",
            absl::StrCat("'", r.method,
                         "' is not one of GET HEAD POST PUT PATCH DELETE "
                         "OPTIONS"));
  }
  if (r.path.empty() || r.path[0] != '/') {
    Problem(path + ".path", "must start with '/'");
  } else if (r.path.find_first_of(" \t\r\n") != std::string::npos) {
    Problem(path + ".path", "may not contain whitespace (percent-encode it)");
  } else if (std::any_of(r.path.begin(), r.path.end(), [](char c) {
               return absl::ascii_iscntrl(static_cast<unsigned char>(c));
             })) {
    Problem(path + ".path",
            "may not contain control characters (percent-encode them)");
  }
  InRange(path + ".weight", r.weight, 1, limits_.max_weight);
  CheckHeaders(r.headers, path + ".headers");
  if (r.body.size() > limits_.max_body_bytes) {
    Problem(path + ".body",
            absl::StrCat(Grouped(static_cast<int64_t>(r.body.size())),
                         " bytes is over the limit of ",
                         Grouped(static_cast<int64_t>(limits_.max_body_bytes)),
                         " per request body"));
  }
  WireDuration(path + ".timeout", r.timeout, /*zero_ok=*/false);
  for (size_t i = 0; i < r.expect_status.size(); ++i) {
    InRange(absl::StrCat(path, ".expect.status[", i, "]"), r.expect_status[i],
            100, 599);
  }
}

void Checker::CheckRate(Rational rate, const std::string& path, bool* usable) {
  if (!rate.ok() || rate.den() > limits_.max_rate_denominator) {
    Problem(path, absl::StrCat("is not a rate with a denominator of 1..",
                               limits_.max_rate_denominator));
    *usable = false;
  } else if (rate.num() < 0) {
    Problem(path, "must not be negative");
    *usable = false;
  } else if (limits_.max_rate < rate) {
    Problem(path, absl::StrCat("is above the limit of ",
                               limits_.max_rate.ToString(), "/s"));
    *usable = false;
  }
}

void Checker::CheckOpenStage(const Stage& st, const std::string& path) {
  if (st.vus_from != 0 || st.vus_to != 0) {
    Problem(path + ".vus",
            "a stage is either open (rate) or closed (vus), not both");
  }
  if (st.think != absl::ZeroDuration()) {
    Problem(path + ".think", "applies only to closed-model (vus) stages");
  }
  const bool ramp = st.kind == Stage::Kind::kRateRamp;
  bool usable = true;
  CheckRate(st.rate_from, path + ".rate", &usable);
  if (ramp) {
    CheckRate(st.rate_to, path + ".to", &usable);
  } else if (st.rate_to != st.rate_from) {
    Problem(path + ".to", "a constant stage has one rate (make it a ramp)");
    usable = false;
  }
  if (!usable) return;
  if (st.rate_from.is_zero() && st.rate_to.is_zero()) {
    Problem(path + ".rate", "must be above 0/s");
    return;
  }
  // Only a valid duration keeps the exact schedule within its bounds.
  if (st.duration > absl::ZeroDuration() && IsWholeMilliseconds(st.duration) &&
      st.duration <= limits_.max_stage_duration &&
      st.WholeExpectedArrivals() < 1) {
    Problem(path + ".rate",
            absl::StrCat("schedules ", st.ExpectedArrivals(), " requests in ",
                         HumanDuration(st.duration),
                         ": it rounds to nothing (a stage needs >= 1)"));
  }
}

void Checker::CheckClosedStage(const Stage& st, const std::string& path) {
  if (!st.rate_from.is_zero() || !st.rate_to.is_zero()) {
    Problem(path + ".rate",
            "a stage is either open (rate) or closed (vus), not both");
  }
  const bool ramp = st.kind == Stage::Kind::kVusRamp;
  bool usable = InRange(path + ".vus", st.vus_from, 0, limits_.max_vus);
  if (ramp) {
    usable = InRange(path + ".to", st.vus_to, 0, limits_.max_vus) && usable;
  } else if (st.vus_to != st.vus_from) {
    Problem(path + ".to",
            "a constant stage has one number of VUs (make it a ramp)");
    usable = false;
  }
  if (usable && st.vus_from == 0 && st.vus_to == 0) {
    Problem(path + ".vus", ramp ? "a ramp needs at least one end above 0"
                                : "must be at least 1");
  }
  WireDuration(path + ".think", st.think, /*zero_ok=*/true);
}

void Checker::CheckStage(const Stage& st, const std::string& path) {
  const std::string duration_path = path + ".duration";
  if (st.duration <= absl::ZeroDuration()) {
    Problem(duration_path, "must be longer than zero");
  } else if (!IsWholeMilliseconds(st.duration)) {
    Problem(duration_path, "must be a whole number of milliseconds");
  } else if (st.duration > limits_.max_stage_duration) {
    Problem(duration_path,
            absl::StrCat("is longer than ",
                         DescribeLength(limits_.max_stage_duration)));
  }
  if (st.is_open()) {
    CheckOpenStage(st, path);
  } else {
    CheckClosedStage(st, path);
  }
}

void Checker::CheckThreshold(const Threshold& t, const std::string& path,
                             const std::set<std::string>& names,
                             const std::set<std::string>& flows) {
  const std::string limit_path = path + (t.above ? ".above" : ".below");
  if (t.metric == ThresholdMetric::kMonitor) {
    if (!std::isfinite(t.limit)) Problem(limit_path, "must be a number");
  } else if (IsLatencyMetric(t.metric)) {
    if (!(t.limit > 0)) Problem(limit_path, "must be longer than zero");
  } else if (t.metric == ThresholdMetric::kErrorRate) {
    if (!(t.limit >= 0 && t.limit <= 1)) {
      Problem(limit_path, "is outside 0%..100%");
    }
  } else if (!(t.limit >= 0)) {
    Problem(limit_path, "must not be negative");
  }
  if (t.limit > limits_.max_threshold_limit) {
    Problem(limit_path, absl::StrCat("is above the limit of ",
                                     limits_.max_threshold_limit));
  }
  if (!t.request.empty() && !names.count(t.request)) {
    Problem(path + ".request",
            absl::StrCat("'", t.request, "' is not the name of a request",
                         flows.empty() ? "" : " or flow step (FLOW.STEP)"));
  }
  if (!t.flow.empty()) {
    if (!t.request.empty()) {
      Problem(path + ".flow", "give request or flow, not both");
    } else if (!flows.count(t.flow)) {
      Problem(path + ".flow", absl::StrCat("'", t.flow, "' is not the name of a flow"));
    }
    if (t.metric == ThresholdMetric::kRps) {
      Problem(path + ".metric",
              "rps applies to requests, not flows (judge a flow by latency or error_rate)");
    }
  }
  if (!t.whole_run) {
    WireDuration(path + ".window", t.window, /*zero_ok=*/false);
  }
  if (t.min_requests.has_value()) {
    if (!t.abort) Problem(path + ".min_requests", "applies only with abort: true");
    InRange(path + ".min_requests", *t.min_requests, 0, kMaxAbortMinRequests);
  }
  if (t.delay.has_value()) {
    if (!t.abort) Problem(path + ".delay", "applies only with abort: true");
    WireDuration(path + ".delay", *t.delay, /*zero_ok=*/true);
  }
}

std::vector<ScenarioProblem> Checker::Check(const Scenario& s) {
  if (s.name.empty() || s.name.size() > limits_.max_name_chars ||
      s.name.find_first_of("\r\n\t") != std::string::npos) {
    Problem("name", absl::StrCat("must be 1-", limits_.max_name_chars,
                                 " characters on one line"));
  }
  const Target& t = s.target;
  if ((t.scheme != "http" && t.scheme != "https") || t.host.empty() ||
      t.port < 1 || t.port > 65535 ||
      (!t.base_path.empty() && t.base_path[0] != '/')) {
    Problem("target", "must be an http:// or https:// URL with a host");
  }
  InRange("agents.min", s.agents.min, 1, limits_.max_agents);
  WireDuration("agents.wait", s.agents.wait, /*zero_ok=*/true);
  WireDuration("defaults.timeout", s.default_timeout, /*zero_ok=*/false);
  CheckHeaders(s.default_headers, "defaults.headers");
  CheckSelect(s.agents);
  CheckTls(s.tls);
  CheckHttp(s);

  if (s.requests.empty() && s.flows.empty()) {
    Problem("requests", "must hold at least one request");
  }
  AtMost("requests", static_cast<int64_t>(s.requests.size()),
         limits_.max_requests, "requests", "scenario");
  std::map<std::string, size_t> first_use;
  for (size_t i = 0; i < s.requests.size(); ++i) {
    const RequestSpec& r = s.requests[i];
    const std::string path = absl::StrCat("requests[", i, "]");
    const bool name_ok =
        !r.name.empty() && r.name.size() <= limits_.max_request_name_chars &&
        std::all_of(r.name.begin(), r.name.end(), [](char c) {
          return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                 c == '_' || c == '.' || c == '-';
        });
    if (!name_ok) {
      Problem(path + ".name",
              absl::StrCat("'", r.name, "' must be 1-",
                           limits_.max_request_name_chars,
                           " characters of A-Z a-z 0-9 _ . - (it becomes a "
                           "metric label)"));
    } else if (auto [it, inserted] = first_use.emplace(r.name, i); !inserted) {
      Problem(path + ".name",
              absl::StrCat("duplicate request name '", r.name,
                           "' (first used by requests[", it->second, "])"));
    }
    CheckRequest(r, path);
    CheckTemplates(s, r, path, /*captured=*/nullptr);
  }
  CheckData(s);
  if (s.network.has_value()) CheckNetwork(*s.network, "network");
  CheckFlows(s);

  if (s.stages.empty()) Problem("stages", "must hold at least one stage");
  AtMost("stages", static_cast<int64_t>(s.stages.size()), limits_.max_stages,
         "stages", "scenario");
  for (size_t i = 0; i < s.stages.size(); ++i) {
    CheckStage(s.stages[i], absl::StrCat("stages[", i, "]"));
  }

  AtMost("thresholds", static_cast<int64_t>(s.thresholds.size()),
         limits_.max_thresholds, "thresholds", "scenario");
  std::set<std::string> names;  // requests and flow steps ("FLOW.STEP")
  std::set<std::string> flows;
  for (const RequestSpec& r : s.requests) names.insert(r.name);
  for (const FlowSpec& f : s.flows) {
    flows.insert(f.name);
    for (const FlowStep& st : f.steps) names.insert(st.request.name);
  }
  for (size_t i = 0; i < s.thresholds.size(); ++i) {
    CheckThreshold(s.thresholds[i], absl::StrCat("thresholds[", i, "]"), names,
                   flows);
  }
  AppendMonitorProblems(s, problems_);
  return std::move(problems_);
}

}  // namespace scenario_internal

std::vector<ScenarioProblem> FindScenarioProblems(
    const Scenario& scenario, const ScenarioLimits& limits) {
  return scenario_internal::Checker(limits).Check(scenario);
}

absl::Status ValidateScenario(const Scenario& scenario,
                              const ScenarioLimits& limits) {
  return ScenarioProblemsStatus(FindScenarioProblems(scenario, limits));
}

absl::Status ScenarioProblemsStatus(
    const std::vector<ScenarioProblem>& problems) {
  if (problems.empty()) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const ScenarioProblem& p : problems) {
    if (lines.size() == kMaxReportedProblems) {
      lines.push_back(
          absl::StrCat("... and ", problems.size() - lines.size(), " more"));
      break;
    }
    lines.push_back(absl::StrCat(p.path, ": ", p.message));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

bool PathIsWithin(absl::string_view path, absl::string_view field) {
  if (!absl::StartsWith(path, field)) return false;
  if (path.size() == field.size()) return true;
  const char next = path[field.size()];
  return !field.empty() && (next == '.' || next == '[');
}

}  // namespace barrage
