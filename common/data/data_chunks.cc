// Copyright 2026 The Barrage Authors.
#include "common/data/data_chunks.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace barrage {

bool ForEachDataChunk(const std::string& name, const std::string& sha256,
                      const std::string& content, const std::string& format,
                      const std::function<bool(const v1::DataChunk&)>& emit) {
  size_t offset = 0;
  do {
    const size_t n = std::min(kDataChunkBytes, content.size() - offset);
    v1::DataChunk chunk;
    chunk.set_sha256(sha256);
    chunk.set_offset(offset);
    chunk.set_bytes(content.data() + offset, n);
    chunk.set_last(offset + n == content.size());
    if (offset == 0) {
      chunk.set_name(name);
      chunk.set_total_bytes(content.size());
      chunk.set_format(format);
    }
    offset += n;
    if (!emit(chunk)) return false;
  } while (offset < content.size());
  return true;
}

DataAssembler::DataAssembler(int64_t max_bytes) : max_bytes_(max_bytes) {}

absl::Status DataAssembler::Add(const v1::DataChunk& chunk) {
  if (done_) {
    return absl::InvalidArgumentError(
        absl::StrCat("data ", sha256_, ": a piece after the last"));
  }
  if (!started_) {
    started_ = true;
    sha256_ = chunk.sha256();
    name_ = chunk.name().empty() ? chunk.sha256() : chunk.name();
    if (chunk.total_bytes() > static_cast<uint64_t>(max_bytes_)) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "data '", name_, "' is ", chunk.total_bytes(), " bytes, over ", max_bytes_));
    }
    content_.reserve(chunk.total_bytes());
  }
  if (chunk.sha256() != sha256_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "data '", name_, "': a piece of ", chunk.sha256(), " among those of ", sha256_));
  }
  if (chunk.offset() != content_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("data '", name_, "': a piece at offset ",
                                                   chunk.offset(), ", expected ",
                                                   content_.size()));
  }
  if (static_cast<int64_t>(content_.size() + chunk.bytes().size()) > max_bytes_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("data '", name_, "' is over ", max_bytes_, " bytes"));
  }
  content_ += chunk.bytes();
  digest_.Update(chunk.bytes());
  done_ = chunk.last();
  return absl::OkStatus();
}

absl::StatusOr<std::string> DataAssembler::Finish() {
  if (!done_) {
    return absl::InvalidArgumentError(
        absl::StrCat("data '", name_, "': ended before its last piece"));
  }
  const std::string actual = digest_.FinishHex();
  if (actual != sha256_) {
    return absl::InvalidArgumentError(
        absl::StrCat("data '", name_, "': SHA-256 is ", actual, ", not ", sha256_));
  }
  return std::move(content_);
}

}  // namespace barrage
