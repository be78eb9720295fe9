// Copyright 2026 The Barrage Authors.
//
// The `monitor:` section of a scenario file (README "Monitor"), read for
// the YAML loader: keys, types and units, with the loader's reporting (so
// problems carry FILE:LINE:COLUMN like the rest of the file). The rules on
// the values are AppendMonitorProblems' (monitor_fields.h). Only the loader
// includes this; yaml-cpp exceptions never escape it.
//
//   monitor:
//     prometheus: http://127.0.0.1:9090
//     token_file: prom.token           # optional; the CLI reads it
//     interval: 5s                     # default 5s
//     queries:
//       cpu: {query: 'sum(rate(...))', saturation: 0.8}
//       hit_ratio: 'avg(cache_hit_ratio)'
#ifndef BARRAGE_COMMON_SCENARIO_MONITOR_YAML_H_
#define BARRAGE_COMMON_SCENARIO_MONITOR_YAML_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/scenario/scenario.h"
#include "yaml-cpp/yaml.h"

namespace barrage {

// What the loader lends a section reader: its checks and its reporting.
// Each returns nullopt/false after reporting the problem.
class YamlSectionReader {
 public:
  virtual ~YamlSectionReader() = default;
  // A mapping whose keys are all in `allowed` and unique.
  virtual bool CheckMap(const YAML::Node& node, const std::string& path,
                        const std::vector<absl::string_view>& allowed) = 0;
  virtual std::optional<std::string> Str(const YAML::Node& n,
                                         const std::string& path) = 0;
  virtual std::optional<absl::Duration> Dur(const YAML::Node& n,
                                            const std::string& path) = 0;
  // Reports `message` for `path` at `at`.
  virtual void Fail(const YAML::Node& at, const std::string& path,
                    const std::string& message) = 0;
  // Remembers where `path` is written (for the validator's findings).
  virtual void Locate(const std::string& path, const YAML::Node& at) = 0;
};

// Reads `n` (the value of `monitor`) into `out`.
void LoadMonitorYaml(const YAML::Node& n, YamlSectionReader& reader,
                     MonitorSpec& out);

// A plain number ("0.7", "100", "-3e2"): a monitor threshold's limit.
std::optional<double> MonitorNumber(const YAML::Node& n,
                                    const std::string& path,
                                    YamlSectionReader& reader);

}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_MONITOR_YAML_H_
