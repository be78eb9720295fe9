// Copyright 2026 The Barrage Authors.
//
// The loader walks the YAML tree once, checking every mapping's keys against
// the fields it allows (so typos and duplicates are caught) and parsing each
// scalar with scenario_fields. Problems are collected with their position and
// field path rather than returned one at a time: a user fixing a file wants
// them all.

#include "common/scenario/yaml_loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/scenario/fields.h"
#include "common/util/files.h"
#include "yaml-cpp/yaml.h"

namespace barrage {
namespace {

constexpr int kMaxErrors = 25;
constexpr int64_t kMaxVus = 1'000'000;
constexpr int64_t kMaxAgents = 10'000;
const Rational kMaxRate = Rational::FromInt(10'000'000);  // requests/s
constexpr size_t kMaxScenarioFileBytes = size_t{4} << 20;

struct Problem {
  int line;
  int column;
  std::string text;
};

SourceLocation LocationOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return {mark.line + 1, mark.column + 1};
}

class Loader {
 public:
  explicit Loader(absl::string_view filename) : filename_(filename) {}

  absl::StatusOr<Scenario> Load(absl::string_view text);

 private:
  // --- reporting ---
  void Error(SourceLocation at, const std::string& path,
             const std::string& message) {
    problems_.push_back(
        {at.line, at.column, absl::StrCat(path, ": ", message)});
  }
  void Error(const YAML::Node& at, const std::string& path,
             const std::string& message) {
    Error(LocationOf(at), path, message);
  }

  // --- structure ---
  // Checks that `node` is a mapping whose keys are all in `allowed` and
  // unique; returns false (having reported why) when it is not a mapping.
  bool CheckMap(const YAML::Node& node, const std::string& path,
                const std::vector<absl::string_view>& allowed);
  void Required(const YAML::Node& map, const std::string& path,
                const char* key);
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : absl::StrCat(path, ".", key);
  }

  // --- scalars; nullopt after reporting a problem ---
  std::optional<std::string> Str(const YAML::Node& n, const std::string& path);
  std::optional<absl::Duration> Dur(const YAML::Node& n,
                                    const std::string& path, bool positive);
  std::optional<Rational> Rate(const YAML::Node& n, const std::string& path);
  std::optional<int64_t> Int(const YAML::Node& n, const std::string& path,
                             int64_t min, int64_t max);
  std::optional<bool> Bool(const YAML::Node& n, const std::string& path);
  std::optional<HeaderList> Headers(const YAML::Node& n,
                                    const std::string& path);

  // --- sections ---
  void LoadAgents(const YAML::Node& n, AgentsPolicy& out);
  void LoadDefaults(const YAML::Node& n, Scenario& out);
  void LoadRequests(const YAML::Node& n, Scenario& out);
  void LoadRequest(const YAML::Node& n, const std::string& path,
                   const Scenario& scenario, RequestSpec& out);
  void LoadStages(const YAML::Node& n, Scenario& out);
  void LoadStage(const YAML::Node& n, const std::string& path, Stage& out);
  void LoadThresholds(const YAML::Node& n, Scenario& out);
  void LoadThreshold(const YAML::Node& n, const std::string& path,
                     const Scenario& scenario, Threshold& out);

  absl::Status Result() const;

