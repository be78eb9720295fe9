// Copyright 2026 The Barrage Authors.
//
// The YAML loader's class, shared by the files that implement it (not a
// public interface: use yaml_loader.h). yaml_loader.cc holds the scenario's
// top level, requests, stages and thresholds; flow_fields.cc holds flows,
// steps, captures, checks, data sources and network profiles.
//
// Thread safety: one Loader per file load, on one thread.
#ifndef BARRAGE_COMMON_SCENARIO_YAML_LOADER_INTERNAL_H_
#define BARRAGE_COMMON_SCENARIO_YAML_LOADER_INTERNAL_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/scenario/monitor_yaml.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader.h"
#include "yaml-cpp/yaml.h"

namespace barrage {
namespace scenario_internal {

inline constexpr int64_t kIntMin = std::numeric_limits<int>::min();
inline constexpr int64_t kIntMax = std::numeric_limits<int>::max();
inline constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

struct Problem {
  int line;
  int column;
  std::string text;
};

// Where a field path's value is written, and the path to show for it: a
// request's inherited timeout is shown as "defaults.timeout".
struct Mark {
  SourceLocation at;
  std::string shown_path;
};

inline SourceLocation LocationOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return {mark.line + 1, mark.column + 1};
}

class Loader final : private YamlSectionReader {
 public:
  explicit Loader(absl::string_view filename) : filename_(filename) {}

  // Syntax, keys and types; the Scenario as written (the rules unchecked).
  absl::StatusOr<Scenario> Parse(absl::string_view text);
  // Parse, then the validator's rules reported at their fields' positions.
  absl::StatusOr<Scenario> Load(absl::string_view text,
                                const ScenarioLimits& limits,
                                const ScenarioStep& after_parse);

 private:
  // --- reporting ---
  void Error(SourceLocation at, const std::string& path,
             const std::string& message) {
    problems_.push_back(
        {at.line, at.column, absl::StrCat(path, ": ", message)});
    unreadable_.push_back(path);
  }
  void Error(const YAML::Node& at, const std::string& path,
             const std::string& message) {
    Error(LocationOf(at), path, message);
  }
  // `path` was not read (its problem is reported elsewhere): the validator's
  // findings within it are dropped.
  void Unreadable(const std::string& path) { unreadable_.push_back(path); }
  // Remembers where `path` is written.
  void Note(const std::string& path, const YAML::Node& at) {
    marks_[path] = {LocationOf(at), path};
  }
  // `path` took its value from `from` (a default).
  void Inherit(const std::string& path, const std::string& from) {
    if (auto it = marks_.find(from); it != marks_.end()) marks_[path] = it->second;
  }
  // The mark of `path`, or of the nearest enclosing field that has one.
  Mark MarkOf(const std::string& path) const;

  // --- YamlSectionReader, for sections read in their own files ---
  void Fail(const YAML::Node& at, const std::string& path,
            const std::string& message) override {
    Error(at, path, message);
  }
  void Locate(const std::string& path, const YAML::Node& at) override {
    Note(path, at);
  }

  // --- structure ---
  // Checks that `node` is a mapping whose keys are all in `allowed` and
  // unique; returns false (having reported why) when it is not a mapping.
  bool CheckMap(const YAML::Node& node, const std::string& path,
                const std::vector<absl::string_view>& allowed) override;
  void Required(const YAML::Node& map, const std::string& path,
                const char* key);
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : absl::StrCat(path, ".", key);
  }

  // --- scalars; nullopt after reporting a problem ---
  std::optional<std::string> Str(const YAML::Node& n,
                                 const std::string& path) override;
  std::optional<absl::Duration> Dur(const YAML::Node& n,
                                    const std::string& path) override;
  std::optional<Rational> Rate(const YAML::Node& n, const std::string& path);
  std::optional<int64_t> Int(const YAML::Node& n, const std::string& path,
                             int64_t min, int64_t max);
  std::optional<bool> Bool(const YAML::Node& n, const std::string& path);
  std::optional<HeaderList> Headers(const YAML::Node& n,
                                    const std::string& path);

  // --- sections ---
  void LoadAgents(const YAML::Node& n, AgentsPolicy& out);
  void LoadHttp(const YAML::Node& n, Scenario& out);
  void LoadSelect(const YAML::Node& n, AgentsPolicy& out);
  void LoadTls(const YAML::Node& n, TlsPolicy& out);
  void LoadDefaults(const YAML::Node& n, Scenario& out);
  void LoadRequests(const YAML::Node& n, Scenario& out);
  // `is_step`: a flow step's keys (think, capture, check; no weight) are
  // allowed instead of a request's; the caller reads the step's own keys.
  void LoadRequest(const YAML::Node& n, const std::string& path,
                   const Scenario& scenario, RequestSpec& out,
                   bool is_step = false);
  void LoadExpect(const YAML::Node& n, const std::string& path,
                  RequestSpec& out);
  void LoadStages(const YAML::Node& n, Scenario& out);
  void LoadStage(const YAML::Node& n, const std::string& path, Stage& out);
  void LoadThresholds(const YAML::Node& n, Scenario& out);
  void LoadThreshold(const YAML::Node& n, const std::string& path,
                     Threshold& out);
  void LoadThresholdLimit(const YAML::Node& n, const std::string& path,
                          Threshold& out);

  // --- flows, data sources, network profiles (flow_fields.cc) ---
  void LoadData(const YAML::Node& n, Scenario& out);
  void LoadDataSource(const YAML::Node& n, const std::string& path,
                      DataSource& out);
  // nullopt after reporting a problem within it.
  std::optional<NetworkProfile> LoadNetwork(const YAML::Node& n,
                                            const std::string& path);
  void LoadFlows(const YAML::Node& n, Scenario& out);
  void LoadFlow(const YAML::Node& n, const std::string& path,
                const Scenario& scenario, FlowSpec& out);
  void LoadStep(const YAML::Node& n, const std::string& path,
                const Scenario& scenario, const std::string& flow,
                FlowStep& out);
  void LoadCaptures(const YAML::Node& n, const std::string& path,
                    FlowStep& out);
  void LoadChecks(const YAML::Node& n, const std::string& path,
                  FlowStep& out);
  void LoadCheckStatus(const YAML::Node& n, const std::string& path,
                       FlowStep& out);

  // Fills scenario_ from the document; false when there is nothing to fill.
  bool Walk(absl::string_view text);
  absl::Status Result() const;

  std::string filename_;
  Scenario scenario_;
  std::vector<Problem> problems_;
  std::vector<std::string> unreadable_;
  std::map<std::string, Mark> marks_;
};

}  // namespace scenario_internal
}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_YAML_LOADER_INTERNAL_H_
