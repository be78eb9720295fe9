// Copyright 2026 The Barrage Authors.

#include "controller/cli/report_text.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace barrage {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

const Value& Field(const Struct& s, const std::string& key) {
  static const Value* const kNull = new Value();
  auto it = s.fields().find(key);
  return it == s.fields().end() ? *kNull : it->second;
}
double Num(const Struct& s, const std::string& key) {
  return Field(s, key).number_value();
}
uint64_t Count(const Struct& s, const std::string& key) {
  return static_cast<uint64_t>(std::max(0.0, Num(s, key)));
}
const std::string& Str(const Struct& s, const std::string& key) {
  return Field(s, key).string_value();
}
const Struct& Obj(const Struct& s, const std::string& key) {
  return Field(s, key).struct_value();
}
std::vector<const Struct*> List(const Struct& s, const std::string& key) {
  std::vector<const Struct*> out;
  for (const Value& v : Field(s, key).list_value().values()) out.push_back(&v.struct_value());
  return out;
}
// An object's keys, sorted (a JSON object keeps no order here).
std::vector<std::string> Keys(const Struct& s) {
  std::vector<std::string> out;
  for (const auto& [k, v] : s.fields()) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

std::string ThresholdLine(const Struct& t) {
  const bool latency = t.fields().count("value_ms") > 0;
  const Value& v = Field(t, latency ? "value_ms" : "value");
  const std::string expr = Str(t, "expr");
  const bool error_rate = expr.rfind("error_rate", 0) == 0;
  auto format = [&](double x) {
    return latency      ? absl::StrFormat("%.2f ms", x)
           : error_rate ? absl::StrFormat("%.3f%%", x * 100)
                        : absl::StrFormat("%.2f/s", x);
  };
  std::string line = absl::StrCat(
      "  ", Field(t, "passed").bool_value() ? "ok  " : "FAIL", "  ", expr, "  (",
      v.kind_case() == Value::kNumberValue ? format(v.number_value()) : "no data", ")");
  if (t.fields().count("worst") > 0) {
    const Struct& w = Obj(t, "worst");
    absl::StrAppend(&line, absl::StrFormat("  worst %s at %.0f s", format(Num(w, "value")),
                                           Num(w, "at_s")));
  }
  return line + "\n";
}

}  // namespace

absl::StatusOr<std::string> SummaryTextFromJson(const std::string& result_json) {
  Struct r;
  if (!google::protobuf::util::JsonStringToMessage(result_json, &r).ok()) {
    return absl::InvalidArgumentError("the stored result is not a JSON object");
  }
  std::string out;
  absl::StrAppend(&out, "\n", Str(r, "scenario"), "  run ", Str(r, "run"), "  ",
                  absl::AsciiStrToUpper(Str(r, "status")),
                  absl::StrFormat("  (%.1f s)\n", Num(r, "duration_s")));
  const std::vector<const Struct*> thresholds = List(r, "thresholds");
  if (!thresholds.empty()) absl::StrAppend(&out, "\nthresholds\n");
  for (const Struct* t : thresholds) absl::StrAppend(&out, ThresholdLine(*t));
  if (!Str(r, "error").empty()) absl::StrAppend(&out, "\nerror: ", Str(r, "error"), "\n");
  const Struct& totals = Obj(r, "totals");
  const uint64_t requests = Count(totals, "requests");
  if (Str(r, "status") == "error" && requests == 0) return out;
  absl::StrAppend(&out, "\ntotals\n");
  absl::StrAppend(&out, absl::StrFormat(
      "  requests %d   errors %d (%.3f%%)   rate %.2f/s   dropped %d\n", requests,
      Count(totals, "errors"), 100.0 * Num(totals, "error_rate"), Num(totals, "rps"),
      Count(totals, "dropped")));
  std::string outcomes;
  const Struct& by_kind = Obj(r, "outcomes");
  for (const std::string& kind : Keys(by_kind)) {
    if (kind != "ok" && Count(by_kind, kind) > 0) {
      absl::StrAppend(&outcomes, "  ", kind, " ", Count(by_kind, kind));
    }
  }
  if (!outcomes.empty()) absl::StrAppend(&out, "  errors by kind:", outcomes, "\n");
  absl::StrAppend(&out, "\nlatency (ms, from intended send)     p50      p90      p95      p99"
                        "    p99.9      max\n");
  auto row = [&](const std::string& name, const Struct& h, uint64_t n) {
    absl::StrAppend(&out, absl::StrFormat(
        "  %-24s %8d  %7.2f  %7.2f  %7.2f  %7.2f  %7.2f  %7.2f\n", name.substr(0, 24), n,
        Num(h, "p50"), Num(h, "p90"), Num(h, "p95"), Num(h, "p99"), Num(h, "p999"),
        Num(h, "max")));
  };
  row("all", Obj(r, "latency_ms"), requests);
  const Struct& per_request = Obj(r, "requests");
  for (const std::string& name : Keys(per_request)) {
    const Struct& q = Obj(per_request, name);
    row(name, Obj(q, "latency_ms"), Count(q, "requests"));
  }
  row("service time (all)", Obj(r, "service_time_ms"), requests);
  const std::vector<const Struct*> agents = List(r, "agents");
  if (!agents.empty()) absl::StrAppend(&out, "\nagents\n");
  for (const Struct* a : agents) {
    const uint64_t saturated = Count(*a, "saturated_intervals");
    absl::StrAppend(&out, absl::StrFormat(
        "  %-20s requests %d  conns %d  cpu %.2f s  lag p99 %.2f ms%s%s\n", Str(*a, "id"),
        Count(*a, "requests"), Count(*a, "connections_opened"), Num(*a, "cpu_seconds"),
        Num(*a, "schedule_lag_p99_ms"),
        Str(*a, "http_client").empty() ? "" : absl::StrCat("  client ", Str(*a, "http_client")),
        saturated > 0
            ? absl::StrFormat("  SATURATED in %d interval(s): its numbers are suspect", saturated)
            : ""));
  }
  if (r.fields().count("start_skew_ms") > 0) {
    absl::StrAppend(&out, absl::StrFormat("  agents started within %.2f ms of each other\n",
                                          Num(r, "start_skew_ms")));
  }
  const std::vector<const Struct*> events = List(r, "events");
  if (!events.empty()) absl::StrAppend(&out, "\nevents\n");
  for (const Struct* e : events) {
    absl::StrAppend(&out, absl::StrFormat("  %7.1f s  %s %s %s\n", Num(*e, "at_s"),
                                          Str(*e, "kind"), Str(*e, "agent"), Str(*e, "action")));
  }
  return out;
}

}  // namespace barrage
