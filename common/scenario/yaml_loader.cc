// Copyright 2026 The Barrage Authors.
//
// The loader walks the YAML tree once, checking every mapping's keys against
// the fields it allows (so typos and duplicates are caught) and parsing each
// scalar with scenario_fields. What it reads is stored as written; the rules
// on the values are ValidateScenario's (validator.h), run afterwards. While
// walking, the loader remembers where each field path is in the file, so a
// rule the validator finds broken is reported at its value's line and column.
//
// Problems are collected with their position and field path rather than
// returned one at a time: a user fixing a file wants them all. A value that
// could not be read is not also judged by the validator (a duration without a
// unit is not reported again as "must be longer than zero").

#include "common/scenario/yaml_loader.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/scenario/fields.h"
#include "common/scenario/monitor_fields.h"
#include "common/scenario/monitor_yaml.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader_internal.h"
#include "common/util/files.h"
#include "yaml-cpp/yaml.h"

namespace barrage {
namespace {

constexpr int kMaxErrors = 25;
constexpr size_t kMaxScenarioFileBytes = size_t{4} << 20;

}  // namespace

namespace scenario_internal {

Mark Loader::MarkOf(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    if (auto it = marks_.find(p); it != marks_.end()) {
      // An enclosing field lends its position and, when inherited, its
      // name: "requests[0].headers.X" from defaults is "defaults.headers.X".
      Mark m = it->second;
      m.shown_path += path.substr(p.size());
      return m;
    }
    const size_t cut = p.find_last_of(".[");
    p.resize(cut == std::string::npos ? 0 : cut);
  }
  return {{1, 1}, path};
}

bool Loader::CheckMap(const YAML::Node& node, const std::string& path,
                      const std::vector<absl::string_view>& allowed) {
  if (!node.IsMap()) {
    Error(node, path.empty() ? "scenario" : path,
          "must be a mapping of keys to values");
    return false;
  }
  std::map<std::string, int> first_line;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Error(key, path.empty() ? "scenario" : path, "keys must be plain names");
      continue;
    }
    const std::string name = key.Scalar();
    const std::string key_path = Join(path, name);
    if (auto [seen, inserted] = first_line.emplace(name, LocationOf(key).line);
        !inserted) {
      Error(key, key_path,
            absl::StrCat("duplicate key (first given on line ", seen->second,
                         ")"));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string hint = ClosestWord(name, allowed);
      Error(key, key_path,
            hint.empty()
                ? absl::StrCat("unknown key (allowed: ",
                               absl::StrJoin(allowed, ", "), ")")
                : absl::StrCat("unknown key; did you mean '", hint, "'?"));
    }
  }
  return true;
}

void Loader::Required(const YAML::Node& map, const std::string& path,
                      const char* key) {
  if (!map[key].IsDefined() || map[key].IsNull()) {
    Error(map[key].IsDefined() ? map[key] : map, Join(path, key),
          "is required");
  }
}

