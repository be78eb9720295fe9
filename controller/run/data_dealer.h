// Copyright 2026 The Barrage Authors.
//
// DataDealer: the controller's accounting of one unique data source
// (scenario `data:` with mode: unique) in one run. Rows are dealt in file
// order as ranges (leases) to the agents that ask; an agent reports the
// rows it took (StatsReport.data_used); a lost agent's rows dealt and not
// reported taken go back and are dealt first to the next agents that ask.
// Within a round no row is dealt twice; on_end recycle starts a new round
// of all rows once the last is dealt, on_end stop deals no more.
//
// Crash window: an agent that took rows and was killed before its next
// report leaves them looking untaken: they are dealt again and may be sent
// twice. Agents report at every interval and with every request, so the
// window is about one report interval of that agent's rows; a report of
// rows already dealt again is counted in duplicates().
//
// Thread safety: none; the coordinator calls it under its lock.
#ifndef BARRAGE_CONTROLLER_RUN_DATA_DEALER_H_
#define BARRAGE_CONTROLLER_RUN_DATA_DEALER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace barrage {

struct RowRange {
  int64_t first = 0;
  int64_t count = 0;
  bool operator==(const RowRange& o) const { return first == o.first && count == o.count; }
};

class DataDealer {
 public:
  // `rows` > 0.
  DataDealer(std::string name, int64_t rows, bool recycle);

  const std::string& name() const { return name_; }
  int64_t rows() const { return rows_; }

  // Up to `wanted` rows for `agent`, as ranges in dealing order (rows given
  // back by lost agents first). Empty when none are left (on_end stop).
  std::vector<RowRange> Deal(const std::string& agent, int64_t wanted);
  // `agent` took `range` (its report). Rows not dealt to it are ignored;
  // rows of a lost agent already dealt again count as duplicates.
  void Taken(const std::string& agent, RowRange range);
  // `agent` is gone: its rows dealt and not reported taken go back.
  void Lost(const std::string& agent);

  // on_end stop: every row is dealt (nothing more to deal).
  bool AllDealt() const;
  // on_end stop: every row is dealt and reported taken.
  bool UsedUp() const;
  // Rows reported taken, over all rounds.
  int64_t used() const { return used_; }
  // Rows `agent` holds: dealt and not reported taken.
  int64_t Outstanding(const std::string& agent) const;
  // Reports of rows that had been dealt again after a loss.
  int64_t duplicates() const { return duplicates_; }
  // Rows lost agents held unreported, given back to be dealt again: the
  // most rows that may have been sent twice (the crash window).
  int64_t redealt_rows() const { return redealt_rows_; }

 private:
  const std::string name_;
  const int64_t rows_;
  const bool recycle_;
  int64_t next_ = 0;                  // the next never-dealt row of the round
  std::deque<RowRange> returned_;     // from lost agents, dealt first
  std::map<std::string, std::vector<RowRange>> outstanding_;
  // Lost agents' rows: returned and not yet dealt again, and dealt again.
  std::map<std::string, std::vector<RowRange>> lost_;
  std::map<std::string, std::vector<RowRange>> redealt_;
  int64_t used_ = 0;
  int64_t duplicates_ = 0;
  int64_t redealt_rows_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_DATA_DEALER_H_
