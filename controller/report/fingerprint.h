// Copyright 2026 The Barrage Authors.
//
// A run's fingerprint (the result JSON's "fingerprint", README "Result
// JSON"): what makes two runs comparable. scenario_sha256 is the SHA-256
// (lower-case hex) of the scenario's deterministic proto serialization
// (barrage.v1.ScenarioSpec): any change to the file's meaning changes it.
// load_sha256 covers the load profile only: every stage's kind, duration,
// rates or VUs and think time, and every request's name, method, path and
// weight, so two scenarios that differ only in, say, a header or a
// threshold offer the same load. Pure functions (OpenSSL's libcrypto).
#ifndef BARRAGE_CONTROLLER_REPORT_FINGERPRINT_H_
#define BARRAGE_CONTROLLER_REPORT_FINGERPRINT_H_

#include <string>

#include "common/scenario/scenario.h"

namespace barrage {

struct RunFingerprint {
  std::string scenario_sha256;
  std::string load_sha256;
  std::string target;  // the scenario's base URL
  std::string file;    // the scenario file's path as given ("" unknown)
  // The emulated network (scenario and flow `network:`), e.g. "latency
  // 50ms, jitter 10ms, bandwidth 2Mbit/s; flow shop: latency 100ms"; ""
  // when none: a run over an emulated link is never mistaken for one
  // without.
  std::string network;
};

// "latency 50ms, jitter 10ms, bandwidth 2Mbit/s" ("" when disabled).
std::string NetworkProfileText(const NetworkProfile& profile);

RunFingerprint Fingerprint(const Scenario& scenario, const std::string& file);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);

// The canonical text load_sha256 is taken of (one line per stage, then per
// request), for tests and for reading what it covers.
std::string LoadProfileText(const Scenario& scenario);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_FINGERPRINT_H_