std::optional<std::string> Loader::Str(const YAML::Node& n,
                                       const std::string& path) {
  Note(path, n);
  if (!n.IsScalar()) {
    Error(n, path, "must be a single value, not a list or mapping");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<absl::Duration> Loader::Dur(const YAML::Node& n,
                                          const std::string& path) {
  std::optional<std::string> s = Str(n, path);
  if (!s) return std::nullopt;
  absl::StatusOr<absl::Duration> d = ParseDurationField(*s);
  if (!d.ok()) {
    Error(n, path, std::string(d.status().message()));
    return std::nullopt;
  }
  return *d;
}

std::optional<Rational> Loader::Rate(const YAML::Node& n,
                                     const std::string& path) {
  std::optional<std::string> s = Str(n, path);
  if (!s) return std::nullopt;
  absl::StatusOr<Rational> r = ParseRateField(*s);
  if (!r.ok()) {
    Error(n, path, std::string(r.status().message()));
    return std::nullopt;
  }
  return *r;
}

// [min, max] is the range of the field's type; the rules on the value are
// the validator's.
std::optional<int64_t> Loader::Int(const YAML::Node& n, const std::string& path,
                                   int64_t min, int64_t max) {
  std::optional<std::string> s = Str(n, path);
  if (!s) return std::nullopt;
  absl::StatusOr<int64_t> v = ParseIntField(*s);
  if (!v.ok()) {
    Error(n, path, std::string(v.status().message()));
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    Error(n, path, absl::StrCat(*v, " is outside ", min, "..", max));
    return std::nullopt;
  }
  return *v;
}

std::optional<bool> Loader::Bool(const YAML::Node& n, const std::string& path) {
  std::optional<std::string> s = Str(n, path);
  if (!s) return std::nullopt;
  absl::StatusOr<bool> b = ParseBoolField(*s);
  if (!b.ok()) {
    Error(n, path, std::string(b.status().message()));
    return std::nullopt;
  }
  return *b;
}

std::optional<HeaderList> Loader::Headers(const YAML::Node& n,
                                          const std::string& path) {
  Note(path, n);
  if (!n.IsMap()) {
    Error(n, path, "must be a mapping of header names to values");
    return std::nullopt;
  }
  HeaderList headers;
  std::set<std::string> seen;
  bool ok = true;
  for (const auto& entry : n) {
    const YAML::Node& key = entry.first;
    const std::string name = key.IsScalar() ? key.Scalar() : "";
    const std::string header_path = Join(path, name);
    if (!key.IsScalar()) {
      Error(key, header_path, "is not a valid HTTP header name");
      ok = false;
      continue;
    }
    if (!seen.insert(absl::AsciiStrToLower(name)).second) {
      Error(key, header_path, "duplicate header");
      ok = false;
      continue;
    }
    std::optional<std::string> value = Str(entry.second, header_path);
    if (!value) {
      ok = false;
      continue;
    }
    Note(header_path, key);
    headers.emplace_back(name, *value);
  }
  if (!ok) {
    Unreadable(path);
    return std::nullopt;
  }
  return headers;
}

void Loader::LoadAgents(const YAML::Node& n, AgentsPolicy& out) {
  Note("agents", n);
  if (!CheckMap(n, "agents", {"min", "wait", "on_loss", "on_join", "select"})) return;
  if (n["min"]) {
    if (auto v = Int(n["min"], "agents.min", kIntMin, kIntMax)) {
      out.min = static_cast<int>(*v);
    }
  }
  if (n["wait"]) {
    if (auto d = Dur(n["wait"], "agents.wait")) out.wait = *d;
  }
  if (n["on_loss"]) {
    if (auto s = Str(n["on_loss"], "agents.on_loss")) {
      absl::StatusOr<OnLoss> policy = ParseOnLossField(*s);
      if (policy.ok()) {
        out.on_loss = *policy;
      } else {
        Error(n["on_loss"], "agents.on_loss",
              std::string(policy.status().message()));
      }
    }
  }
  if (n["on_join"]) {
    if (auto s = Str(n["on_join"], "agents.on_join")) {
      absl::StatusOr<OnJoin> policy = ParseOnJoinField(*s);
      if (policy.ok()) {
        out.on_join = *policy;
      } else {
        Error(n["on_join"], "agents.on_join", std::string(policy.status().message()));
      }
    }
  }
  if (n["select"]) LoadSelect(n["select"], out);
}

void Loader::LoadSelect(const YAML::Node& n, AgentsPolicy& out) {
  Note("agents.select", n);
  if (!CheckMap(n, "agents.select", {"labels"}) || !n["labels"]) return;
  const YAML::Node& labels = n["labels"];
  Note("agents.select.labels", labels);
  if (!labels.IsMap()) {
    Error(labels, "agents.select.labels", "must be a mapping of label names to values");
    return;
  }
  for (const auto& entry : labels) {
    if (!entry.first.IsScalar()) {
      Error(entry.first, "agents.select.labels", "keys must be plain names");
      continue;
    }
    const std::string path = absl::StrCat("agents.select.labels.", entry.first.Scalar());
    auto v = Str(entry.second, path);
    if (v && !out.select_labels.emplace(entry.first.Scalar(), *v).second) {
      Error(entry.first, path, "duplicate label");
    }
  }
}

void Loader::LoadTls(const YAML::Node& n, TlsPolicy& out) {
  Note("defaults.tls", n);
  if (!CheckMap(n, "defaults.tls", {"verify", "ca", "cert", "key"})) return;
  if (n["verify"]) {
    if (auto b = Bool(n["verify"], "defaults.tls.verify")) out.verify = *b;
  }
  if (n["ca"]) {
    if (auto s = Str(n["ca"], "defaults.tls.ca")) out.ca_file = *s;
  }
  if (n["cert"]) {
    if (auto s = Str(n["cert"], "defaults.tls.cert")) out.cert_file = *s;
  }
  if (n["key"]) {
    if (auto s = Str(n["key"], "defaults.tls.key")) out.key_file = *s;
  }
}

void Loader::LoadDefaults(const YAML::Node& n, Scenario& out) {
  Note("defaults", n);
  if (!CheckMap(n, "defaults", {"timeout", "headers", "http", "tls"})) return;
  if (n["tls"]) LoadTls(n["tls"], out.tls);
  if (n["timeout"]) {
    if (auto d = Dur(n["timeout"], "defaults.timeout")) {
      out.default_timeout = *d;
    }
  }
  if (n["headers"]) {
    if (auto h = Headers(n["headers"], "defaults.headers")) {
      out.default_headers = *h;
    }
  }
  if (n["http"]) LoadHttp(n["http"], out);
}

void Loader::LoadHttp(const YAML::Node& n, Scenario& out) {
  // "1.1" | "2", or {version, connections, max_streams}.
  YAML::Node version = n;
  std::string path = "defaults.http";
  if (n.IsMap()) {
    Note(path, n);
    if (!CheckMap(n, path, {"version", "connections", "max_streams"})) return;
    if (n["connections"]) {
      if (auto v = Int(n["connections"], "defaults.http.connections", kIntMin, kIntMax)) {
        out.h2_connections = static_cast<int>(*v);
      }
    }
    if (n["max_streams"]) {
      if (auto v = Int(n["max_streams"], "defaults.http.max_streams", kIntMin, kIntMax)) {
        out.h2_max_streams = static_cast<int>(*v);
      }
    }
    if (!n["version"]) return;
    version = n["version"];
    path = "defaults.http.version";
  }
  if (auto s = Str(version, path)) {
    absl::StatusOr<HttpVersion> v = ParseHttpVersionField(*s);
    if (v.ok()) {
      out.http = *v;
    } else {
      Error(version, path, std::string(v.status().message()));
    }
  }
}

void Loader::LoadRequests(const YAML::Node& n, Scenario& out) {
  Note("requests", n);
  if (!n.IsSequence()) {
    Error(n, "requests", "must be a list of requests");
    return;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    RequestSpec request;
    LoadRequest(n[i], absl::StrCat("requests[", i, "]"), out, request);
    out.requests.push_back(std::move(request));
  }
}

void Loader::LoadRequest(const YAML::Node& n, const std::string& path,
                         const Scenario& scenario, RequestSpec& out,
                         bool is_step) {
  Note(path, n);
  out.location = LocationOf(n);
  out.method = "GET";
  out.timeout = scenario.default_timeout;
  out.headers = scenario.default_headers;
  Inherit(path + ".timeout", "defaults.timeout");
  Inherit(path + ".headers", "defaults.headers");
  for (const auto& [name, value] : scenario.default_headers) {
    Inherit(absl::StrCat(path, ".headers.", name),
            absl::StrCat("defaults.headers.", name));
  }
  if (!CheckMap(n, path,
                is_step ? std::vector<absl::string_view>{"name", "method", "path",
                                                         "headers", "body", "timeout",
                                                         "expect", "think", "capture",
                                                         "check"}
                        : std::vector<absl::string_view>{"name", "method", "path",
                                                         "weight", "headers", "body",
                                                         "timeout", "expect"})) {
    return;
  }
  Required(n, path, "name");
  Required(n, path, "path");
  if (n["name"] && !n["name"].IsNull()) {
    if (auto s = Str(n["name"], path + ".name")) out.name = *s;
  }
  if (n["method"]) {
    if (auto s = Str(n["method"], path + ".method")) {
      out.method = absl::AsciiStrToUpper(*s);
    }
  }
  if (n["path"] && !n["path"].IsNull()) {
    if (auto s = Str(n["path"], path + ".path")) out.path = *s;
  }
  if (n["weight"]) {
    if (auto v = Int(n["weight"], path + ".weight", kInt64Min, kInt64Max)) {
      out.weight = *v;
    }
  }
  if (n["headers"]) {
    if (auto h = Headers(n["headers"], path + ".headers")) {
      // Request headers override defaults of the same name.
      for (const auto& [name, value] : *h) {
        const std::string lower = absl::AsciiStrToLower(name);
        auto same = [&lower](const auto& kv) {
          return absl::AsciiStrToLower(kv.first) == lower;
        };
        out.headers.erase(
            std::remove_if(out.headers.begin(), out.headers.end(), same),
            out.headers.end());
        out.headers.emplace_back(name, value);
      }
    }
  }
  if (n["body"]) {
    if (auto s = Str(n["body"], path + ".body")) out.body = *s;
  }
  if (n["timeout"]) {
    if (auto d = Dur(n["timeout"], path + ".timeout")) out.timeout = *d;
  }
  if (n["expect"]) LoadExpect(n["expect"], path + ".expect", out);
}

void Loader::LoadExpect(const YAML::Node& n, const std::string& path,
                        RequestSpec& out) {
  Note(path, n);
  if (!CheckMap(n, path, {"status"}) || !n["status"]) return;
  const YAML::Node& list = n["status"];
  const std::string status_path = path + ".status";
  Note(status_path, list);
  if (!list.IsSequence() || list.size() == 0) {
    Error(list, status_path, "must be a non-empty list of status codes");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (auto v = Int(list[i], absl::StrCat(status_path, "[", i, "]"), kIntMin,
                     kIntMax)) {
      out.expect_status.push_back(static_cast<int>(*v));
    }
  }
}

void Loader::LoadStages(const YAML::Node& n, Scenario& out) {
  Note("stages", n);
  if (!n.IsSequence()) {
    Error(n, "stages", "must be a list of stages");
    return;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    Stage stage;
    LoadStage(n[i], absl::StrCat("stages[", i, "]"), stage);
    out.stages.push_back(stage);
  }
}

void Loader::LoadStage(const YAML::Node& n, const std::string& path,
                       Stage& out) {
  Note(path, n);
  out.location = LocationOf(n);
  if (!CheckMap(n, path, {"duration", "rate", "to", "vus", "think", "warmup"})) return;
  Required(n, path, "duration");
  if (n["duration"] && !n["duration"].IsNull()) {
    if (auto d = Dur(n["duration"], path + ".duration")) out.duration = *d;
  }
  const bool has_rate = static_cast<bool>(n["rate"]);
  const bool has_vus = static_cast<bool>(n["vus"]);
  if (has_rate && has_vus) {
    Error(n["vus"], path + ".vus",
          "a stage is either open (rate) or closed (vus), not both");
    Unreadable(path);
    return;
  }
  if (!has_rate && !has_vus) {
    Error(n, path + ".rate",
          "is required (or vus, for a closed-model stage)");
    Unreadable(path);
    return;
  }
  if (n["think"]) {
    if (auto d = Dur(n["think"], path + ".think")) out.think = *d;
  }
  if (n["warmup"]) {
    if (auto b = Bool(n["warmup"], path + ".warmup")) out.warmup = *b;
  }
  const YAML::Node& from_node = has_rate ? n["rate"] : n["vus"];
  const std::string from_path = path + (has_rate ? ".rate" : ".vus");
  const std::string to_path = path + ".to";
  Note(to_path, n["to"] ? n["to"] : from_node);
  bool read = false;
  if (has_rate) {
    std::optional<Rational> from = Rate(from_node, from_path);
    std::optional<Rational> to = from;
    if (n["to"]) to = Rate(n["to"], to_path);
    if (from && to) {
      out.kind = n["to"] ? Stage::Kind::kRateRamp : Stage::Kind::kRate;
      out.rate_from = *from;
      out.rate_to = *to;
      read = true;
    }
  } else {
    std::optional<int64_t> from = Int(from_node, from_path, kInt64Min, kInt64Max);
    std::optional<int64_t> to = from;
    if (n["to"]) to = Int(n["to"], to_path, kInt64Min, kInt64Max);
    if (from && to) {
      out.kind = n["to"] ? Stage::Kind::kVusRamp : Stage::Kind::kVus;
      out.vus_from = *from;
      out.vus_to = *to;
      read = true;
    }
  }
  if (!read) {
    // Half a ramp says nothing about the stage's load.
    Unreadable(from_path);
    Unreadable(to_path);
    if (!has_rate) out.kind = Stage::Kind::kVus;
  }
}

void Loader::LoadThresholds(const YAML::Node& n, Scenario& out) {
  Note("thresholds", n);
  if (!n.IsSequence()) {
    Error(n, "thresholds", "must be a list of thresholds");
    return;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    Threshold t;
    LoadThreshold(n[i], absl::StrCat("thresholds[", i, "]"), t);
    out.thresholds.push_back(t);
  }
}

void Loader::LoadThreshold(const YAML::Node& n, const std::string& path,
                           Threshold& out) {
  Note(path, n);
  out.location = LocationOf(n);
  if (!CheckMap(n, path,
                {"metric", "below", "above", "request", "flow", "window",
                 "abort", "min_requests", "delay"})) {
    return;
  }
  Required(n, path, "metric");
  bool metric_ok = false;
  if (n["metric"] && !n["metric"].IsNull()) {
    if (auto s = Str(n["metric"], path + ".metric")) {
      absl::StatusOr<std::string> monitor = ParseMonitorMetricField(*s);
      absl::StatusOr<ThresholdMetric> metric =
          monitor.ok() ? ThresholdMetric::kMonitor
          : absl::IsNotFound(monitor.status())
              ? ParseThresholdMetricField(*s)
              : absl::StatusOr<ThresholdMetric>(monitor.status());
      if (monitor.ok()) out.monitor = *monitor;
      if (metric.ok()) {
        out.metric = *metric;
        metric_ok = true;
      } else {
        Error(n["metric"], path + ".metric",
              std::string(metric.status().message()));
      }
    }
  }
  const bool has_below = static_cast<bool>(n["below"]);
  const bool has_above = static_cast<bool>(n["above"]);
  if (has_below == has_above) {
    Error(has_above ? n["above"] : n, path + ".below",
          has_below ? "give either below or above, not both"
                    : "is required (or above)");
  } else if (metric_ok) {
    LoadThresholdLimit(n, path, out);
  }
  if (!metric_ok || has_below == has_above) {
    Unreadable(path + ".below");
    Unreadable(path + ".above");
  }
  if (n["request"]) {
    if (auto s = Str(n["request"], path + ".request")) out.request = *s;
  }
  if (n["flow"]) {
    if (auto s = Str(n["flow"], path + ".flow")) out.flow = *s;
  }
  if (n["window"]) {
    if (auto s = Str(n["window"], path + ".window")) {
      if (*s != "run") {
        if (auto d = Dur(n["window"], path + ".window")) {
          out.whole_run = false;
          out.window = *d;
        }
      }
    }
  }
  if (n["abort"]) {
    if (auto b = Bool(n["abort"], path + ".abort")) out.abort = *b;
  }
  if (n["min_requests"]) {
    if (auto v = Int(n["min_requests"], path + ".min_requests", 0, kMaxAbortMinRequests)) {
      out.min_requests = *v;
    }
  }
  if (n["delay"]) {
    if (auto d = Dur(n["delay"], path + ".delay")) out.delay = *d;
  }
}

// The limit's unit must match the metric: a duration for latencies, a
// fraction for error_rate, a rate for rps.
void Loader::LoadThresholdLimit(const YAML::Node& n, const std::string& path,
                                Threshold& out) {
  out.above = static_cast<bool>(n["above"]);
  const YAML::Node& limit = out.above ? n["above"] : n["below"];
  const std::string limit_path = path + (out.above ? ".above" : ".below");
  std::optional<std::string> s = Str(limit, limit_path);
  if (!s) return;
  if (out.metric == ThresholdMetric::kMonitor) {
    if (auto v = MonitorNumber(limit, limit_path, *this)) out.limit = *v;
  } else if (IsLatencyMetric(out.metric)) {
    absl::StatusOr<absl::Duration> d = ParseDurationField(*s);
    if (!d.ok()) {
      Error(limit, limit_path,
            absl::StrCat(d.status().message(), " (",
                         ThresholdMetricName(out.metric),
                         " is a latency: give a duration like 200ms)"));
    } else {
      out.limit = absl::ToDoubleMicroseconds(*d);
    }
  } else if (out.metric == ThresholdMetric::kErrorRate) {
    absl::StatusOr<double> f = ParseFractionField(*s);
    if (!f.ok()) {
      Error(limit, limit_path,
            absl::StrCat(f.status().message(),
                         " (error_rate is a fraction: give 1% or 0.01)"));
    } else {
      out.limit = *f;
    }
  } else {
    absl::StatusOr<Rational> r = ParseRateField(*s);
    if (!r.ok()) {
      Error(limit, limit_path,
            absl::StrCat(r.status().message(),
                         " (rps is a rate: give 500/min or 8/s)"));
    } else {
      out.limit = r->ToDouble();
    }
  }
}

absl::Status Loader::Result() const {
  if (problems_.empty()) return absl::OkStatus();
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Problem& a, const Problem& b) {
                     return std::tie(a.line, a.column) <
                            std::tie(b.line, b.column);
                   });
  std::vector<std::string> lines;
  std::set<std::string> seen;  // inherited defaults repeat their problems
  size_t shown = 0;
  for (const Problem& p : sorted) {
    std::string line =
        absl::StrCat(filename_, ":", p.line, ":", p.column, ": ", p.text);
    if (!seen.insert(line).second) continue;
    if (shown == kMaxErrors) {
      ++shown;
      continue;
    }
    ++shown;
    lines.push_back(std::move(line));
  }
  if (shown > kMaxErrors) {
    lines.push_back(absl::StrCat(filename_, ": ... and ", shown - kMaxErrors,
                                 " more"));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

bool Loader::Walk(absl::string_view text) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems_.push_back({e.mark.line + 1, e.mark.column + 1,
                         absl::StrCat("YAML syntax error: ", e.msg)});
    return false;
  }
  // Only const access from here: yaml-cpp's non-const operator[] inserts.
  const YAML::Node& root = parsed;
  if (!root.IsDefined() || root.IsNull()) {
    Error(SourceLocation{1, 1}, "scenario",
          "the file is empty: a scenario needs name, target, requests and "
          "stages");
    return false;
  }
  Scenario& scenario = scenario_;
  if (!CheckMap(root, "",
                {"name", "description", "target", "agents", "defaults",
                 "data", "network", "flows", "requests", "stages",
                 "thresholds", "monitor"})) {
    return false;
  }
  for (const char* key : {"name", "target", "stages"}) {
    Required(root, "", key);
  }
  // A scenario of flows alone needs no requests.
  if (!root["flows"]) Required(root, "", "requests");
  if (root["name"] && !root["name"].IsNull()) {
    if (auto s = Str(root["name"], "name")) scenario.name = *s;
  }
  if (root["description"]) {
    if (auto s = Str(root["description"], "description")) {
      scenario.description = *s;
    }
  }
  if (root["target"] && !root["target"].IsNull()) {
    if (auto s = Str(root["target"], "target")) {
      absl::StatusOr<Target> t = ParseTargetField(*s);
      if (t.ok()) {
        scenario.target = *t;
      } else {
        Error(root["target"], "target", std::string(t.status().message()));
      }
    }
  }
  if (root["agents"]) LoadAgents(root["agents"], scenario.agents);
  // Defaults first: requests inherit them.
  if (root["defaults"]) LoadDefaults(root["defaults"], scenario);
  if (root["data"] && !root["data"].IsNull()) LoadData(root["data"], scenario);
  if (root["network"] && !root["network"].IsNull()) {
    scenario.network = LoadNetwork(root["network"], "network");
  }
  if (root["flows"] && !root["flows"].IsNull()) {
    LoadFlows(root["flows"], scenario);
  }
  if (root["requests"] && !root["requests"].IsNull()) {
    LoadRequests(root["requests"], scenario);
  }
  if (root["stages"] && !root["stages"].IsNull()) {
    LoadStages(root["stages"], scenario);
  }
  if (root["monitor"] && !root["monitor"].IsNull()) {
    LoadMonitorYaml(root["monitor"], *this, scenario.monitor.emplace());
  }
  if (root["thresholds"] && !root["thresholds"].IsNull()) {
    LoadThresholds(root["thresholds"], scenario);
  }
  return true;
}

