// Copyright 2026 The Barrage Authors.
//
// The validator's rule checker, shared by the files that implement it (not
// a public interface: use validator.h). validator.cc holds the rules of the
// top level, requests, stages and thresholds; flow_rules.cc those of flows,
// steps, captures, checks, templates, data sources and network profiles.
//
// Thread safety: one Checker per validation, on one thread.
#ifndef BARRAGE_COMMON_SCENARIO_VALIDATOR_INTERNAL_H_
#define BARRAGE_COMMON_SCENARIO_VALIDATOR_INTERNAL_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/scenario/scenario.h"
#include "common/scenario/validator.h"

namespace barrage {
namespace scenario_internal {

// 1200 -> "1,200".
inline std::string Grouped(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

inline std::string DescribeLength(absl::Duration d) {
  if (d % absl::Hours(24) == absl::ZeroDuration()) {
    return absl::StrCat(absl::ToInt64Hours(d) / 24, " days");
  }
  return HumanDuration(d);
}

inline bool IsWholeMilliseconds(absl::Duration d) {
  return d % absl::Milliseconds(1) == absl::ZeroDuration();
}

class Checker {
 public:
  explicit Checker(const ScenarioLimits& limits) : limits_(limits) {}

  std::vector<ScenarioProblem> Check(const Scenario& s);

 private:
  void Problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }
  // Within min..max, else "N is outside min..max".
  bool InRange(const std::string& path, int64_t v, int64_t min, int64_t max) {
    if (v >= min && v <= max) return true;
    Problem(path, absl::StrCat(v, " is outside ", min, "..", max));
    return false;
  }
  // `count` items at most `max`: "1,200 requests is over the limit of 1,000
  // per scenario".
  void AtMost(const std::string& path, int64_t count, int64_t max,
              absl::string_view items, absl::string_view per) {
    if (count <= max) return;
    Problem(path,
            absl::StrCat(Grouped(count), " ", items, " is over the limit of ",
                         Grouped(max), " per ", per));
  }
  // Positive (or, with `zero_ok`, non-negative) whole milliseconds: the wire
  // carries these durations in ms.
  void WireDuration(const std::string& path, absl::Duration d, bool zero_ok);

  void CheckHeaders(const HeaderList& headers, const std::string& path);
  void CheckSelect(const AgentsPolicy& agents);
  void CheckTls(const TlsPolicy& tls);
  void CheckHttp(const Scenario& s);
  void CheckRequest(const RequestSpec& r, const std::string& path);
  void CheckStage(const Stage& st, const std::string& path);
  void CheckOpenStage(const Stage& st, const std::string& path);
  void CheckClosedStage(const Stage& st, const std::string& path);
  void CheckRate(Rational rate, const std::string& path, bool* usable);
  void CheckThreshold(const Threshold& t, const std::string& path,
                      const std::set<std::string>& names,
                      const std::set<std::string>& flows);

  // --- flows, data sources, network profiles (flow_rules.cc) ---
  void CheckData(const Scenario& s);
  void CheckNetwork(const NetworkProfile& n, const std::string& path);
  // Flow and step names, against each other and against `request_names`.
  void CheckFlows(const Scenario& s);
  void CheckFlow(const Scenario& s, const FlowSpec& f, const std::string& path);
  void CheckStep(const Scenario& s, const FlowStep& st, const std::string& path,
                 const std::set<std::string>& captured_before);
  void CheckCapture(const Scenario& s, const Capture& c, const std::string& path);
  void CheckCheck(const barrage::Check& c, const std::string& path);
  void CheckThink(const ThinkTime& t, const std::string& path);
  // The templates in a request's or step's path, header values and body:
  // well formed, naming data sources (and their columns, when known) and,
  // in a step, variables captured before it (`captured` is null for a plain
  // request: it may use no variables).
  void CheckTemplates(const Scenario& s, const RequestSpec& r,
                      const std::string& path,
                      const std::set<std::string>* captured);
  void CheckTemplate(const Scenario& s, const std::string& text,
                     const std::string& path, const std::set<std::string>* captured);

  const ScenarioLimits& limits_;
  std::vector<ScenarioProblem> problems_;
};

}  // namespace scenario_internal
}  // namespace barrage

#endif  // BARRAGE_COMMON_SCENARIO_VALIDATOR_INTERNAL_H_
