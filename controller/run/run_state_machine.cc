// Copyright 2026 The Barrage Authors.

#include "controller/run/run_state_machine.h"

namespace barrage {

bool IsTerminal(RunState s) {
  return s == RunState::kFinished || s == RunState::kFailed ||
         s == RunState::kAborted;
}

const char* RunStateName(RunState s) {
  switch (s) {
    case RunState::kWaitingForAgents: return "waiting_for_agents";
    case RunState::kStarting: return "starting";
    case RunState::kRunning: return "running";
    case RunState::kStopping: return "stopping";
    case RunState::kAborting: return "aborting";
    case RunState::kFinished: return "finished";
    case RunState::kFailed: return "failed";
    case RunState::kAborted: return "aborted";
  }
  return "?";
}

RunTransition NextRunState(RunState s, RunEventKind e) {
  using S = RunState;
  using E = RunEventKind;
  using A = RunAction;
  if (IsTerminal(s)) return {s, A::kIgnore};
  if (e == E::kInternalError) return {S::kFailed, A::kAbortAgents};
  switch (s) {
    case S::kWaitingForAgents:
      switch (e) {
        case E::kAgentsReady: return {S::kStarting, A::kSplitAndStart};
        case E::kWaitTimedOut: return {S::kFailed, A::kFailToStart};
        case E::kStopRequested: return {S::kAborted, A::kFinish};
        default: return {s, A::kIgnore};
      }
    case S::kStarting:
      switch (e) {
        case E::kAllAccepted: return {S::kRunning, A::kNone};
        case E::kAgentRefused:
        case E::kAcceptTimedOut: return {S::kFailed, A::kAbortAgents};
        case E::kStopRequested:
        case E::kAgentLostAbort: return {S::kAborting, A::kAbortAgents};
        case E::kAgentLost: return {S::kFailed, A::kAbortAgents};
        default: return {s, A::kIgnore};
      }
    case S::kRunning:
      switch (e) {
        case E::kPlanElapsed: return {S::kStopping, A::kStopAgents};
        case E::kAllFinal: return {S::kFinished, A::kFinish};
        case E::kStopRequested: return {S::kAborting, A::kStopAgents};
        case E::kAbortThreshold:
        case E::kAgentLostAbort: return {S::kAborting, A::kAbortAgents};
        case E::kAgentLost: return {s, A::kApplyLossPolicy};
        default: return {s, A::kIgnore};
      }
    case S::kStopping:
      switch (e) {
        case E::kAllFinal:
        case E::kDrainTimedOut: return {S::kFinished, A::kFinish};
        case E::kStopRequested:
        case E::kAbortThreshold:
        case E::kAgentLostAbort: return {S::kAborting, A::kAbortAgents};
        case E::kAgentLost: return {s, A::kApplyLossPolicy};
        default: return {s, A::kIgnore};
      }
    case S::kAborting:
      switch (e) {
        case E::kAllFinal:
        case E::kDrainTimedOut: return {S::kAborted, A::kFinish};
        case E::kStopRequested: return {s, A::kAbortAgents};  // second Ctrl-C
        default: return {s, A::kIgnore};
      }
    default:
      return {s, A::kIgnore};
  }
}

}  // namespace barrage
