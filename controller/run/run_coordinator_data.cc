// Copyright 2026 The Barrage Authors.
//
// The coordinator's data files (scenario `data:`): files are checked at
// StartRun (uploaded, by sha256), sent to each agent before its StartRun
// (agent.proto DataChunk), and unique sources' rows are dealt on request
// (DataDealer), accounted from reports, returned when an agent is lost or
// done, and the run is stopped gracefully when a stop source is used up.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/data/data_chunks.h"
#include "controller/run/run_coordinator.h"

namespace barrage {
namespace {

const char* ModeName(DataSource::Mode mode) {
  switch (mode) {
    case DataSource::Mode::kSequential: return "sequential";
    case DataSource::Mode::kRandom: return "random";
    case DataSource::Mode::kUnique: return "unique";
  }
  return "sequential";
}

}  // namespace

absl::Status RunCoordinator::CheckDataUploaded(const Scenario& scenario) const {
  for (const DataSource& d : scenario.data) {
    if (d.sha256.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data '", d.name, "' (", d.file, ") was not read: no sha256 (run it with barrage run)"));
    }
    if (options_.data == nullptr || options_.data->Find(d.sha256) == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("data '", d.name, "' (", d.file, ", sha256 ", d.sha256.substr(0, 12),
                       "...) was not uploaded to this controller"));
    }
  }
  return absl::OkStatus();
}

void RunCoordinator::SendDataFiles(AgentHandle& handle) {
  std::set<std::string> sent;
  for (const DataSource& d : run_->scenario.data) {
    if (!sent.insert(d.sha256).second) continue;
    std::shared_ptr<const std::string> content =
        options_.data == nullptr ? nullptr : options_.data->Find(d.sha256);
    if (!content) continue;  // pinned since StartRun; the agent refuses without it
    const char* format = d.format == DataSource::Format::kJsonLines ? "jsonl" : "csv";
    ForEachDataChunk(d.name, d.sha256, *content, format, [&](const v1::DataChunk& chunk) {
      v1::ControllerMessage msg;
      *msg.mutable_data_chunk() = chunk;
      handle.Send(msg);
      return true;
    });
  }
}

void RunCoordinator::StartDealers() {
  std::set<std::string> pinned;
  for (const DataSource& d : run_->scenario.data) {
    pinned.insert(d.sha256);
    if (d.mode != DataSource::Mode::kUnique || d.rows <= 0) continue;
    run_->dealers[d.name] = std::make_unique<DataDealer>(
        d.name, d.rows, d.on_end == DataSource::OnEnd::kRecycle);
  }
  if (options_.data != nullptr) options_.data->Pin(std::move(pinned));
}

void RunCoordinator::OnDataRequest(const std::string& agent, const v1::DataRequest& request) {
  absl::MutexLock lock(&mu_);
  if (!run_ || IsTerminal(run_->state) || request.run_id() != run_->id ||
      !run_->live.count(agent) || run_->finals.count(agent)) {
    return;
  }
  auto it = run_->dealers.find(request.data());
  if (it == run_->dealers.end()) return;
  std::shared_ptr<AgentHandle> handle = registry_.Handle(agent);
  if (!handle) return;
  DataDealer& dealer = *it->second;
  TakeRows(agent, request.used());
  const std::vector<RowRange> dealt =
      dealer.Deal(agent, static_cast<int64_t>(std::min<uint64_t>(request.wanted(), 1u << 30)));
  auto lease = [&](RowRange r, bool final) {
    v1::ControllerMessage msg;
    v1::DataLease* l = msg.mutable_data_lease();
    l->set_run_id(run_->id);
    l->set_data(dealer.name());
    l->set_first_row(static_cast<uint64_t>(r.first));
    l->set_count(static_cast<uint64_t>(r.count));
    l->set_final(final);
    handle->Send(msg);
  };
  for (size_t i = 0; i < dealt.size(); ++i) {
    lease(dealt[i], i + 1 == dealt.size() && dealer.AllDealt());
  }
  if (dealt.empty()) lease({0, 0}, dealer.AllDealt());
  StopIfDataUsedUp();
}

void RunCoordinator::OnDataUse(const std::string& agent, const v1::DataUsed& used) {
  absl::MutexLock lock(&mu_);
  if (!run_ || IsTerminal(run_->state) || used.run_id() != run_->id ||
      !run_->live.count(agent) || run_->finals.count(agent)) {
    return;
  }
  TakeRows(agent, used.used());
  StopIfDataUsedUp();
}

void RunCoordinator::TakeRows(const std::string& agent,
                              const google::protobuf::RepeatedPtrField<v1::DataUse>& used) {
  const int64_t now = clock_.NowNs();
  for (const v1::DataUse& use : used) {
    auto it = run_->dealers.find(use.data());
    if (it == run_->dealers.end()) continue;
    it->second->Taken(agent,
                      {static_cast<int64_t>(use.first_row()), static_cast<int64_t>(use.count())},
                      now);
  }
}

void RunCoordinator::OnDataUsed(const v1::StatsReport& report) {
  TakeRows(report.agent_id(), report.data_used());
  // A final report carries the last rows the agent took: what it holds
  // besides was never taken.
  if (report.final()) ReturnRows(report.agent_id(), /*graceful=*/true);
  StopIfDataUsedUp();
}

void RunCoordinator::StopIfDataUsedUp() {
  if (run_->data_used_up || run_->state != RunState::kRunning) return;
  for (const auto& [name, dealer] : run_->dealers) {
    if (!dealer->UsedUp()) continue;
    run_->data_used_up = true;
    Notice("data_used_up", "",
           absl::StrCat("data '", name, "' used up (", dealer->rows(), " rows): run stopped"));
    // As if the plan had ended: a graceful stop, judged as a completed run.
    Apply(RunEventKind::kPlanElapsed);
    return;
  }
}

void RunCoordinator::ReturnRows(const std::string& agent, bool graceful) {
  if (!run_) return;
  const int64_t now = clock_.NowNs();
  for (auto& [name, dealer] : run_->dealers) {
    if (graceful) {
      dealer->Done(agent);
    } else {
      dealer->Lost(agent, now);
    }
  }
}

std::vector<DataSourceUse> RunCoordinator::DataUses() const {
  std::vector<DataSourceUse> uses;
  for (const DataSource& d : run_->scenario.data) {
    DataSourceUse u{d.name, ModeName(d.mode), d.rows, -1};
    if (auto it = run_->dealers.find(d.name); it != run_->dealers.end()) {
      u.used = it->second->used();
      u.redealt = it->second->redealt_rows();
      u.maybe_twice = it->second->may_have_taken_rows();
    }
    uses.push_back(std::move(u));
  }
  return uses;
}

}  // namespace barrage
