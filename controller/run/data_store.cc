// Copyright 2026 The Barrage Authors.
#include "controller/run/data_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/data/sha256.h"

namespace barrage {

std::string FormatDataBytes(int64_t bytes) {
  constexpr int64_t kMiB = int64_t{1} << 20;
  if (bytes < kMiB) return absl::StrCat(bytes, " bytes");
  if (bytes % kMiB == 0) return absl::StrCat(bytes / kMiB, " MiB");
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / static_cast<double>(kMiB));
}

DataStore::DataStore(int64_t max_bytes) : max_bytes_(max_bytes) {}

absl::Status DataStore::CheckSize(const std::string& name, int64_t bytes) const {
  if (bytes <= max_bytes_) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("data '", name, "' is ", FormatDataBytes(bytes),
                   ", the controller accepts at most ", FormatDataBytes(max_bytes_),
                   " (--max-data-bytes)"));
}

absl::Status DataStore::Add(const std::string& name, const std::string& sha256,
                            std::string content) {
  if (absl::Status s = CheckSize(name, static_cast<int64_t>(content.size())); !s.ok()) {
    return s;
  }
  const std::string actual = Sha256Hex(content);
  if (actual != sha256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "data '", name, "': the upload's SHA-256 is ", actual, ", not ", sha256));
  }
  absl::MutexLock lock(&mu_);
  if (files_.count(sha256) != 0) return absl::OkStatus();
  total_ += static_cast<int64_t>(content.size());
  files_[sha256] = std::make_shared<const std::string>(std::move(content));
  order_.push_back(sha256);
  // Drop the oldest unpinned files beyond the budget (never the new one).
  for (auto it = order_.begin(); total_ > 4 * max_bytes_ && it != order_.end();) {
    if (*it == sha256 || pinned_.count(*it) != 0) {
      ++it;
      continue;
    }
    total_ -= static_cast<int64_t>(files_[*it]->size());
    files_.erase(*it);
    it = order_.erase(it);
  }
  return absl::OkStatus();
}

std::shared_ptr<const std::string> DataStore::Find(const std::string& sha256) const {
  absl::MutexLock lock(&mu_);
  auto it = files_.find(sha256);
  return it == files_.end() ? nullptr : it->second;
}

void DataStore::Pin(std::set<std::string> sha256s) {
  absl::MutexLock lock(&mu_);
  pinned_ = std::move(sha256s);
}

}  // namespace barrage
