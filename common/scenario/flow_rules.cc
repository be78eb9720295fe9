// Copyright 2026 The Barrage Authors.
//
// The rules of realistic traffic: flows and their steps, captures, checks,
// think times, templates (${var} and ${source.column}), data sources and
// network profiles. Paths are the file's ("flows[0].steps[1].capture.token"),
// so the loader reports each problem at its value's line.

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/scenario/fields.h"
#include "common/scenario/json_path.h"
#include "common/scenario/template.h"
#include "common/scenario/traffic_fields.h"
#include "common/scenario/validator_internal.h"
#include "re2/re2.h"

namespace barrage {
namespace scenario_internal {
namespace {

std::string ListOrNone(const std::set<std::string>& names) {
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

const DataSource* FindSource(const Scenario& s, absl::string_view name) {
  for (const DataSource& d : s.data) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace

void Checker::CheckData(const Scenario& s) {
  AtMost("data", static_cast<int64_t>(s.data.size()), limits_.max_data_sources,
         "data sources", "scenario");
  std::set<std::string> seen;
  for (const DataSource& d : s.data) {
    const std::string path = absl::StrCat("data.", d.name);
    if (!IsValidVariableName(d.name)) {
      Problem(path + ".name",
              absl::StrCat("'", d.name,
                           "' must be 1-64 characters of A-Z a-z 0-9 _, not starting "
                           "with a digit (it is written ${", d.name, ".column})"));
    } else if (!seen.insert(d.name).second) {
      Problem(path + ".name", "duplicate data source");
    }
    if (d.file.empty()) Problem(path + ".file", "is required");
    if (d.rows < 0) Problem(path + ".rows", "must not be negative");
    if (d.bytes < 0) Problem(path + ".bytes", "must not be negative");
  }
}

void Checker::CheckNetwork(const NetworkProfile& n, const std::string& path) {
  WireDuration(path + ".latency", n.latency, /*zero_ok=*/true);
  WireDuration(path + ".jitter", n.jitter, /*zero_ok=*/true);
  for (const auto& [field, d] : {std::pair<const char*, absl::Duration>{".latency", n.latency},
                                 {".jitter", n.jitter}}) {
    if (d > limits_.max_network_latency) {
      Problem(path + field, absl::StrCat("is longer than ",
                                         HumanDuration(limits_.max_network_latency)));
    }
  }
  if (n.jitter > n.latency) {
    Problem(path + ".jitter",
            absl::StrCat("must not exceed the latency (", HumanDuration(n.latency),
                         "): the delay is latency +- jitter"));
  }
  if (n.bandwidth_bps < 0) Problem(path + ".bandwidth", "must not be negative");
}

void Checker::CheckFlows(const Scenario& s) {
  AtMost("flows", static_cast<int64_t>(s.flows.size()), limits_.max_flows, "flows",
         "scenario");
  std::map<std::string, std::string> first_use;  // name -> "requests[0]"
  for (size_t i = 0; i < s.requests.size(); ++i) {
    first_use.emplace(s.requests[i].name, absl::StrCat("requests[", i, "]"));
  }
  for (size_t i = 0; i < s.flows.size(); ++i) {
    const FlowSpec& f = s.flows[i];
    const std::string path = absl::StrCat("flows[", i, "]");
    if (!IsValidFlowName(f.name) || f.name.size() > limits_.max_request_name_chars) {
      Problem(path + ".name",
              absl::StrCat("'", f.name, "' must be 1-",
                           std::min<size_t>(64, limits_.max_request_name_chars),
                           " characters of A-Z a-z 0-9 _ - (it becomes a metric label)"));
    } else if (auto [it, inserted] = first_use.emplace(f.name, path); !inserted) {
      Problem(path + ".name", absl::StrCat("duplicate name '", f.name,
                                           "' (first used by ", it->second, ")"));
    }
    InRange(path + ".weight", f.weight, 1, limits_.max_weight);
    if (f.network.has_value()) CheckNetwork(*f.network, path + ".network");
    CheckFlow(s, f, path);
  }
}

void Checker::CheckFlow(const Scenario& s, const FlowSpec& f, const std::string& path) {
  if (f.steps.empty()) Problem(path + ".steps", "must hold at least one step");
  AtMost(path + ".steps", static_cast<int64_t>(f.steps.size()),
         limits_.max_steps_per_flow, "steps", "flow");
  std::set<std::string> requests;
  for (const RequestSpec& r : s.requests) requests.insert(r.name);
  std::map<std::string, size_t> steps;
  std::set<std::string> captured;
  for (size_t j = 0; j < f.steps.size(); ++j) {
    const FlowStep& st = f.steps[j];
    const std::string step_path = absl::StrCat(path, ".steps[", j, "]");
    const std::string name_path = step_path + ".name";
    if (!IsValidFlowName(st.step)) {
      Problem(name_path, absl::StrCat("'", st.step,
                                      "' must be 1-64 characters of A-Z a-z 0-9 _ -"));
    } else if (auto [it, inserted] = steps.emplace(st.step, j); !inserted) {
      Problem(name_path, absl::StrCat("duplicate step name '", st.step,
                                      "' (first used by steps[", it->second, "])"));
    } else if (st.request.name != absl::StrCat(f.name, ".", st.step)) {
      Problem(name_path, absl::StrCat("the step's request is named '", st.request.name,
                                      "', not '", f.name, ".", st.step, "'"));
    } else if (requests.count(st.request.name)) {
      Problem(name_path, absl::StrCat("'", st.request.name,
                                      "' is also a request's name (steps are "
                                      "reported as FLOW.STEP)"));
    } else if (st.request.name.size() > limits_.max_request_name_chars) {
      Problem(name_path, absl::StrCat("'", st.request.name, "' is longer than ",
                                      limits_.max_request_name_chars,
                                      " characters (steps are reported as FLOW.STEP)"));
    }
    CheckStep(s, st, step_path, captured);
    for (const Capture& c : st.captures) captured.insert(c.var);
  }
}

void Checker::CheckStep(const Scenario& s, const FlowStep& st, const std::string& path,
                        const std::set<std::string>& captured_before) {
  CheckRequest(st.request, path);
  CheckTemplates(s, st.request, path, &captured_before);
  CheckThink(st.think, path + ".think");
  AtMost(path + ".capture", static_cast<int64_t>(st.captures.size()),
         limits_.max_captures_per_step, "captures", "step");
  AtMost(path + ".check", static_cast<int64_t>(st.checks.size()),
         limits_.max_checks_per_step, "checks", "step");
  std::set<std::string> vars;
  for (const Capture& c : st.captures) {
    const std::string capture_path = absl::StrCat(path, ".capture.", c.var);
    if (!vars.insert(c.var).second) {
      Problem(capture_path, "duplicate variable");
      continue;
    }
    CheckCapture(s, c, capture_path);
  }
  for (const barrage::Check& c : st.checks) {
    const std::string check_path = absl::StrCat(path, ".", CheckFieldPath(c));
    CheckCheck(c, check_path);
    if (c.kind == Check::Kind::kStatus && !st.request.expect_status.empty()) {
      Problem(check_path,
              "give expect.status or check.status, not both (use check.status to count "
              "another status as check_failed, expect.status to count it as an error)");
    }
  }
}

void Checker::CheckCapture(const Scenario& s, const Capture& c, const std::string& path) {
  if (!IsValidVariableName(c.var)) {
    Problem(path, absl::StrCat("'", c.var,
                               "' must be 1-64 characters of A-Z a-z 0-9 _, not "
                               "starting with a digit (it is written ${", c.var, "})"));
  } else if (FindSource(s, c.var) != nullptr) {
    Problem(path, absl::StrCat("'", c.var,
                               "' is the name of a data source: name the variable "
                               "otherwise"));
  }
  const std::string expr_path = absl::StrCat(path, ".", CaptureKindName(c.kind));
  switch (c.kind) {
    case Capture::Kind::kJson:
      if (absl::StatusOr<JsonPath> p = ParseJsonPath(c.expr); !p.ok()) {
        Problem(expr_path, absl::StrCat("is not a JSON path like $.token or $.items[0].id: ",
                                        p.status().message()));
      }
      break;
    case Capture::Kind::kHeader:
      if (!IsValidHeaderName(c.expr)) {
        Problem(expr_path, "is not a valid HTTP header name");
      }
      break;
    case Capture::Kind::kRegex: {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(c.expr, options);
      if (!re.ok()) {
        Problem(expr_path, absl::StrCat("is not a regular expression (RE2): ", re.error()));
      } else if (re.NumberOfCapturingGroups() != 1) {
        Problem(expr_path,
                absl::StrCat("must have exactly one capturing group, the value to "
                             "capture (it has ",
                             re.NumberOfCapturingGroups(), ")"));
      }
      break;
    }
    case Capture::Kind::kStatus:
      if (!c.expr.empty()) Problem(expr_path, "takes no expression (write status: true)");
      break;
  }
}

void Checker::CheckCheck(const barrage::Check& c, const std::string& path) {
  switch (c.kind) {
    case Check::Kind::kStatus:
      if (c.statuses.empty()) Problem(path, "must hold at least one status code");
      for (size_t i = 0; i < c.statuses.size(); ++i) {
        InRange(absl::StrCat(path, "[", i, "]"), c.statuses[i], 100, 599);
      }
      break;
    case Check::Kind::kJsonExists:
    case Check::Kind::kJsonEquals:
      if (absl::StatusOr<JsonPath> p = ParseJsonPath(c.path); !p.ok()) {
        Problem(path, absl::StrCat("'", c.path, "' is not a JSON path like $.items or "
                                   "$.items[0].id: ",
                                   p.status().message()));
      }
      break;
    case Check::Kind::kBodyContains:
      if (c.value.empty()) Problem(path, "must not be empty");
      break;
    case Check::Kind::kHeader:
      if (!IsValidHeaderName(c.path)) Problem(path, "is not a valid HTTP header name");
      break;
    case Check::Kind::kMaxDuration:
      WireDuration(path, c.max_duration, /*zero_ok=*/false);
      break;
  }
}

void Checker::CheckThink(const ThinkTime& t, const std::string& path) {
  switch (t.kind) {
    case ThinkTime::Kind::kNone:
      break;
    case ThinkTime::Kind::kFixed:
      WireDuration(path, t.a, /*zero_ok=*/true);
      break;
    case ThinkTime::Kind::kUniform:
      WireDuration(path, t.a, /*zero_ok=*/true);
      WireDuration(path, t.b, /*zero_ok=*/true);
      if (t.a > t.b) {
        Problem(path, absl::StrCat("uniform's low end (", HumanDuration(t.a),
                                   ") is above its high end (", HumanDuration(t.b), ")"));
      }
      break;
    case ThinkTime::Kind::kExponential:
      WireDuration(path, t.a, /*zero_ok=*/false);
      break;
  }
}

void Checker::CheckTemplates(const Scenario& s, const RequestSpec& r,
                             const std::string& path,
                             const std::set<std::string>* captured) {
  CheckTemplate(s, r.path, path + ".path", captured);
  for (const auto& [name, value] : r.headers) {
    CheckTemplate(s, value, absl::StrCat(path, ".headers.", name), captured);
  }
  CheckTemplate(s, r.body, path + ".body", captured);
}

void Checker::CheckTemplate(const Scenario& s, const std::string& text,
                            const std::string& path,
                            const std::set<std::string>* captured) {
  absl::StatusOr<ParsedTemplate> parsed = ParseTemplate(text);
  if (!parsed.ok()) {
    Problem(path, absl::StrCat("malformed template: ", parsed.status().message(),
                               " (write ${name} or ${source.column}; $$ for a '$')"));
    return;
  }
  for (const TemplateSegment& seg : parsed->segments) {
    if (seg.kind == TemplateSegment::Kind::kVariable) {
      if (captured == nullptr) {
        Problem(path, absl::StrCat("${", seg.text,
                                   "}: requests cannot use flow variables (only "
                                   "${source.column} of a data source)"));
      } else if (!captured->count(seg.text)) {
        const bool is_source = FindSource(s, seg.text) != nullptr;
        Problem(path, absl::StrCat("unknown variable ${", seg.text,
                                   "} (captured before this step: ", ListOrNone(*captured),
                                   ")",
                                   is_source ? absl::StrCat("; data '", seg.text,
                                                            "' needs a column: ${",
                                                            seg.text, ".COLUMN}")
                                             : ""));
      }
    } else if (seg.kind == TemplateSegment::Kind::kDataColumn) {
      const DataSource* source = FindSource(s, seg.text);
      if (source == nullptr) {
        std::set<std::string> declared;
        for (const DataSource& d : s.data) declared.insert(d.name);
        Problem(path, absl::StrCat("${", seg.text, ".", seg.column, "}: '", seg.text,
                                   "' is not a data source (declared: ",
                                   ListOrNone(declared), ")"));
      } else if (!source->columns.empty() &&
                 std::find(source->columns.begin(), source->columns.end(), seg.column) ==
                     source->columns.end()) {
        Problem(path, absl::StrCat("data '", seg.text, "' has no column '", seg.column,
                                   "' (columns: ", absl::StrJoin(source->columns, ", "),
                                   ")"));
      }
    }
  }
}

}  // namespace scenario_internal
}  // namespace barrage
