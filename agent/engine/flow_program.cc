// Copyright 2026 The Barrage Authors.

#include "agent/engine/flow_program.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/scenario/template.h"
#include "re2/re2.h"

namespace barrage {
namespace {

// Resolves one text's references. `vars` maps a flow's variable names to
// slots (empty for plain requests: a ${var} there is an error).
class TextCompiler {
 public:
  TextCompiler(const Scenario& scenario, const std::map<std::string, uint32_t>& vars)
      : scenario_(scenario), vars_(vars) {}

  absl::StatusOr<CompiledText> Compile(absl::string_view text, absl::string_view what,
                                       std::vector<uint32_t>& data) {
    absl::StatusOr<ParsedTemplate> parsed = ParseTemplate(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", parsed.status().message()));
    }
    CompiledText out;
    for (const TemplateSegment& seg : parsed->segments) {
      CompiledSegment c;
      switch (seg.kind) {
        case TemplateSegment::Kind::kLiteral:
          c.literal = seg.text;
          if (!out.empty() && out.back().kind == CompiledSegment::Kind::kLiteral) {
            out.back().literal += seg.text;
            continue;
          }
          break;
        case TemplateSegment::Kind::kVariable: {
          auto it = vars_.find(seg.text);
          if (it == vars_.end()) {
            return absl::InvalidArgumentError(
                absl::StrCat(what, ": unknown variable ${", seg.text, "}"));
          }
          c.kind = CompiledSegment::Kind::kVariable;
          c.index = it->second;
          break;
        }
        case TemplateSegment::Kind::kDataColumn: {
          absl::StatusOr<std::pair<uint32_t, uint32_t>> ref = Column(seg, what);
          if (!ref.ok()) return ref.status();
          c.kind = CompiledSegment::Kind::kData;
          c.index = ref->first;
          c.column = ref->second;
          if (std::find(data.begin(), data.end(), c.index) == data.end()) data.push_back(c.index);
          break;
        }
      }
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  absl::StatusOr<std::pair<uint32_t, uint32_t>> Column(const TemplateSegment& seg,
                                                      absl::string_view what) {
    for (size_t i = 0; i < scenario_.data.size(); ++i) {
      const DataSource& d = scenario_.data[i];
      if (d.name != seg.text) continue;
      for (size_t c = 0; c < d.columns.size(); ++c) {
        if (d.columns[c] == seg.column) {
          return std::make_pair(static_cast<uint32_t>(i), static_cast<uint32_t>(c));
        }
      }
      return absl::InvalidArgumentError(absl::StrCat(what, ": data source '", d.name,
                                                     "' has no column '", seg.column, "'"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": unknown data source '", seg.text, "'"));
  }

  const Scenario& scenario_;
  const std::map<std::string, uint32_t>& vars_;
};

bool IsRendered(const CompiledText& text) {
  return std::any_of(text.begin(), text.end(), [](const CompiledSegment& s) {
    return s.kind != CompiledSegment::Kind::kLiteral;
  });
}

absl::StatusOr<CompiledTemplate> CompileTemplate(const Scenario& scenario, const RequestSpec& r,
                                                 const std::map<std::string, uint32_t>& vars,
                                                 bool cookies) {
  TextCompiler compiler(scenario, vars);
  CompiledTemplate t;
  absl::StatusOr<CompiledText> path =
      compiler.Compile(absl::StrCat(scenario.target.base_path, r.path),
                       absl::StrCat(r.name, ": path"), t.data);
  if (!path.ok()) return path.status();
  t.path = std::move(*path);
  bool rendered = cookies || IsRendered(t.path);
  for (const auto& [name, value] : r.headers) {
    absl::StatusOr<CompiledText> v =
        compiler.Compile(value, absl::StrCat(r.name, ": header ", name), t.data);
    if (!v.ok()) return v.status();
    rendered = rendered || IsRendered(*v);
    t.header_names.push_back(name);
    t.header_values.push_back(std::move(*v));
  }
  absl::StatusOr<CompiledText> body =
      compiler.Compile(r.body, absl::StrCat(r.name, ": body"), t.data);
  if (!body.ok()) return body.status();
  rendered = rendered || IsRendered(*body);
  t.body = std::move(*body);
  t.rendered = rendered;
  std::sort(t.data.begin(), t.data.end());
  return t;
}

void Union(std::vector<uint32_t>& into, const std::vector<uint32_t>& more) {
  for (uint32_t d : more) {
    if (std::find(into.begin(), into.end(), d) == into.end()) into.push_back(d);
  }
  std::sort(into.begin(), into.end());
}

absl::StatusOr<CompiledStep> CompileStep(const FlowStep& step, uint32_t tpl,
                                         const std::map<std::string, uint32_t>& vars) {
  CompiledStep out;
  out.tpl = tpl;
  out.think = step.think.kind;
  out.think_a_ns = absl::ToInt64Nanoseconds(step.think.a);
  out.think_b_ns = absl::ToInt64Nanoseconds(step.think.b);
  const std::string& name = step.request.name;
  for (const Capture& c : step.captures) {
    CompiledCapture cc;
    cc.kind = c.kind;
    cc.var = vars.at(c.var);
    if (c.kind == Capture::Kind::kJson) {
      absl::StatusOr<JsonPath> p = ParseJsonPath(c.expr);
      if (!p.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": capture ", c.var, ": ", p.status().message()));
      }
      cc.json = std::move(*p);
    } else if (c.kind == Capture::Kind::kHeader) {
      cc.header = c.expr;
    } else if (c.kind == Capture::Kind::kRegex) {
      auto re = std::make_shared<const re2::RE2>(c.expr, re2::RE2::Quiet);
      if (!re->ok() || re->NumberOfCapturingGroups() < 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": capture ", c.var, ": regex needs one capturing group: ", re->error()));
      }
      cc.regex = std::move(re);
    }
    out.captures.push_back(std::move(cc));
  }
  for (const Check& c : step.checks) {
    CompiledCheck cc;
    cc.kind = c.kind;
    if (c.kind == Check::Kind::kJsonExists || c.kind == Check::Kind::kJsonEquals) {
      absl::StatusOr<JsonPath> p = ParseJsonPath(c.path);
      if (!p.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": check ", c.name, ": ", p.status().message()));
      }
      cc.json = std::move(*p);
    }
    cc.header = c.path;
    cc.value = c.value;
    cc.statuses = c.statuses;
    cc.max_ns = absl::ToInt64Nanoseconds(c.max_duration);
    out.checks.push_back(std::move(cc));
  }
  return out;
}

