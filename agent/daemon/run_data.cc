// Copyright 2026 The Barrage Authors.
#include "agent/daemon/run_data.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {
namespace {

// Seconds of the take rate a unique source keeps buffered (it asks again
// at half of it, checked at each ~1 s report).
constexpr double kAheadS = 3.0;

}  // namespace

RunData::RunData(int64_t max_bytes) : max_bytes_(max_bytes) {}

void RunData::OnChunk(const v1::DataChunk& chunk) {
  absl::MutexLock lock(&mu_);
  const std::string sha = chunk.sha256();
  if (tables_.count(sha) != 0) return;  // already have it (cached for the run)
  if (chunk.offset() == 0) {
    errors_.erase(sha);
    assembling_.erase(sha);
    formats_[sha] = chunk.format();
  }
  if (errors_.count(sha) != 0) return;
  auto it = assembling_.try_emplace(sha, max_bytes_).first;
  if (absl::Status s = it->second.Add(chunk); !s.ok()) {
    errors_[sha] = std::string(s.message());
    assembling_.erase(it);
    return;
  }
  if (!it->second.done()) return;
  const std::string name = it->second.name();
  absl::StatusOr<std::string> content = it->second.Finish();
  assembling_.erase(it);
  if (!content.ok()) {
    errors_[sha] = std::string(content.status().message());
    return;
  }
  // Parsed in place: the table takes the file's buffer.
  absl::StatusOr<DataTable> table =
      DataTable::Parse(name, *std::move(content),
                       formats_[sha] == "jsonl" ? DataSource::Format::kJsonLines
                                                : DataSource::Format::kCsv);
  if (!table.ok()) {
    errors_[sha] = std::string(table.status().message());
    return;
  }
  tables_[sha] = std::make_shared<const DataTable>(*std::move(table));
}

absl::StatusOr<std::vector<std::shared_ptr<DataFeed>>> RunData::Feeds(
    const std::string& run_id, const Scenario& scenario, int workers, uint64_t seed,
    int agents_in_run) {
  absl::MutexLock lock(&mu_);
  // The files sent for this run are this run's: its feeds hold the tables
  // they use, and the cache starts empty for the next.
  const auto tables = std::move(tables_);
  const auto errors = std::move(errors_);
  tables_.clear();
  errors_.clear();
  assembling_.clear();
  formats_.clear();
  std::vector<std::shared_ptr<DataFeed>> feeds;
  std::map<std::string, Unique> unique;
  for (size_t i = 0; i < scenario.data.size(); ++i) {
    const DataSource& d = scenario.data[i];
    auto why = [&d](absl::string_view what) {
      return absl::FailedPreconditionError(absl::StrCat("data '", d.name, "': ", what));
    };
    if (auto e = errors.find(d.sha256); e != errors.end()) return why(e->second);
    auto t = tables.find(d.sha256);
    if (t == tables.end()) {
      return why(absl::StrCat("file ", d.file, " (sha256 ", d.sha256.substr(0, 12),
                              "...) was not received"));
    }
    if (!d.columns.empty() && t->second->columns() != d.columns) {
      return why("the received file's columns differ from the scenario's");
    }
    auto feed = std::make_shared<DataFeed>(d, t->second, workers,
                                           seed ^ (0xD1B54A32D192ED03ULL * (i + 1)));
    if (d.mode == DataSource::Mode::kUnique) {
      const int64_t share = t->second->rows() / (4 * std::max(agents_in_run, 1));
      unique[d.name] = {feed, std::clamp<int64_t>(share, 1, 1000)};
    }
    feeds.push_back(std::move(feed));
  }
  run_id_ = run_id;
  unique_ = std::move(unique);
  return feeds;
}

std::vector<v1::AgentMessage> RunData::Requests(int64_t now_ns) {
  std::vector<v1::AgentMessage> out;
  for (auto& [name, u] : unique_) {
    const int64_t wanted = u.feed->RowsWanted(now_ns, u.initial_rows, kAheadS);
    if (wanted <= 0) continue;
    v1::AgentMessage m;
    v1::DataRequest* r = m.mutable_data_request();
    r->set_run_id(run_id_);
    r->set_data(name);
    r->set_wanted(static_cast<uint64_t>(wanted));
    u.feed->TakeUsed(r->mutable_used());
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<v1::AgentMessage> RunData::InitialRequests(int64_t now_ns) {
  absl::MutexLock lock(&mu_);
  return Requests(now_ns);
}

void RunData::OnLease(const v1::DataLease& lease) {
  absl::MutexLock lock(&mu_);
  if (lease.run_id() != run_id_) return;
  auto it = unique_.find(lease.data());
  if (it == unique_.end()) return;
  it->second.feed->AddLease(static_cast<int64_t>(lease.first_row()),
                            static_cast<int64_t>(lease.count()));
  if (lease.final()) it->second.feed->SetFinal();
}

std::vector<v1::AgentMessage> RunData::OnReport(v1::StatsReport& report, int64_t now_ns) {
  absl::MutexLock lock(&mu_);
  if (report.run_id() != run_id_) return {};
  for (auto& [name, u] : unique_) u.feed->TakeUsed(report.mutable_data_used());
  if (report.final()) return {};
  return Requests(now_ns);
}

bool RunData::HasUnique() {
  absl::MutexLock lock(&mu_);
  return !unique_.empty();
}

std::optional<v1::AgentMessage> RunData::TakeUsed() {
  absl::MutexLock lock(&mu_);
  if (run_id_.empty() || unique_.empty()) return std::nullopt;
  v1::AgentMessage m;
  v1::DataUsed* used = m.mutable_data_used();
  for (auto& [name, u] : unique_) u.feed->TakeUsed(used->mutable_used());
  if (used->used().empty()) return std::nullopt;
  used->set_run_id(run_id_);
  return m;
}

void RunData::Clear() {
  absl::MutexLock lock(&mu_);
  unique_.clear();
  run_id_.clear();
}

}  // namespace barrage
