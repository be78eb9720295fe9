// Copyright 2026 The Barrage Authors.
//
// Data files in pieces (agent.proto DataChunk): the CLI uploads a file to
// the controller in them, and the controller sends it on to each agent.
// ForEachDataChunk cuts; DataAssembler puts one file back together and
// checks its SHA-256.
//
// Thread safety: a DataAssembler belongs to one thread.
#ifndef BARRAGE_COMMON_DATA_DATA_CHUNKS_H_
#define BARRAGE_COMMON_DATA_DATA_CHUNKS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "barrage/v1/agent.pb.h"
#include "common/data/sha256.h"

namespace barrage {

// 1 MiB: each piece's payload.
inline constexpr size_t kDataChunkBytes = size_t{1} << 20;

// Calls `emit` with each piece of `content` in order (at least one; the
// last has last=true; the first carries `name`, total_bytes and `format`,
// "csv" or "jsonl", when given). Stops early, returning false, when `emit`
// does.
bool ForEachDataChunk(const std::string& name, const std::string& sha256,
                      const std::string& content, const std::string& format,
                      const std::function<bool(const v1::DataChunk&)>& emit);

class DataAssembler {
 public:
  // Files over `max_bytes` are refused (ResourceExhausted), from the first
  // piece's total_bytes when it says, else as the pieces arrive.
  explicit DataAssembler(int64_t max_bytes);

  // Adds the next piece. InvalidArgument when it is not the next (its
  // offset is not the bytes so far, or its sha256 differs from the first
  // piece's) or comes after the last.
  absl::Status Add(const v1::DataChunk& chunk);
  bool done() const { return done_; }
  const std::string& sha256() const { return sha256_; }
  const std::string& name() const { return name_; }
  // After the last piece: the file, its SHA-256 checked (InvalidArgument
  // "data FILE: SHA-256 is X, not Y" on a mismatch). Once.
  absl::StatusOr<std::string> Finish();

 private:
  const int64_t max_bytes_;
  std::string name_;
  std::string sha256_;
  std::string content_;
  Sha256 digest_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_DATA_DATA_CHUNKS_H_
