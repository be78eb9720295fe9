// Copyright 2026 The Barrage Authors.
//
// AgentRegistry: the agents connected to this controller. An agent joins
// with its Hello. An id is held by one live session: a second Hello under
// an id whose session was heard within the expiry is refused (the first
// keeps its session: two agents with one id must not replace each other);
// one whose old session is silent past the expiry replaces it (the old
// handle is closed). An agent unheard for longer than the expiry (3
// heartbeat intervals) is removed by Expire(), driven by the injected clock;
// a closed stream removes its session at once (Unregister).
//
// Thread safety: all methods take the registry's lock; handles are shared
// pointers so a caller may Send() after the lock is released.
#ifndef BARRAGE_CONTROLLER_RUN_AGENT_REGISTRY_H_
#define BARRAGE_CONTROLLER_RUN_AGENT_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "barrage/v1/agent.pb.h"
#include "common/util/clock.h"
#include "controller/run/agent_handle.h"

namespace barrage {

// The in-flight limit of an agent whose Hello does not say (older agents
// held at most 1,000 requests in flight).
inline constexpr int64_t kUnknownAgentMaxInFlight = 1000;

struct AgentInfo {
  std::string id;
  std::string version;
  int capacity = 1;
  int workers = 1;
  // Requests (connections) it holds in flight at once, >= 1: its Hello's
  // max_in_flight, or kUnknownAgentMaxInFlight when that is 0.
  int64_t max_in_flight = kUnknownAgentMaxInFlight;
  double max_rate_per_s = 0;
  std::vector<std::string> allow_targets;
  std::map<std::string, std::string> labels;  // --label k=v
  bool require_tls_verify = false;
  std::shared_ptr<AgentHandle> handle;
  int64_t connected_ns = 0;   // on the registry's clock
  int64_t last_seen_ns = 0;
  std::string run_id;         // empty when idle
  double cpu_ratio = 0;
};

// Whether `agent`'s labels hold every pair of `select`.
bool MatchesSelection(const AgentInfo& agent, const std::map<std::string, std::string>& select);

// "zone=a,tier=edge": a selection or a label set, for messages.
std::string FormatLabels(const std::map<std::string, std::string>& labels);

class AgentRegistry {
 public:
  AgentRegistry(Clock& clock, int64_t expiry_ns);

  // Registers `hello`'s agent with `handle`. Refusals carry a code that
  // says whether retrying can help: InvalidArgument for a Hello without a
  // valid id, FailedPrecondition for a histogram layout we cannot merge
  // (both permanent), AlreadyExists while another session under that id is
  // alive (heard within the expiry). A session silent past the expiry is
  // replaced and its handle closed.
  absl::Status Register(const v1::Hello& hello,
                        std::shared_ptr<AgentHandle> handle);
  // Removes the agent only if `handle` is still its session (a replaced
  // session going away must not remove its successor). True if removed.
  bool Unregister(const std::string& id, const AgentHandle* handle);
  // Marks the agent alive now; false if unknown or the handle is stale.
  bool Touch(const std::string& id, const AgentHandle* handle,
             double cpu_ratio = -1);
  // Removes and returns the ids of agents unheard for longer than expiry.
  std::vector<std::string> Expire();

  void SetRun(const std::string& id, const std::string& run_id);
  std::vector<AgentInfo> Snapshot() const;  // sorted by id
  std::vector<AgentInfo> Idle() const;      // ready for a run, sorted by id
  // The idle agents whose labels hold every pair of `select` (a scenario's
  // agents.select.labels; empty: all idle agents), sorted by id.
  std::vector<AgentInfo> IdleMatching(const std::map<std::string, std::string>& select) const;
  std::shared_ptr<AgentHandle> Handle(const std::string& id) const;
  size_t size() const;

 private:
  Clock& clock_;
  const int64_t expiry_ns_;
  mutable absl::Mutex mu_;
  std::map<std::string, AgentInfo> agents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_AGENT_REGISTRY_H_
