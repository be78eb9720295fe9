// Copyright 2026 The Barrage Authors.
//
// The loader's half for realistic traffic: `data`, `network` and `flows`
// with their steps, captures and checks (README "Flows"). Like the rest of
// the loader it checks keys and types only and notes where each field path
// is written; the rules (names, templates, variables, limits) are the
// validator's (flow_rules.cc), reported at these positions.

#include <set>

#include "absl/strings/str_cat.h"
#include "common/scenario/traffic_fields.h"
#include "common/scenario/yaml_loader_internal.h"

namespace barrage {
namespace scenario_internal {

void Loader::LoadData(const YAML::Node& n, Scenario& out) {
  Note("data", n);
  if (!n.IsMap()) {
    Error(n, "data", "must be a mapping of source names to {file, mode, on_end}");
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : n) {
    if (!entry.first.IsScalar()) {
      Error(entry.first, "data", "keys must be plain names");
      continue;
    }
    const std::string name = entry.first.Scalar();
    const std::string path = absl::StrCat("data.", name);
    if (!seen.insert(name).second) {
      Error(entry.first, path, "duplicate data source");
      continue;
    }
    DataSource source;
    source.name = name;
    LoadDataSource(entry.second, path, source);
    Note(path + ".name", entry.first);
    out.data.push_back(std::move(source));
  }
}

void Loader::LoadDataSource(const YAML::Node& n, const std::string& path,
                            DataSource& out) {
  Note(path, n);
  out.location = LocationOf(n);
  if (!CheckMap(n, path, {"file", "mode", "on_end"})) {
    Unreadable(path);
    return;
  }
  Required(n, path, "file");
  if (n["file"] && !n["file"].IsNull()) {
    if (auto s = Str(n["file"], path + ".file")) {
      out.file = *s;
      absl::StatusOr<DataSource::Format> format = DataFormatForFile(*s);
      if (format.ok()) {
        out.format = *format;
      } else {
        Error(n["file"], path + ".file", std::string(format.status().message()));
      }
    }
  }
  if (n["mode"]) {
    if (auto s = Str(n["mode"], path + ".mode")) {
      absl::StatusOr<DataSource::Mode> mode = ParseDataModeField(*s);
      if (mode.ok()) {
        out.mode = *mode;
      } else {
        Error(n["mode"], path + ".mode", std::string(mode.status().message()));
      }
    }
  }
  if (n["on_end"]) {
    if (auto s = Str(n["on_end"], path + ".on_end")) {
      absl::StatusOr<DataSource::OnEnd> on_end = ParseDataOnEndField(*s);
      if (on_end.ok()) {
        out.on_end = *on_end;
      } else {
        Error(n["on_end"], path + ".on_end", std::string(on_end.status().message()));
      }
    }
  }
}

std::optional<NetworkProfile> Loader::LoadNetwork(const YAML::Node& n,
                                                  const std::string& path) {
  Note(path, n);
  if (!CheckMap(n, path, {"latency", "jitter", "bandwidth"})) {
    Unreadable(path);
    return std::nullopt;
  }
  NetworkProfile profile;
  profile.location = LocationOf(n);
  bool ok = true;
  if (n["latency"]) {
    auto d = Dur(n["latency"], path + ".latency");
    if (d) profile.latency = *d;
    ok = ok && d.has_value();
  }
  if (n["jitter"]) {
    auto d = Dur(n["jitter"], path + ".jitter");
    if (d) profile.jitter = *d;
    ok = ok && d.has_value();
  }
  if (n["bandwidth"]) {
    if (auto s = Str(n["bandwidth"], path + ".bandwidth")) {
      absl::StatusOr<int64_t> bps = ParseBandwidthField(*s);
      if (bps.ok()) {
        profile.bandwidth_bps = *bps;
      } else {
        Error(n["bandwidth"], path + ".bandwidth", std::string(bps.status().message()));
        ok = false;
      }
    } else {
      ok = false;
    }
  }
  if (!ok) {
    // Half a profile (a jitter without its latency) would be judged wrongly.
    Unreadable(path);
    return std::nullopt;
  }
  return profile;
}

void Loader::LoadFlows(const YAML::Node& n, Scenario& out) {
  Note("flows", n);
  if (!n.IsSequence()) {
    Error(n, "flows", "must be a list of flows");
    return;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    FlowSpec flow;
    LoadFlow(n[i], absl::StrCat("flows[", i, "]"), out, flow);
    out.flows.push_back(std::move(flow));
  }
}

void Loader::LoadFlow(const YAML::Node& n, const std::string& path,
                      const Scenario& scenario, FlowSpec& out) {
  Note(path, n);
  out.location = LocationOf(n);
  if (!CheckMap(n, path, {"name", "weight", "cookies", "network", "steps"})) {
    Unreadable(path);
    return;
  }
  Required(n, path, "name");
  Required(n, path, "steps");
  if (n["name"] && !n["name"].IsNull()) {
    if (auto s = Str(n["name"], path + ".name")) out.name = *s;
  }
  if (n["weight"]) {
    if (auto v = Int(n["weight"], path + ".weight", kInt64Min, kInt64Max)) {
      out.weight = *v;
    }
  }
  if (n["cookies"]) {
    if (auto b = Bool(n["cookies"], path + ".cookies")) out.cookies = *b;
  }
  if (n["network"] && !n["network"].IsNull()) {
    out.network = LoadNetwork(n["network"], path + ".network");
  }
  if (!n["steps"] || n["steps"].IsNull()) {
    Unreadable(path + ".steps");
    return;
  }
  const YAML::Node& steps = n["steps"];
  const std::string steps_path = path + ".steps";
  Note(steps_path, steps);
  if (!steps.IsSequence()) {
    Error(steps, steps_path, "must be a list of steps");
    return;
  }
  for (size_t j = 0; j < steps.size(); ++j) {
    FlowStep step;
    LoadStep(steps[j], absl::StrCat(steps_path, "[", j, "]"), scenario, out.name, step);
    out.steps.push_back(std::move(step));
  }
}

void Loader::LoadStep(const YAML::Node& n, const std::string& path,
                      const Scenario& scenario, const std::string& flow,
                      FlowStep& out) {
  LoadRequest(n, path, scenario, out.request, /*is_step=*/true);
  out.step = out.request.name;
  out.request.name = absl::StrCat(flow, ".", out.step);
  if (!n.IsMap()) return;
  if (n["think"]) {
    if (auto s = Str(n["think"], path + ".think")) {
      absl::StatusOr<ThinkTime> think = ParseThinkField(*s);
      if (think.ok()) {
        out.think = *think;
      } else {
        Error(n["think"], path + ".think", std::string(think.status().message()));
      }
    }
  }
  if (n["capture"]) LoadCaptures(n["capture"], path + ".capture", out);
  if (n["check"]) LoadChecks(n["check"], path + ".check", out);
}

// capture: {VAR: {json: PATH} | {header: NAME} | {regex: RE} | {status: true}}
void Loader::LoadCaptures(const YAML::Node& n, const std::string& path,
                          FlowStep& out) {
  Note(path, n);
  if (!n.IsMap()) {
    Error(n, path, "must be a mapping of variable names to {json|header|regex|status}");
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : n) {
    if (!entry.first.IsScalar()) {
      Error(entry.first, path, "keys must be plain names");
      continue;
    }
    const std::string var = entry.first.Scalar();
    const std::string var_path = absl::StrCat(path, ".", var);
    if (!seen.insert(var).second) {
      Error(entry.first, var_path, "duplicate variable");
      continue;
    }
    const YAML::Node& spec = entry.second;
    Note(var_path, spec);
    if (!CheckMap(spec, var_path, {"json", "header", "regex", "status"})) continue;
    if (spec.size() != 1) {
      Error(spec, var_path, "give exactly one of json, header, regex, status");
      continue;
    }
    const std::string kind_name = spec.begin()->first.Scalar();
    absl::StatusOr<Capture::Kind> kind = ParseCaptureKindField(kind_name);
    if (!kind.ok()) continue;  // CheckMap said so
    Capture capture;
    capture.var = var;
    capture.kind = *kind;
    capture.location = LocationOf(entry.first);
    Note(var_path, entry.first);  // the rules on the capture name its variable
    const std::string expr_path = absl::StrCat(var_path, ".", kind_name);
    auto expr = Str(spec.begin()->second, expr_path);
    if (!expr) continue;
    if (capture.kind == Capture::Kind::kStatus) {
      if (*expr != "true") {
        Error(spec.begin()->second, expr_path,
              "write status: true (the response's status code)");
        continue;
      }
    } else {
      capture.expr = *expr;
    }
    out.captures.push_back(std::move(capture));
  }
}

// check: {status: [200] | 200, json: {PATH: exists | VALUE},
//         body_contains: TEXT, header: {NAME: exists | VALUE},
//         max_duration: DURATION}
void Loader::LoadChecks(const YAML::Node& n, const std::string& path,
                        FlowStep& out) {
  Note(path, n);
  if (!CheckMap(n, path,
                {"status", "json", "body_contains", "header", "max_duration"})) {
    return;
  }
  if (n["status"]) LoadCheckStatus(n["status"], path + ".status", out);
  for (const char* key : {"json", "header"}) {
    if (!n[key]) continue;
    const YAML::Node& map = n[key];
    const std::string map_path = absl::StrCat(path, ".", key);
    const bool json = std::string(key) == "json";
    Note(map_path, map);
    if (!map.IsMap()) {
      Error(map, map_path,
            json ? "must be a mapping of JSON paths to exists or a value"
                 : "must be a mapping of header names to exists or a value");
      continue;
    }
    std::set<std::string> seen;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) {
        Error(entry.first, map_path, "keys must be plain names");
        continue;
      }
      const std::string name = entry.first.Scalar();
      const std::string item_path = absl::StrCat(map_path, ".", name);
      if (!seen.insert(name).second) {
        Error(entry.first, item_path, "duplicate check");
        continue;
      }
      Check check;
      check.path = name;
      check.location = LocationOf(entry.first);
      std::optional<std::string> value;
      if (entry.second.IsNull()) {
        value = "null";
        Note(item_path, entry.second);
      } else {
        value = Str(entry.second, item_path);
      }
      if (!value) continue;
      Note(item_path, entry.first);
      if (*value == "exists") {
        check.kind = json ? Check::Kind::kJsonExists : Check::Kind::kHeader;
      } else {
        check.kind = json ? Check::Kind::kJsonEquals : Check::Kind::kHeader;
        check.value = *value;
      }
      check.name = CheckDisplayName(check);
      out.checks.push_back(std::move(check));
    }
  }
  if (n["body_contains"]) {
    if (auto s = Str(n["body_contains"], path + ".body_contains")) {
      Check check;
      check.kind = Check::Kind::kBodyContains;
      check.value = *s;
      check.location = LocationOf(n["body_contains"]);
      check.name = CheckDisplayName(check);
      out.checks.push_back(std::move(check));
    }
  }
  if (n["max_duration"]) {
    if (auto d = Dur(n["max_duration"], path + ".max_duration")) {
      Check check;
      check.kind = Check::Kind::kMaxDuration;
      check.max_duration = *d;
      check.location = LocationOf(n["max_duration"]);
      check.name = CheckDisplayName(check);
      out.checks.push_back(std::move(check));
    }
  }
}

void Loader::LoadCheckStatus(const YAML::Node& n, const std::string& path,
                             FlowStep& out) {
  Note(path, n);
  Check check;
  check.kind = Check::Kind::kStatus;
  check.location = LocationOf(n);
  bool ok = true;
  if (n.IsScalar()) {
    auto v = Int(n, path, kIntMin, kIntMax);
    if (v) check.statuses.push_back(static_cast<int>(*v));
    ok = v.has_value();
  } else if (n.IsSequence() && n.size() > 0) {
    for (size_t i = 0; i < n.size(); ++i) {
      auto v = Int(n[i], absl::StrCat(path, "[", i, "]"), kIntMin, kIntMax);
      if (v) check.statuses.push_back(static_cast<int>(*v));
      ok = ok && v.has_value();
    }
  } else {
    Error(n, path, "must be a status code or a non-empty list of them");
    return;
  }
  if (!ok) return;
  check.name = CheckDisplayName(check);
  out.checks.push_back(std::move(check));
}

}  // namespace scenario_internal
}  // namespace barrage
