// Copyright 2026 The Barrage Authors.
//
// barrage-agent's flags: their values, and their definitions on a FlagSet
// (names, defaults, ranges, help text), apart from main() so tests parse
// them. Checking values across flags and reading files is main()'s.
#ifndef BARRAGE_AGENT_DAEMON_AGENT_FLAGS_H_
#define BARRAGE_AGENT_DAEMON_AGENT_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/util/flags.h"

namespace barrage {

// The flags' values as given (or their defaults); DefineAgentFlags binds them.
struct AgentFlags {
  std::string controller;
  std::string id;
  std::string http;
  int64_t workers = 0;
  int64_t capacity = 0;
  int64_t max_in_flight = 0;  // 0: from the open-file limit
  std::vector<std::string> allow_targets;
  std::string max_rate;
  bool insecure_targets = false;
  bool require_tls_verify = false;
  std::vector<std::string> labels;
  std::string http_engine;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  bool insecure = false;
  bool version = false;
};

// Defines every barrage-agent flag on `flags`, bound to `f` (borrowed: it
// must outlive the parse).
void DefineAgentFlags(FlagSet& flags, AgentFlags& f);

}  // namespace barrage

#endif  // BARRAGE_AGENT_DAEMON_AGENT_FLAGS_H_
