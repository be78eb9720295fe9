// Copyright 2026 The Barrage Authors.
//
// libFuzzer: any bytes as a scenario file. The loader must return a value
// or an error naming a place, never crash, hang or leak.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/scenario/codec.h"
#include "common/scenario/yaml_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<barrage::Scenario> s = barrage::LoadScenarioYaml(text, "fuzz.yaml");
  if (s.ok()) {
    // What the loader accepts survives the wire and is accepted again.
    absl::StatusOr<barrage::Scenario> back =
        barrage::ScenarioFromProto(barrage::ScenarioToProto(*s));
    if (!back.ok()) __builtin_trap();
  } else if (s.status().message().find("fuzz.yaml:") == std::string::npos) {
    __builtin_trap();  // every error says where
  }
  return 0;
}
