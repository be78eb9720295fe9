// Copyright 2026 The Barrage Authors.
//
// Exit codes of `barrage run`, fixed by the design and documented in the
// README; the controller computes them, the CLI exits with them.
#ifndef BARRAGE_COMMON_UTIL_EXIT_CODES_H_
#define BARRAGE_COMMON_UTIL_EXIT_CODES_H_

namespace barrage {

enum ExitCode : int {
  kExitPassed = 0,
  kExitInternal = 1,
  kExitUsage = 2,          // bad usage or invalid scenario
  kExitCannotStart = 3,    // controller unreachable, too few agents
  kExitAborted = 4,        // abort threshold, agent loss with abort, stop
  kExitThresholdFailed = 99,
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_EXIT_CODES_H_
