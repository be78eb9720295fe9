// Copyright 2026 The Barrage Authors.

#include "controller/run/run_state_machine.h"

#include <map>
#include <utility>

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

using S = RunState;
using E = RunEventKind;
using A = RunAction;

// Every transition that does something; every other pair must be ignored.
const std::map<std::pair<S, E>, RunTransition>& Expected() {
  static const auto* table = new std::map<std::pair<S, E>, RunTransition>{
      {{S::kWaitingForAgents, E::kAgentsReady}, {S::kStarting, A::kSplitAndStart}},
      {{S::kWaitingForAgents, E::kWaitTimedOut}, {S::kFailed, A::kFailToStart}},
      {{S::kWaitingForAgents, E::kStopRequested}, {S::kAborted, A::kFinish}},
      {{S::kStarting, E::kAllAccepted}, {S::kRunning, A::kNone}},
      {{S::kStarting, E::kAgentRefused}, {S::kFailed, A::kAbortAgents}},
      {{S::kStarting, E::kAcceptTimedOut}, {S::kFailed, A::kAbortAgents}},
      {{S::kStarting, E::kStopRequested}, {S::kAborting, A::kAbortAgents}},
      {{S::kStarting, E::kAgentLostAbort}, {S::kAborting, A::kAbortAgents}},
      {{S::kStarting, E::kAgentLost}, {S::kFailed, A::kAbortAgents}},
      {{S::kRunning, E::kPlanElapsed}, {S::kStopping, A::kStopAgents}},
      {{S::kRunning, E::kAllFinal}, {S::kFinished, A::kFinish}},
      {{S::kRunning, E::kStopRequested}, {S::kAborting, A::kStopAgents}},
      {{S::kRunning, E::kAbortThreshold}, {S::kAborting, A::kAbortAgents}},
      {{S::kRunning, E::kAgentLostAbort}, {S::kAborting, A::kAbortAgents}},
      {{S::kRunning, E::kAgentLost}, {S::kRunning, A::kApplyLossPolicy}},
      {{S::kStopping, E::kAllFinal}, {S::kFinished, A::kFinish}},
      {{S::kStopping, E::kDrainTimedOut}, {S::kFinished, A::kFinish}},
      {{S::kStopping, E::kStopRequested}, {S::kAborting, A::kAbortAgents}},
      {{S::kStopping, E::kAbortThreshold}, {S::kAborting, A::kAbortAgents}},
      {{S::kStopping, E::kAgentLostAbort}, {S::kAborting, A::kAbortAgents}},
      {{S::kStopping, E::kAgentLost}, {S::kStopping, A::kApplyLossPolicy}},
      {{S::kAborting, E::kAllFinal}, {S::kAborted, A::kFinish}},
      {{S::kAborting, E::kDrainTimedOut}, {S::kAborted, A::kFinish}},
      {{S::kAborting, E::kStopRequested}, {S::kAborting, A::kAbortAgents}},
  };
  return *table;
}

TEST_CASE("every (state, event) pair does what the table says, and only that") {
  int checked = 0;
  for (int si = 0; si < kRunStateCount; ++si) {
    for (int ei = 0; ei < kRunEventCount; ++ei) {
      const S s = static_cast<S>(si);
      const E e = static_cast<E>(ei);
      INFO("state " << RunStateName(s) << " event " << ei);
      const RunTransition t = NextRunState(s, e);
      auto it = Expected().find({s, e});
      if (IsTerminal(s)) {
        CHECK(t.next == s);
        CHECK(t.action == A::kIgnore);
      } else if (e == E::kInternalError) {
        CHECK(t.next == S::kFailed);
        CHECK(t.action == A::kAbortAgents);
      } else if (it != Expected().end()) {
        CHECK(t.next == it->second.next);
        CHECK(t.action == it->second.action);
      } else {
        CHECK(t.next == s);  // illegal: nothing moves
        CHECK(t.action == A::kIgnore);
      }
      ++checked;
    }
  }
  CHECK(checked == kRunStateCount * kRunEventCount);
}

TEST_CASE("a run can never go back to an earlier state") {
  for (int si = 0; si < kRunStateCount; ++si) {
    for (int ei = 0; ei < kRunEventCount; ++ei) {
      // States are declared in life order, so forward means >=.
      const RunTransition t = NextRunState(static_cast<S>(si), static_cast<E>(ei));
      CHECK(static_cast<int>(t.next) >= si);
    }
  }
}

TEST_CASE("states have names for status output") {
  CHECK(std::string(RunStateName(S::kWaitingForAgents)) == "waiting_for_agents");
  CHECK(std::string(RunStateName(S::kAborted)) == "aborted");
}

}  // namespace
}  // namespace barrage