  std::string filename_;
  std::vector<Problem> problems_;
};

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
  if (!n.IsScalar()) {
    Error(n, path, "must be a single value, not a list or mapping");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<absl::Duration> Loader::Dur(const YAML::Node& n,
                                          const std::string& path,
                                          bool positive) {
  std::optional<std::string> s = Str(n, path);
  if (!s) return std::nullopt;
  absl::StatusOr<absl::Duration> d = ParseDurationField(*s);
  if (!d.ok()) {
    Error(n, path, std::string(d.status().message()));
    return std::nullopt;
  }
  if (positive && *d <= absl::ZeroDuration()) {
    Error(n, path, "must be longer than zero");
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
  if (kMaxRate < *r) {
    Error(n, path, "is above the limit of 10000000/s");
    return std::nullopt;
  }
  return *r;
}

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
    if (!IsValidHeaderName(name)) {
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
    if (value->find_first_of("\r\n") != std::string::npos) {
      Error(entry.second, header_path,
            "header values may not contain newlines");
      ok = false;
      continue;
    }
    headers.emplace_back(name, *value);
  }
  if (!ok) return std::nullopt;
  return headers;
}

void Loader::LoadAgents(const YAML::Node& n, AgentsPolicy& out) {
  if (!CheckMap(n, "agents", {"min", "wait", "on_loss"})) return;
  if (n["min"]) {
    if (auto v = Int(n["min"], "agents.min", 1, kMaxAgents)) {
      out.min = static_cast<int>(*v);
    }
  }
  if (n["wait"]) {
    if (auto d = Dur(n["wait"], "agents.wait", false)) out.wait = *d;
  }
  if (n["on_loss"]) {
    if (auto s = Str(n["on_loss"], "agents.on_loss")) {
      if (*s == "redistribute") {
        out.on_loss = OnLoss::kRedistribute;
      } else if (*s == "continue") {
        out.on_loss = OnLoss::kContinue;
      } else if (*s == "abort") {
        out.on_loss = OnLoss::kAbort;
      } else {
        Error(n["on_loss"], "agents.on_loss",
              absl::StrCat("'", *s,
                           "' is not one of redistribute, continue, abort"));
      }
    }
  }
}

void Loader::LoadDefaults(const YAML::Node& n, Scenario& out) {
  if (!CheckMap(n, "defaults", {"timeout", "headers", "http"})) return;
  if (n["timeout"]) {
    if (auto d = Dur(n["timeout"], "defaults.timeout", true)) {
      out.default_timeout = *d;
    }
  }
  if (n["headers"]) {
    if (auto h = Headers(n["headers"], "defaults.headers")) {
      out.default_headers = *h;
    }
  }
  if (n["http"]) {
    if (auto s = Str(n["http"], "defaults.http")) {
      if (*s == "1.1") {
        out.http = HttpVersion::kHttp11;
      } else if (*s == "2") {
        out.http = HttpVersion::kHttp2;
      } else {
        Error(n["http"], "defaults.http",
              absl::StrCat("'", *s, "' is not \"1.1\" or \"2\""));
      }
    }
  }
}

void Loader::LoadRequests(const YAML::Node& n, Scenario& out) {
  if (!n.IsSequence()) {
    Error(n, "requests", "must be a list of requests");
    return;
  }
  if (n.size() == 0) {
    Error(n, "requests", "must hold at least one request");
    return;
  }
  std::map<std::string, int> names;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string path = absl::StrCat("requests[", i, "]");
    RequestSpec request;
    LoadRequest(n[i], path, out, request);
    if (!request.name.empty()) {
      if (auto [it, inserted] = names.emplace(request.name,
                                               LocationOf(n[i]["name"]).line);
          !inserted) {
        Error(n[i]["name"], path + ".name",
              absl::StrCat("duplicate request name '", request.name,
                           "' (first used on line ", it->second, ")"));
      }
    }
    out.requests.push_back(std::move(request));
  }
}

