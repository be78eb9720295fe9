// Copyright 2026 The Barrage Authors.
//
// FlowProgram: a run's requests and flows compiled once per worker, so that
// the request path only appends and compares. Templates (template.h) become
// segments with every reference resolved to an index (a flow variable's
// slot, a data source and column); captures and checks get their JSON
// paths parsed and their regexes compiled (RE2).
//
// Items are what an arrival (open model) or a VU's loop (closed model)
// picks by weight: items [0, requests) are the scenario's requests, the
// rest its flows in order. Template indexes are BuildTemplates' order: the
// requests, then every flow's steps.
//
// Thread safety: immutable after Compile(); one per worker (RE2 objects may
// be shared, but a worker keeps its own for locality).
#ifndef BARRAGE_AGENT_ENGINE_FLOW_PROGRAM_H_
#define BARRAGE_AGENT_ENGINE_FLOW_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/engine/interval_stats.h"
#include "common/scenario/json_path.h"
#include "common/scenario/scenario.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace barrage {

struct CompiledSegment {
  enum class Kind : uint8_t { kLiteral, kVariable, kData };
  Kind kind = Kind::kLiteral;
  std::string literal;  // kLiteral
  uint32_t index = 0;   // kVariable: the flow's variable slot; kData: the source
  uint32_t column = 0;  // kData: the column, in DataSource::columns order
};
using CompiledText = std::vector<CompiledSegment>;

struct CompiledTemplate {
  // False: sent with HttpClient::Start() as built (plain, static requests
  // and flow steps with neither references nor cookies).
  bool rendered = false;
  CompiledText path;  // the target's base path, then the request's path
  std::vector<std::string> header_names;
  std::vector<CompiledText> header_values;
  CompiledText body;
  std::vector<uint32_t> data;  // data sources referenced, ascending
};

struct CompiledCapture {
  Capture::Kind kind = Capture::Kind::kJson;
  uint32_t var = 0;
  JsonPath json;
  std::string header;
  std::shared_ptr<const re2::RE2> regex;
};

struct CompiledCheck {
  Check::Kind kind = Check::Kind::kStatus;
  JsonPath json;
  std::string header;
  std::string value;
  std::vector<int> statuses;
  int64_t max_ns = 0;
};

struct CompiledStep {
  uint32_t tpl = 0;
  ThinkTime::Kind think = ThinkTime::Kind::kNone;
  int64_t think_a_ns = 0;  // fixed: the pause; uniform: low; exponential: mean
  int64_t think_b_ns = 0;  // uniform: high
  std::vector<CompiledCapture> captures;
  // Checks after the captures; failure index = captures.size() + check.
  std::vector<CompiledCheck> checks;
};

struct CompiledFlow {
  std::vector<CompiledStep> steps;
  bool cookies = false;
  uint32_t vars = 0;           // variable slots
  std::vector<uint32_t> data;  // data sources any step references, ascending
};

class FlowProgram {
 public:
  // InvalidArgument naming the request or step for a malformed template,
  // an unknown variable, source or column, a bad JSON path or regex.
  static absl::StatusOr<FlowProgram> Compile(const Scenario& scenario);

  size_t requests() const { return requests_; }
  size_t items() const { return requests_ + flows_.size(); }
  // Item weights, requests then flows, for the RequestPicker.
  const std::vector<int64_t>& weights() const { return weights_; }
  // Data sources item `item` needs (one row each per iteration).
  const std::vector<uint32_t>& item_data(size_t item) const { return item_data_[item]; }
  const CompiledTemplate& tpl(size_t index) const { return templates_[index]; }
  size_t templates() const { return templates_.size(); }
  const CompiledFlow& flow(size_t index) const { return flows_[index]; }
  size_t flows() const { return flows_.size(); }
  bool has_flows() const { return !flows_.empty(); }
  bool has_think() const { return has_think_; }
  uint32_t max_vars() const { return max_vars_; }
  size_t max_headers() const { return max_headers_; }
  size_t data_sources() const { return data_sources_; }
  // Names for the interval statistics' flow and check counters.
  const std::shared_ptr<const StatsLayout>& layout() const { return layout_; }

 private:
  size_t requests_ = 0;
  size_t data_sources_ = 0;
  std::vector<int64_t> weights_;
  std::vector<std::vector<uint32_t>> item_data_;
  std::vector<CompiledTemplate> templates_;
  std::vector<CompiledFlow> flows_;
  bool has_think_ = false;
  uint32_t max_vars_ = 0;
  size_t max_headers_ = 0;
  std::shared_ptr<const StatsLayout> layout_;
};

// The interval statistics' layout for `scenario` (what Compile() puts in
// layout()), without compiling: for the agent's report merger.
std::shared_ptr<const StatsLayout> MakeStatsLayout(const Scenario& scenario);

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_FLOW_PROGRAM_H_
