// Copyright 2026 The Barrage Authors.
//
// Exit codes of `barrage run`, fixed by the design and documented in the
// README; the controller computes them, the CLI exits with them. The daemons
// and the other commands use the same names (0 done, 2 bad usage, 3 cannot
// start).
#ifndef BARRAGE_COMMON_UTIL_EXIT_CODES_H_
#define BARRAGE_COMMON_UTIL_EXIT_CODES_H_

namespace barrage {

enum ExitCode : int {
  kExitPassed = 0,
  kExitInternal = 1,
  kExitUsage = 2,          // bad usage or invalid scenario
  kExitCannotStart = 3,    // controller unreachable, too few agents
  kExitAborted = 4,        // abort threshold, agent loss with abort, stop
  kExitControllerLost = 5,  // the controller went away during the run
  kExitThresholdFailed = 99,
  kExitInterrupted = 130,  // a third Ctrl-C: exit at once (128 + SIGINT)
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_EXIT_CODES_H_
