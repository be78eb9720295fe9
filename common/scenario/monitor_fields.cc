// Copyright 2026 The Barrage Authors.

#include "common/scenario/monitor_fields.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/scenario/fields.h"

namespace barrage {

bool IsValidMonitorName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

absl::StatusOr<std::string> ParseMonitorMetricField(absl::string_view text) {
  constexpr absl::string_view kPrefix = "monitor.";
  if (!absl::StartsWith(text, kPrefix)) {
    return absl::NotFoundError("not a monitor metric");
  }
  const absl::string_view name = text.substr(kPrefix.size());
  if (!IsValidMonitorName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': monitor.NAME needs a query name of A-Z a-z 0-9 _"));
  }
  return std::string(name);
}

void AppendMonitorProblems(const Scenario& s,
                           std::vector<ScenarioProblem>& problems) {
  auto problem = [&problems](std::string path, std::string message) {
    problems.push_back({std::move(path), std::move(message)});
  };
  std::set<std::string> names;
  if (s.monitor.has_value()) {
    const MonitorSpec& m = *s.monitor;
    absl::StatusOr<Target> url = ParseTargetField(m.url);
    if (!url.ok()) {
      problem("monitor.prometheus",
              "must be the http:// or https:// URL of a Prometheus server");
    }
    if (m.token.find_first_of("\r\n") != std::string::npos) {
      problem("monitor.token_file", "the token must be one line");
    }
    if (m.interval < kMinMonitorInterval) {
      problem("monitor.interval", "must be at least 1s");
    } else if (m.interval % absl::Milliseconds(1) != absl::ZeroDuration()) {
      problem("monitor.interval", "must be a whole number of milliseconds");
    }
    if (m.queries.empty()) {
      problem("monitor.queries", "must hold at least one query");
    }
    if (m.queries.size() > static_cast<size_t>(kMaxMonitorQueries)) {
      problem("monitor.queries",
              absl::StrCat(m.queries.size(), " queries is over the limit of ",
                           kMaxMonitorQueries));
    }
    for (const MonitorQuery& q : m.queries) {
      const std::string path = absl::StrCat("monitor.queries.", q.name);
      if (!IsValidMonitorName(q.name)) {
        problem(path, "a query name must be 1-64 characters of A-Z a-z 0-9 _");
      } else if (!names.insert(q.name).second) {
        problem(path, "duplicate query name");
      }
      if (q.promql.empty()) {
        problem(path + ".query", "must not be empty");
      } else if (q.promql.size() > kMaxPromqlChars) {
        problem(path + ".query",
                absl::StrCat("is longer than ", kMaxPromqlChars, " characters"));
      }
      if (q.saturation.has_value() && !std::isfinite(*q.saturation)) {
        problem(path + ".saturation", "must be a number");
      }
    }
  }
  for (size_t i = 0; i < s.thresholds.size(); ++i) {
    const Threshold& t = s.thresholds[i];
    if (t.metric != ThresholdMetric::kMonitor) continue;
    const std::string path = absl::StrCat("thresholds[", i, "]");
    if (!names.count(t.monitor)) {
      problem(path + ".metric",
              s.monitor.has_value()
                  ? absl::StrCat("'", t.monitor,
                                 "' is not the name of a monitor query")
                  : absl::StrCat("monitor.", t.monitor,
                                 " needs a monitor: section with that query"));
    }
    if (!t.request.empty()) {
      problem(path + ".request", "does not apply to a monitor metric");
    }
    if (!t.flow.empty()) {
      problem(path + ".flow", "does not apply to a monitor metric");
    }
  }
}

void MonitorToProto(const MonitorSpec& spec, v1::MonitorSpecMsg& out) {
  out.set_url(spec.url);
  out.set_token(spec.token);
  out.set_interval_ms(absl::ToInt64Milliseconds(spec.interval));
  for (const MonitorQuery& q : spec.queries) {
    v1::MonitorQueryMsg* m = out.add_queries();
    m->set_name(q.name);
    m->set_promql(q.promql);
    if (q.saturation.has_value()) m->set_saturation(*q.saturation);
  }
}

MonitorSpec MonitorFromProto(const v1::MonitorSpecMsg& msg) {
  MonitorSpec spec;
  spec.url = msg.url();
  spec.token = msg.token();
  spec.interval = absl::Milliseconds(msg.interval_ms());
  for (const v1::MonitorQueryMsg& m : msg.queries()) {
    MonitorQuery q;
    q.name = m.name();
    q.promql = m.promql();
    if (m.has_saturation()) q.saturation = m.saturation();
    spec.queries.push_back(std::move(q));
  }
  return spec;
}

}  // namespace barrage
