// Copyright 2026 The Barrage Authors.
//
// The CLI's half of scenario `data:`: each source's file is read relative
// to the scenario file's directory, parsed (data_table.h) to prove it well
// formed and to learn its columns, and the source's columns, rows, bytes and
// sha256 are filled in before the scenario is validated (so the validator
// can check ${users.column} names). The bytes are kept for the upload to
// the controller (controller/cli, rpc UploadData).
//
// Thread safety: plain functions; no shared state.
#ifndef BARRAGE_COMMON_DATA_DATA_FILES_H_
#define BARRAGE_COMMON_DATA_DATA_FILES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"

namespace barrage {

// The largest data file the CLI reads (the controller's own limit,
// --max-data-bytes, is checked at upload).
inline constexpr size_t kMaxDataFileBytes = size_t{4} << 30;

// One data source's file as read: what the CLI uploads.
struct DataFile {
  std::string name;     // the source's name
  std::string sha256;   // hex, of `content`
  std::string content;  // the file's bytes, as read
};
// One per scenario.data source, in the scenario's order.
using DataContents = std::vector<DataFile>;

// Reads, parses and describes every source of `scenario` (filling columns,
// rows, bytes, sha256). Problems name the source ("data.users.file") and
// the file as written: "users.csv: not found", "users.csv:7: row has 2
// fields, the header has 3", "users.csv: empty file". `contents` (may be
// null) receives the files of the sources that were read.
std::vector<ScenarioProblem> AttachDataFiles(Scenario& scenario,
                                             const std::string& scenario_dir,
                                             DataContents* contents);

// The directory of a scenario file path ("." for a bare name).
std::string ScenarioDirectory(const std::string& scenario_path);

struct LoadedScenario {
  Scenario scenario;
  DataContents data;
};
// LoadScenarioFile (yaml_loader.h) with AttachDataFiles between parsing and
// validation: data problems are reported with the scenario's other
// problems, at the source's line.
absl::StatusOr<LoadedScenario> LoadScenarioWithData(
    const std::string& path, const ScenarioLimits& limits = {});

}  // namespace barrage

#endif  // BARRAGE_COMMON_DATA_DATA_FILES_H_
