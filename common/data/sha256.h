// Copyright 2026 The Barrage Authors.
//
// SHA-256 (OpenSSL) as lowercase hex: how data files are named and checked
// between the CLI, the controller and the agents.
//
// Thread safety: a Sha256 belongs to one thread; Sha256Hex is reentrant.
#ifndef BARRAGE_COMMON_DATA_SHA256_H_
#define BARRAGE_COMMON_DATA_SHA256_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace barrage {

// 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view bytes);

// Incremental: Update with consecutive pieces, then FinishHex once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(absl::string_view bytes);
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace barrage

#endif  // BARRAGE_COMMON_DATA_SHA256_H_
