// Copyright 2026 The Barrage Authors.

#include "common/scenario/monitor_yaml.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace barrage {

std::optional<double> MonitorNumber(const YAML::Node& n,
                                    const std::string& path,
                                    YamlSectionReader& reader) {
  std::optional<std::string> s = reader.Str(n, path);
  if (!s) return std::nullopt;
  double v = 0;
  if (!absl::SimpleAtod(*s, &v) || !std::isfinite(v)) {
    reader.Fail(n, path, absl::StrCat("'", *s, "' is not a number"));
    return std::nullopt;
  }
  return v;
}

namespace {

void LoadQuery(const YAML::Node& n, const std::string& path,
               YamlSectionReader& reader, MonitorQuery& q) {
  reader.Locate(path, n);
  if (n.IsScalar()) {  // the short form: the PromQL alone
    reader.Locate(path + ".query", n);
    q.promql = n.Scalar();
    return;
  }
  if (!reader.CheckMap(n, path, {"query", "saturation"})) return;
  if (!n["query"] || n["query"].IsNull()) {
    reader.Fail(n, path + ".query", "is required");
  } else if (auto s = reader.Str(n["query"], path + ".query")) {
    q.promql = *s;
  }
  if (n["saturation"]) {
    q.saturation = MonitorNumber(n["saturation"], path + ".saturation", reader);
  }
}

}  // namespace

void LoadMonitorYaml(const YAML::Node& n, YamlSectionReader& reader,
                     MonitorSpec& out) {
  reader.Locate("monitor", n);
  if (!reader.CheckMap(n, "monitor",
                       {"prometheus", "token_file", "interval", "queries"})) {
    return;
  }
  if (!n["prometheus"] || n["prometheus"].IsNull()) {
    reader.Fail(n, "monitor.prometheus", "is required");
  } else if (auto s = reader.Str(n["prometheus"], "monitor.prometheus")) {
    out.url = *s;
    while (!out.url.empty() && out.url.back() == '/') out.url.pop_back();
  }
  if (n["token_file"]) {
    if (auto s = reader.Str(n["token_file"], "monitor.token_file")) {
      out.token_file = *s;
    }
  }
  if (n["interval"]) {
    if (auto d = reader.Dur(n["interval"], "monitor.interval")) out.interval = *d;
  }
  const YAML::Node& queries = n["queries"];
  if (!queries || queries.IsNull()) {
    reader.Fail(n, "monitor.queries", "is required");
    return;
  }
  reader.Locate("monitor.queries", queries);
  if (!queries.IsMap()) {
    reader.Fail(queries, "monitor.queries",
                "must be a mapping of query names to PromQL");
    return;
  }
  for (const auto& entry : queries) {
    MonitorQuery q;
    q.name = entry.first.IsScalar() ? entry.first.Scalar() : "";
    q.location = {entry.first.Mark().line + 1, entry.first.Mark().column + 1};
    const std::string path = absl::StrCat("monitor.queries.", q.name);
    LoadQuery(entry.second, path, reader, q);
    reader.Locate(path, entry.first);
    out.queries.push_back(std::move(q));
  }
}

}  // namespace barrage
