// Copyright 2026 The Barrage Authors.
//
// DataTable: one data file (scenario `data:`) parsed into rows of string
// fields, held compactly for the whole run: one buffer of the unescaped
// fields back to back plus one offset per field (32-bit while the buffer is
// under 4 GiB, else 64-bit). Parsing reuses the file's own buffer (fields
// never grow when unescaped), so a parsed table costs about the file's size
// plus 4 bytes per field.
//
// Formats:
//   CSV (RFC 4180): a header row names the columns; fields separated by
//     commas; a field in double quotes may hold commas, newlines and ""
//     (one quote); records end in LF or CRLF; the last newline is optional;
//     a UTF-8 byte order mark is skipped.
//   JSON lines: one flat JSON object of scalars per line; the first line's
//     keys are the columns (in its order); every line has the same keys (in
//     any order). Strings are unescaped; numbers, true and false keep their
//     text; null is the empty field. Blank lines are skipped.
//
// Errors are InvalidArgument and name the file (as passed) and the line:
//   "users.csv:7: row has 2 fields, the header has 3"
//   "users.jsonl:3: not a JSON object"
//   "users.csv: empty file"
//
// Thread safety: immutable once built; any thread may read it.
#ifndef BARRAGE_COMMON_DATA_DATA_TABLE_H_
#define BARRAGE_COMMON_DATA_DATA_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/scenario/scenario.h"

namespace barrage {

class DataTable {
 public:
  // Parses `content` (taken: its buffer becomes the table's). `name` is
  // the file as the user wrote it, for error messages.
  static absl::StatusOr<DataTable> Parse(absl::string_view name,
                                         std::string content,
                                         DataSource::Format format);

  DataTable(DataTable&&) = default;
  DataTable& operator=(DataTable&&) = default;
  DataTable(const DataTable&) = delete;
  DataTable& operator=(const DataTable&) = delete;

  const std::vector<std::string>& columns() const { return columns_; }
  // Rows, header excluded; > 0.
  int64_t rows() const { return rows_; }
  // Field `column` of `row` (0-based, header excluded), unescaped. Both in
  // range (unchecked). Valid while the table lives.
  absl::string_view Field(int64_t row, size_t column) const {
    const size_t i = static_cast<size_t>(row) * columns_.size() + column;
    const size_t begin = offsets32_.empty() ? offsets64_[i] : offsets32_[i];
    const size_t end =
        offsets32_.empty() ? offsets64_[i + 1] : offsets32_[i + 1];
    return absl::string_view(buffer_.data() + begin, end - begin);
  }
  // Heap bytes the table holds (buffer capacity, offsets, column names).
  size_t MemoryBytes() const;

 private:
  DataTable() = default;
  friend class DataTableBuilder;

  std::vector<std::string> columns_;
  int64_t rows_ = 0;
  std::string buffer_;              // fields back to back, unescaped
  // rows_ * columns + 1 field starts (the last is the end); one of the two
  // is used: 32-bit when buffer_ is under 4 GiB.
  std::vector<uint32_t> offsets32_;
  std::vector<uint64_t> offsets64_;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_DATA_DATA_TABLE_H_
