// Copyright 2026 The Barrage Authors.
//
// RowSource: one worker's view of one data source (scenario `data:`): it
// hands out the row for the next flow iteration or request, by the
// source's mode (sequential, random, unique) and on_end (recycle, stop),
// and the row's fields. The real sources (data_feed.h) hold the agent's
// copy of the file; tests use fakes.
//
// Thread safety: NextRow and Field belong to the worker's thread; neither
// allocates nor blocks (unique sources are refilled by the agent's link in
// the background, ahead of need).
#ifndef BARRAGE_AGENT_ENGINE_ROW_SOURCE_H_
#define BARRAGE_AGENT_ENGINE_ROW_SOURCE_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace barrage {

class RowSource {
 public:
  // NextRow's answer when no row is left for now: on_end stop and every row
  // used (the agent's share, for unique), or a unique source whose next
  // rows have not arrived yet. The worker does not start the iteration and
  // counts it in `data_exhausted` (AgentCounters); a due arrival so skipped
  // is never sent.
  static constexpr int64_t kNoRow = -1;

  virtual ~RowSource() = default;
  // The row (0-based, header excluded) for the next iteration, or kNoRow.
  virtual int64_t NextRow() = 0;
  // Column `column` (in DataSource::columns order) of `row`, unescaped.
  // Valid for the run.
  virtual absl::string_view Field(int64_t row, size_t column) const = 0;
  // True once kNoRow is final (on_end stop, every row used): the worker
  // stops issuing iterations that need this source.
  virtual bool Exhausted() const = 0;
};

}  // namespace barrage

#endif  // BARRAGE_AGENT_ENGINE_ROW_SOURCE_H_
