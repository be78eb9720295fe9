// Copyright 2026 The Barrage Authors.
#include "common/data/data_files.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/data/data_table.h"
#include "common/data/sha256.h"
#include "common/scenario/yaml_loader.h"
#include "common/util/files.h"

namespace barrage {

std::string ScenarioDirectory(const std::string& scenario_path) {
  const size_t slash = scenario_path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return scenario_path.substr(0, slash);
}

std::vector<ScenarioProblem> AttachDataFiles(Scenario& scenario,
                                             const std::string& scenario_dir,
                                             DataContents* contents) {
  std::vector<ScenarioProblem> problems;
  for (DataSource& source : scenario.data) {
    if (source.file.empty()) continue;  // the validator says so
    const std::string where = absl::StrCat("data.", source.name, ".file");
    const std::string path = source.file[0] == '/'
                                 ? source.file
                                 : absl::StrCat(scenario_dir, "/", source.file);
    absl::StatusOr<std::string> content = ReadFile(path, kMaxDataFileBytes);
    if (!content.ok()) {
      problems.push_back(
          {where, absl::IsNotFound(content.status())
                      ? absl::StrCat(source.file, ": not found")
                      : std::string(content.status().message())});
      continue;
    }
    const std::string sha256 = Sha256Hex(*content);
    const int64_t bytes = static_cast<int64_t>(content->size());
    // The table is parsed from a copy when the bytes are kept for upload.
    std::string parse_input = contents != nullptr ? *content : std::move(*content);
    absl::StatusOr<DataTable> table =
        DataTable::Parse(source.file, std::move(parse_input), source.format);
    if (!table.ok()) {
      problems.push_back({where, std::string(table.status().message())});
      continue;
    }
    source.columns = table->columns();
    source.rows = table->rows();
    source.bytes = bytes;
    source.sha256 = sha256;
    if (contents != nullptr) {
      contents->push_back({source.name, sha256, std::move(*content)});
    }
  }
  return problems;
}

absl::StatusOr<LoadedScenario> LoadScenarioWithData(
    const std::string& path, const ScenarioLimits& limits) {
  LoadedScenario loaded;
  const std::string dir = ScenarioDirectory(path);
  absl::StatusOr<Scenario> scenario = LoadScenarioFile(
      path, limits, [&](Scenario& s) {
        return AttachDataFiles(s, dir, &loaded.data);
      });
  if (!scenario.ok()) return scenario.status();
  loaded.scenario = *std::move(scenario);
  return loaded;
}

}  // namespace barrage