void Loader::LoadRequest(const YAML::Node& n, const std::string& path,
                         const Scenario& scenario, RequestSpec& out) {
  out.location = LocationOf(n);
  out.method = "GET";
  out.timeout = scenario.default_timeout;
  out.headers = scenario.default_headers;
  if (!CheckMap(n, path,
                {"name", "method", "path", "weight", "headers", "body",
                 "timeout", "expect"})) {
    return;
  }
  Required(n, path, "name");
  Required(n, path, "path");
  if (n["name"] && !n["name"].IsNull()) {
    if (auto s = Str(n["name"], path + ".name")) {
      if (IsValidRequestName(*s)) {
        out.name = *s;
      } else {
        Error(n["name"], path + ".name",
              absl::StrCat("'", *s,
                           "' must be 1-64 characters of A-Z a-z 0-9 _ . - "
                           "(it becomes a metric label)"));
      }
    }
  }
  if (n["method"]) {
    if (auto s = Str(n["method"], path + ".method")) {
      static const std::set<std::string> kMethods = {
          "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
      const std::string upper = absl::AsciiStrToUpper(*s);
      if (kMethods.count(upper)) {
        out.method = upper;
      } else {
        Error(n["method"], path + ".method",
              absl::StrCat("'", *s,
                           "' is not one of GET HEAD POST PUT PATCH DELETE "
                           "OPTIONS"));
      }
    }
  }
  if (n["path"] && !n["path"].IsNull()) {
    if (auto s = Str(n["path"], path + ".path")) {
      if (s->empty() || (*s)[0] != '/') {
        Error(n["path"], path + ".path", "must start with '/'");
      } else if (s->find_first_of(" \t\r\n") != std::string::npos) {
        Error(n["path"], path + ".path",
              "may not contain whitespace (percent-encode it)");
      } else {
        out.path = *s;
      }
    }
  }
  if (n["weight"]) {
    if (auto v = Int(n["weight"], path + ".weight", 1, 1'000'000)) {
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
    if (auto d = Dur(n["timeout"], path + ".timeout", true)) out.timeout = *d;
  }
  if (n["expect"]) {
    const std::string expect_path = path + ".expect";
    if (CheckMap(n["expect"], expect_path, {"status"}) &&
        n["expect"]["status"]) {
      const YAML::Node& list = n["expect"]["status"];
      const std::string status_path = expect_path + ".status";
      if (!list.IsSequence() || list.size() == 0) {
        Error(list, status_path, "must be a non-empty list of status codes");
      } else {
        for (size_t i = 0; i < list.size(); ++i) {
          if (auto v = Int(list[i], absl::StrCat(status_path, "[", i, "]"),
                           100, 599)) {
            out.expect_status.push_back(static_cast<int>(*v));
          }
        }
      }
    }
  }
}

void Loader::LoadStages(const YAML::Node& n, Scenario& out) {
  if (!n.IsSequence()) {
    Error(n, "stages", "must be a list of stages");
    return;
  }
  if (n.size() == 0) {
    Error(n, "stages", "must hold at least one stage");
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
  out.location = LocationOf(n);
  if (!CheckMap(n, path, {"duration", "rate", "to", "vus", "think"})) return;
  Required(n, path, "duration");
  if (n["duration"] && !n["duration"].IsNull()) {
    if (auto d = Dur(n["duration"], path + ".duration", true)) {
      if (*d % absl::Milliseconds(1) != absl::ZeroDuration()) {
        Error(n["duration"], path + ".duration",
              "must be a whole number of milliseconds");
      } else if (*d > absl::Hours(24 * 31)) {
        Error(n["duration"], path + ".duration", "is longer than 31 days");
      } else {
        out.duration = *d;
      }
    }
  }
  const bool has_rate = static_cast<bool>(n["rate"]);
  const bool has_vus = static_cast<bool>(n["vus"]);
  if (has_rate && has_vus) {
    Error(n["vus"], path + ".vus",
          "a stage is either open (rate) or closed (vus), not both");
    return;
  }
  if (!has_rate && !has_vus) {
    Error(n, path + ".rate",
          "is required (or vus, for a closed-model stage)");
    return;
  }
  if (has_rate) {
    if (n["think"]) {
      Error(n["think"], path + ".think",
            "applies only to closed-model (vus) stages");
    }
    std::optional<Rational> from = Rate(n["rate"], path + ".rate");
    std::optional<Rational> to = from;
    if (n["to"]) to = Rate(n["to"], path + ".to");
    if (!from || !to) return;
    out.kind = n["to"] ? Stage::Kind::kRateRamp : Stage::Kind::kRate;
    out.rate_from = *from;
    out.rate_to = *to;
    if (from->is_zero() && to->is_zero()) {
      Error(n["rate"], path + ".rate", "must be above 0/s");
      return;
    }
    if (out.duration > absl::ZeroDuration() &&
        out.WholeExpectedArrivals() < 1) {
      Error(n["rate"], path + ".rate",
            absl::StrCat("schedules ", out.ExpectedArrivals(),
                         " requests in ", HumanDuration(out.duration),
                         ": it rounds to nothing (a stage needs >= 1)"));
    }
    return;
  }
  std::optional<int64_t> from = Int(n["vus"], path + ".vus", 0, kMaxVus);
  std::optional<int64_t> to = from;
  if (n["to"]) to = Int(n["to"], path + ".to", 0, kMaxVus);
  if (n["think"]) {
    if (auto d = Dur(n["think"], path + ".think", false)) out.think = *d;
  }
  if (!from || !to) return;
  out.kind = n["to"] ? Stage::Kind::kVusRamp : Stage::Kind::kVus;
  out.vus_from = *from;
  out.vus_to = *to;
  if (*from == 0 && *to == 0) {
    Error(n["vus"], path + ".vus",
          n["to"] ? "a ramp needs at least one end above 0"
                  : "must be at least 1");
  }
}

void Loader::LoadThresholds(const YAML::Node& n, Scenario& out) {
  if (!n.IsSequence()) {
    Error(n, "thresholds", "must be a list of thresholds");
    return;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    Threshold t;
    LoadThreshold(n[i], absl::StrCat("thresholds[", i, "]"), out, t);
    out.thresholds.push_back(t);
  }
}

void Loader::LoadThreshold(const YAML::Node& n, const std::string& path,
                           const Scenario& scenario, Threshold& out) {
  out.location = LocationOf(n);
  if (!CheckMap(n, path,
                {"metric", "below", "above", "request", "window", "abort"})) {
    return;
  }
  Required(n, path, "metric");
  bool metric_ok = false;
  if (n["metric"] && !n["metric"].IsNull()) {
    if (auto s = Str(n["metric"], path + ".metric")) {
      static const std::map<std::string, ThresholdMetric> kMetrics = {
          {"p50", ThresholdMetric::kP50},   {"p90", ThresholdMetric::kP90},
          {"p95", ThresholdMetric::kP95},   {"p99", ThresholdMetric::kP99},
          {"p999", ThresholdMetric::kP999}, {"max", ThresholdMetric::kMax},
          {"mean", ThresholdMetric::kMean},
          {"error_rate", ThresholdMetric::kErrorRate},
          {"rps", ThresholdMetric::kRps}};
      if (auto it = kMetrics.find(*s); it != kMetrics.end()) {
        out.metric = it->second;
        metric_ok = true;
      } else {
        Error(n["metric"], path + ".metric",
              absl::StrCat("'", *s,
                           "' is not one of p50 p90 p95 p99 p999 max mean "
                           "error_rate rps"));
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
    out.above = has_above;
    const YAML::Node& limit = has_above ? n["above"] : n["below"];
    const std::string limit_path = path + (has_above ? ".above" : ".below");
    if (auto s = Str(limit, limit_path)) {
      if (IsLatencyMetric(out.metric)) {
        absl::StatusOr<absl::Duration> d = ParseDurationField(*s);
        if (!d.ok()) {
          Error(limit, limit_path,
                absl::StrCat(d.status().message(), " (",
                             ThresholdMetricName(out.metric),
                             " is a latency: give a duration like 200ms)"));
        } else if (*d <= absl::ZeroDuration()) {
          Error(limit, limit_path, "must be longer than zero");
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
  }
  if (n["request"]) {
    if (auto s = Str(n["request"], path + ".request")) {
      const bool known = std::any_of(
          scenario.requests.begin(), scenario.requests.end(),
          [&](const RequestSpec& r) { return r.name == *s; });
      if (known) {
        out.request = *s;
      } else {
        Error(n["request"], path + ".request",
              absl::StrCat("'", *s, "' is not the name of a request"));
      }
    }
  }
  if (n["window"]) {
    if (auto s = Str(n["window"], path + ".window")) {
      if (*s != "run") {
        if (auto d = Dur(n["window"], path + ".window", true)) {
          out.whole_run = false;
          out.window = *d;
        }
      }
    }
  }
  if (n["abort"]) {
    if (auto b = Bool(n["abort"], path + ".abort")) out.abort = *b;
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
  for (const Problem& p : sorted) {
    if (static_cast<int>(lines.size()) == kMaxErrors) {
      lines.push_back(absl::StrCat(filename_, ": ... and ",
                                   sorted.size() - kMaxErrors, " more"));
      break;
    }
    lines.push_back(
        absl::StrCat(filename_, ":", p.line, ":", p.column, ": ", p.text));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

absl::StatusOr<Scenario> Loader::Load(absl::string_view text) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems_.push_back({e.mark.line + 1, e.mark.column + 1,
                         absl::StrCat("YAML syntax error: ", e.msg)});
    return Result();
  }
  // Only const access from here: yaml-cpp's non-const operator[] inserts.
  const YAML::Node& root = parsed;
  if (!root.IsDefined() || root.IsNull()) {
    Error(SourceLocation{1, 1}, "scenario",
          "the file is empty: a scenario needs name, target, requests and "
          "stages");
    return Result();
  }
  Scenario scenario;
  if (!CheckMap(root, "",
                {"name", "description", "target", "agents", "defaults",
                 "requests", "stages", "thresholds"})) {
    return Result();
  }
  for (const char* key : {"name", "target", "requests", "stages"}) {
    Required(root, "", key);
  }
  if (root["name"] && !root["name"].IsNull()) {
    if (auto s = Str(root["name"], "name")) {
      if (s->empty() || s->size() > 128 ||
          s->find_first_of("\r\n\t") != std::string::npos) {
        Error(root["name"], "name", "must be 1-128 characters on one line");
      } else {
        scenario.name = *s;
      }
    }
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
  if (root["requests"] && !root["requests"].IsNull()) {
    LoadRequests(root["requests"], scenario);
  }
  if (root["stages"] && !root["stages"].IsNull()) {
    LoadStages(root["stages"], scenario);
  }
  if (root["thresholds"] && !root["thresholds"].IsNull()) {
    LoadThresholds(root["thresholds"], scenario);
  }
  if (absl::Status status = Result(); !status.ok()) return status;
  return scenario;
}

}  // namespace

absl::StatusOr<Scenario> LoadScenarioYaml(absl::string_view text,
                                          absl::string_view filename) {
  return Loader(filename).Load(text);
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, kMaxScenarioFileBytes);
  if (!text.ok()) return text.status();
  return LoadScenarioYaml(*text, path);
}

}  // namespace barrage
