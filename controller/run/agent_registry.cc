// Copyright 2026 The Barrage Authors.

#include "controller/run/agent_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/scenario/fields.h"

namespace barrage {

AgentRegistry::AgentRegistry(Clock& clock, int64_t expiry_ns)
    : clock_(clock), expiry_ns_(expiry_ns) {}

absl::Status AgentRegistry::Register(const v1::Hello& hello,
                                     std::shared_ptr<AgentHandle> handle) {
  if (!IsValidRequestName(hello.agent_id())) {
    return absl::InvalidArgumentError(
        "hello: agent_id must be 1-64 characters of A-Z a-z 0-9 _ . -");
  }
  if (hello.histogram_digits() != 3) {
    return absl::FailedPreconditionError(absl::StrCat(
        "hello: histogram layout of ", hello.histogram_digits(),
        " significant digits; this controller merges 3"));
  }
  for (const auto& [k, v] : hello.labels()) {
    if (!IsValidRequestName(k) || !IsValidRequestName(v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hello: label '", k, "=", v,
          "': names and values must be 1-64 characters of A-Z a-z 0-9 _ . -"));
    }
  }
  std::shared_ptr<AgentHandle> replaced;
  {
    absl::MutexLock lock(&mu_);
    const int64_t now = clock_.NowNs();
    if (auto it = agents_.find(hello.agent_id());
        it != agents_.end() && now - it->second.last_seen_ns <= expiry_ns_) {
      return absl::AlreadyExistsError(absl::StrCat(
          "agent id '", hello.agent_id(), "' is already connected (heard ",
          (now - it->second.last_seen_ns) / 1'000'000,
          " ms ago): another agent has this id; give each agent its own --id "
          "(the default is the host name)"));
    }
    AgentInfo& info = agents_[hello.agent_id()];
    replaced = std::move(info.handle);
    info = AgentInfo();  // a reconnecting agent starts idle: it never resumes a run
    info.id = hello.agent_id();
    info.version = hello.version();
    info.capacity = std::max(1, hello.capacity());
    info.workers = std::max(1, hello.workers());
    info.max_in_flight =
        hello.max_in_flight() > 0 ? hello.max_in_flight() : kUnknownAgentMaxInFlight;
    info.max_rate_per_s = hello.max_rate_per_s();
    info.allow_targets.assign(hello.allow_targets().begin(),
                              hello.allow_targets().end());
    info.labels.insert(hello.labels().begin(), hello.labels().end());
    info.require_tls_verify = hello.require_tls_verify();
    info.handle = std::move(handle);
    info.connected_ns = info.last_seen_ns = clock_.NowNs();
  }
  if (replaced) replaced->Close();
  return absl::OkStatus();
}

bool AgentRegistry::Unregister(const std::string& id, const AgentHandle* handle) {
  absl::MutexLock lock(&mu_);
  auto it = agents_.find(id);
  if (it == agents_.end() || it->second.handle.get() != handle) return false;
  agents_.erase(it);
  return true;
}

bool AgentRegistry::Touch(const std::string& id, const AgentHandle* handle,
                          double cpu_ratio) {
  absl::MutexLock lock(&mu_);
  auto it = agents_.find(id);
  if (it == agents_.end() || it->second.handle.get() != handle) return false;
  it->second.last_seen_ns = clock_.NowNs();
  if (cpu_ratio >= 0) it->second.cpu_ratio = cpu_ratio;
  return true;
}

std::vector<std::string> AgentRegistry::Expire() {
  std::vector<std::shared_ptr<AgentHandle>> closed;
  std::vector<std::string> expired;
  {
    absl::MutexLock lock(&mu_);
    const int64_t now = clock_.NowNs();
    for (auto it = agents_.begin(); it != agents_.end();) {
      if (now - it->second.last_seen_ns > expiry_ns_) {
        expired.push_back(it->first);
        closed.push_back(std::move(it->second.handle));
        it = agents_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& h : closed) {
    if (h) h->Close();
  }
  return expired;
}

void AgentRegistry::SetRun(const std::string& id, const std::string& run_id) {
  absl::MutexLock lock(&mu_);
  auto it = agents_.find(id);
  if (it != agents_.end()) it->second.run_id = run_id;
}

std::vector<AgentInfo> AgentRegistry::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::vector<AgentInfo> out;
  for (const auto& [id, info] : agents_) out.push_back(info);
  return out;
}

std::vector<AgentInfo> AgentRegistry::Idle() const {
  absl::MutexLock lock(&mu_);
  std::vector<AgentInfo> out;
  for (const auto& [id, info] : agents_) {
    if (info.run_id.empty()) out.push_back(info);
  }
  return out;
}

std::vector<AgentInfo> AgentRegistry::IdleMatching(
    const std::map<std::string, std::string>& select) const {
  std::vector<AgentInfo> out = Idle();
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const AgentInfo& a) { return !MatchesSelection(a, select); }),
            out.end());
  return out;
}

bool MatchesSelection(const AgentInfo& agent, const std::map<std::string, std::string>& select) {
  for (const auto& [k, v] : select) {
    auto it = agent.labels.find(k);
    if (it == agent.labels.end() || it->second != v) return false;
  }
  return true;
}

std::string FormatLabels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) absl::StrAppend(&out, out.empty() ? "" : ",", k, "=", v);
  return out;
}

std::shared_ptr<AgentHandle> AgentRegistry::Handle(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : it->second.handle;
}

size_t AgentRegistry::size() const {
  absl::MutexLock lock(&mu_);
  return agents_.size();
}

}  // namespace barrage