// Variable slots of a flow: every captured name, in order of first capture.
std::map<std::string, uint32_t> FlowVars(const FlowSpec& flow) {
  std::map<std::string, uint32_t> vars;
  for (const FlowStep& step : flow.steps) {
    for (const Capture& c : step.captures) {
      vars.emplace(c.var, static_cast<uint32_t>(vars.size()));
    }
  }
  return vars;
}

}  // namespace

std::shared_ptr<const StatsLayout> MakeStatsLayout(const Scenario& scenario) {
  auto layout = std::make_shared<StatsLayout>();
  layout->templates = scenario.requests.size();
  layout->reasons.resize(scenario.requests.size());
  for (const FlowSpec& flow : scenario.flows) {
    layout->flows.push_back(flow.name);
    std::vector<uint32_t> steps;
    for (const FlowStep& step : flow.steps) {
      steps.push_back(static_cast<uint32_t>(layout->templates++));
      std::vector<std::string> reasons;
      for (const Capture& c : step.captures) reasons.push_back(absl::StrCat("capture ", c.var));
      for (const Check& c : step.checks) reasons.push_back(absl::StrCat("check ", c.name));
      layout->reasons.push_back(std::move(reasons));
    }
    layout->flow_steps.push_back(std::move(steps));
  }
  return layout;
}

absl::StatusOr<FlowProgram> FlowProgram::Compile(const Scenario& scenario) {
  FlowProgram p;
  p.requests_ = scenario.requests.size();
  p.data_sources_ = scenario.data.size();
  const std::map<std::string, uint32_t> no_vars;
  for (const RequestSpec& r : scenario.requests) {
    absl::StatusOr<CompiledTemplate> t = CompileTemplate(scenario, r, no_vars, false);
    if (!t.ok()) return t.status();
    p.weights_.push_back(r.weight);
    p.item_data_.push_back(t->data);
    p.max_headers_ = std::max(p.max_headers_, t->header_names.size());
    p.templates_.push_back(std::move(*t));
  }
  for (const FlowSpec& flow : scenario.flows) {
    const std::map<std::string, uint32_t> vars = FlowVars(flow);
    CompiledFlow f;
    f.cookies = flow.cookies;
    f.vars = static_cast<uint32_t>(vars.size());
    for (const FlowStep& step : flow.steps) {
      absl::StatusOr<CompiledTemplate> t =
          CompileTemplate(scenario, step.request, vars, flow.cookies);
      if (!t.ok()) return t.status();
      absl::StatusOr<CompiledStep> s =
          CompileStep(step, static_cast<uint32_t>(p.templates_.size()), vars);
      if (!s.ok()) return s.status();
      Union(f.data, t->data);
      p.max_headers_ = std::max(p.max_headers_, t->header_names.size());
      p.templates_.push_back(std::move(*t));
      p.has_think_ = p.has_think_ || s->think != ThinkTime::Kind::kNone;
      f.steps.push_back(std::move(*s));
    }
    p.max_vars_ = std::max(p.max_vars_, f.vars);
    p.weights_.push_back(flow.weight);
    p.item_data_.push_back(f.data);
    p.flows_.push_back(std::move(f));
  }
  p.layout_ = MakeStatsLayout(scenario);
  return p;
}

}  // namespace barrage
