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
// An agent that ends gracefully (Done: its final report is in, carrying
// every row it took) gives back exactly the rows it never took. A crashed
// agent (Lost) cannot say what it took after its last report: all its
// unreported rows go back and are dealt again, and those it may have taken
// (agents take their rows in dealing order, so the first of them) may be
// sent twice. Agents report every ~100 ms while taking rows (DataUsed), so
// that is about 100 ms of its rows; may_have_taken_rows() estimates it
// from the agent's take rate and the time since its last report, and
// redealt_rows() (every unreported row dealt again) is the hard bound. A
// late report of
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
  // `agent` took `range` (its report, received at `now_ns`, any monotonic
  // clock in ns). Rows not dealt to it are ignored; rows of a lost agent
  // already dealt again count as duplicates.
  void Taken(const std::string& agent, RowRange range, int64_t now_ns);
  // `agent`'s final report is in: its rows dealt and not reported taken
  // were never taken and go back (none counts in redealt_rows()).
  void Done(const std::string& agent);
  // `agent` was lost at `now_ns` (a crash or a broken link): its rows dealt
  // and not reported taken go back; those it may have taken since its last
  // report count in redealt_rows().
  void Lost(const std::string& agent, int64_t now_ns);

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
  // Rows lost agents held unreported and that are dealt again: no other
  // row can be sent twice (a hard bound). 0 after graceful ends only.
  int64_t redealt_rows() const { return redealt_rows_; }
  // Of those, the rows the lost agents may have taken after their last
  // report (the crash window), an estimate: per loss, the agent's highest
  // take rate (rows/s over >= 1 s windows of its reports) x 1.25 over the
  // time since its last report + 100 ms, + 1, at most the rows it held;
  // all of them before its second report. A burst above that rate just
  // before a crash can exceed it; redealt_rows() cannot be exceeded.
  int64_t may_have_taken_rows() const { return may_have_taken_rows_; }

 private:
  // An agent's reporting, for the crash window.
  struct Pace {
    int64_t last_ns = -1;     // its last report of rows
    int64_t window_ns = -1;   // the current rate window's start
    int64_t window_rows = 0;  // rows reported in it
    double peak_per_s = 0;    // the highest rate of a completed window
  };
  // Rows `agent` may have taken unreported by `now_ns`, of `held`.
  int64_t MayHaveTaken(const std::string& agent, int64_t held, int64_t now_ns) const;

  const std::string name_;
  const int64_t rows_;
  const bool recycle_;
  int64_t next_ = 0;                  // the next never-dealt row of the round
  std::deque<RowRange> returned_;     // from lost agents, dealt first
  std::map<std::string, std::vector<RowRange>> outstanding_;
  // Lost agents' rows: returned and not yet dealt again, and dealt again.
  std::map<std::string, std::vector<RowRange>> lost_;
  std::map<std::string, std::vector<RowRange>> redealt_;
  std::map<std::string, Pace> pace_;
  int64_t used_ = 0;
  int64_t duplicates_ = 0;
  int64_t redealt_rows_ = 0;
  int64_t may_have_taken_rows_ = 0;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_DATA_DEALER_H_
