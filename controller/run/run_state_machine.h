// Copyright 2026 The Barrage Authors.
//
// RunStateMachine: the life of one run as pure transitions. It performs
// nothing; the coordinator applies an event, gets the next state and the
// action to take, and does it.
//
//   waiting_for_agents -> starting -> running -> stopping -> finished
//                      \-> failed   \-> failed  \-> aborting -> aborted
//
// An event that makes no sense in a state (a late "all accepted", a second
// stop) leaves the state as it is with action kIgnore, so a confused or
// hostile message can never move a run backwards.
//
// Thread safety: a value type; owned by the coordinator thread.
#ifndef BARRAGE_CONTROLLER_RUN_RUN_STATE_MACHINE_H_
#define BARRAGE_CONTROLLER_RUN_RUN_STATE_MACHINE_H_

namespace barrage {

enum class RunState {
  kWaitingForAgents,
  kStarting,
  kRunning,
  kStopping,   // plan done: agents drain and send final reports
  kAborting,   // stopped early: agents abandon in-flight requests
  kFinished,   // terminal: thresholds decide passed or failed
  kFailed,     // terminal: could not start, or broke
  kAborted,    // terminal: stopped early
};
inline constexpr int kRunStateCount = 8;

enum class RunEventKind {
  kAgentsReady,     // enough agents are connected
  kWaitTimedOut,    // agents.wait passed without enough agents
  kAllAccepted,     // every assigned agent accepted its share
  kAgentRefused,    // an agent refused its share
  kAcceptTimedOut,  // not every agent accepted in time
  kPlanElapsed,     // the plan's duration has passed
  kAllFinal,        // every agent sent its final report
  kDrainTimedOut,   // final reports did not all come in time
  kStopRequested,   // the user asked to stop
  kAbortThreshold,  // an abort threshold failed
  kAgentLost,       // an agent went away; on_loss continue or redistribute
  kAgentLostAbort,  // an agent went away; on_loss abort
  kInternalError,
};
inline constexpr int kRunEventCount = 13;

enum class RunAction {
  kIgnore,           // the event does not apply in this state
  kNone,             // state changes (or not) with nothing to send
  kSplitAndStart,    // split the plan and send StartRun to every agent
  kFailToStart,      // report "could not start" (exit 3)
  kStopAgents,       // tell agents to stop now (plan done or stopping early)
  kAbortAgents,      // tell agents to stop at once
  kApplyLossPolicy,  // redistribute or continue degraded; record the event
  kFinish,           // judge thresholds, write the result
};

struct RunTransition {
  RunState next;
  RunAction action;
};

RunTransition NextRunState(RunState state, RunEventKind event);
bool IsTerminal(RunState state);
const char* RunStateName(RunState state);  // "waiting_for_agents", ...

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_RUN_STATE_MACHINE_H_
