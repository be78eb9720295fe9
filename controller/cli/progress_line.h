// Copyright 2026 The Barrage Authors.
//
// The live progress line `barrage run` and `barrage status` print: one line
// per Progress (controller/run: one per closed interval) that fits the
// terminal. Pure functions, except TerminalColumns (reads the terminal).
#ifndef BARRAGE_CONTROLLER_CLI_PROGRESS_LINE_H_
#define BARRAGE_CONTROLLER_CLI_PROGRESS_LINE_H_

#include <string>

#include "barrage/v1/control.pb.h"

namespace barrage {

// Columns assumed when stdout is not a terminal (and the narrowest layout
// that shows every main field).
inline constexpr int kDefaultColumns = 100;

// The widest layout whose line fits `columns` characters (at least 40):
//   < 100: elapsed, achieved rate, p95, requests, errors, dropped;
//   >= 100: also the target rate, p50, p99, the error percentage, agents;
//   >= 150: every field with its full label, latencies marked "(10 s)".
// Active VUs are added when there are any and they fit. A line that still
// does not fit (huge numbers) is cut to `columns`.
std::string ProgressLine(const v1::Progress& progress, int columns);

// The width of the terminal on stdout: its TIOCGWINSZ size, else $COLUMNS
// when it is a positive number; kDefaultColumns when stdout is not a
// terminal or neither says.
int TerminalColumns();

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_PROGRESS_LINE_H_
