// Copyright 2026 The Barrage Authors.
//
// `barrage compare BASELINE CURRENT`: is CURRENT worse than BASELINE?
// Each argument is a result JSON file (`run --out json=F`) or, when no such
// file exists, a run id whose result is fetched from the controller
// (--controller and the other remote flags, as `barrage report`). The
// comparison is controller/report/compare.h; the output is
// compare_render.h's --format text|markdown|json, to stdout.
//
// Exit codes: 0 no regression, 99 a regression, 98 inconclusive (none
// regressed, at least one undecided), 2 bad usage, runs not comparable
// (without --force), a result without a series, or an unreadable result;
// 3 the controller cannot be reached.
#ifndef BARRAGE_CONTROLLER_CLI_COMPARE_COMMAND_H_
#define BARRAGE_CONTROLLER_CLI_COMPARE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace barrage {

// `args` excludes the program and command names.
int RunCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_COMPARE_COMMAND_H_
