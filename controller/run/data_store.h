// Copyright 2026 The Barrage Authors.
//
// DataStore: the data files (scenario `data:`) the CLI uploaded
// (RunControl.UploadData), kept in memory by SHA-256 for the runs that name
// them, and sent from here to each run's agents. A file over `max_bytes`
// (--max-data-bytes) is refused before it is sent; the store as a whole
// keeps at most 4 x max_bytes, dropping the oldest files not in use by the
// active run first (an upload always precedes its StartRun, so a dropped
// file is uploaded again by the next run that needs it).
//
// Thread safety: all methods from any thread (gRPC threads, the
// coordinator under its lock); one internal mutex, never held across I/O.
#ifndef BARRAGE_CONTROLLER_RUN_DATA_STORE_H_
#define BARRAGE_CONTROLLER_RUN_DATA_STORE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace barrage {

// The controller's default --max-data-bytes: 256 MiB.
inline constexpr int64_t kDefaultMaxDataBytes = int64_t{256} << 20;

// "300 MiB", "1.5 MiB", "512 bytes".
std::string FormatDataBytes(int64_t bytes);

class DataStore {
 public:
  explicit DataStore(int64_t max_bytes = kDefaultMaxDataBytes);
  DataStore(const DataStore&) = delete;
  DataStore& operator=(const DataStore&) = delete;

  int64_t max_bytes() const { return max_bytes_; }
  // Whether a file of `bytes` for source `name` may be uploaded:
  // ResourceExhausted "data 'users' is 300 MiB, the controller accepts at
  // most 256 MiB (--max-data-bytes)".
  absl::Status CheckSize(const std::string& name, int64_t bytes) const;
  // Keeps `content` as `sha256` after checking its size and digest
  // (InvalidArgument "data 'users': the upload's SHA-256 is X, not Y").
  absl::Status Add(const std::string& name, const std::string& sha256,
                   std::string content);
  // The file, or null when it was never uploaded (or was dropped).
  std::shared_ptr<const std::string> Find(const std::string& sha256) const;
  // Files the active run uses are never dropped; empty: none.
  void Pin(std::set<std::string> sha256s);

 private:
  const int64_t max_bytes_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const std::string>> files_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  std::set<std::string> pinned_ ABSL_GUARDED_BY(mu_);
  int64_t total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_RUN_DATA_STORE_H_