absl::StatusOr<Scenario> Loader::Parse(absl::string_view text) {
  Walk(text);
  if (absl::Status status = Result(); !status.ok()) return status;
  return std::move(scenario_);
}

absl::StatusOr<Scenario> Loader::Load(absl::string_view text,
                                      const ScenarioLimits& limits,
                                      const ScenarioStep& after_parse) {
  if (Walk(text)) {
    std::vector<ScenarioProblem> found;
    if (after_parse) found = after_parse(scenario_);
    for (ScenarioProblem& p : FindScenarioProblems(scenario_, limits)) {
      found.push_back(std::move(p));
    }
    for (const ScenarioProblem& p : found) {
      const bool unread =
          std::any_of(unreadable_.begin(), unreadable_.end(),
                      [&p](const std::string& u) {
                        return PathIsWithin(p.path, u);
                      });
      if (unread) continue;
      const Mark mark = MarkOf(p.path);
      problems_.push_back({mark.at.line, mark.at.column,
                           absl::StrCat(mark.shown_path, ": ", p.message)});
    }
  }
  if (absl::Status status = Result(); !status.ok()) return status;
  return std::move(scenario_);
}

}  // namespace scenario_internal

using scenario_internal::Loader;

absl::StatusOr<Scenario> LoadScenarioYaml(absl::string_view text,
                                          absl::string_view filename,
                                          const ScenarioLimits& limits) {
  return Loader(filename).Load(text, limits, nullptr);
}

absl::StatusOr<Scenario> ParseScenarioYaml(absl::string_view text,
                                           absl::string_view filename) {
  return Loader(filename).Parse(text);
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path,
                                          const ScenarioLimits& limits) {
  absl::StatusOr<std::string> text = ReadFile(path, kMaxScenarioFileBytes);
  if (!text.ok()) return text.status();
  return LoadScenarioYaml(*text, path, limits);
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path,
                                          const ScenarioLimits& limits,
                                          const ScenarioStep& after_parse) {
  absl::StatusOr<std::string> text = ReadFile(path, kMaxScenarioFileBytes);
  if (!text.ok()) return text.status();
  return Loader(path).Load(*text, limits, after_parse);
}

}  // namespace barrage
