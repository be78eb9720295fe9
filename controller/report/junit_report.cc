// Copyright 2026 The Barrage Authors.

#include "controller/report/junit_report.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

using result_doc::Field;
using result_doc::Has;
using result_doc::List;
using result_doc::Num;
using result_doc::Str;
using result_doc::Struct;
using result_doc::Value;

std::string Seconds(double s) { return absl::StrFormat("%.3f", s); }

struct Case {
  std::string name;
  double time_s = 0;
  std::string kind;  // "", "failure" or "error"
  std::string type;
  std::string message;
  std::string text;
};

// The failure message of threshold `t`: its value and its limit.
std::string ThresholdMessage(const Struct& t) {
  const bool latency = Has(t, "value_ms");
  const std::string unit = latency ? " ms" : "";
  const Value& value = Field(t, latency ? "value_ms" : "value");
  std::string out = absl::StrCat(Str(t, "expr"), " failed: value ");
  if (value.kind_case() == Value::kNumberValue) {
    absl::StrAppend(&out, absl::StrFormat("%g", value.number_value()), unit);
  } else {
    out += "none (no data)";
  }
  const char* limit_key = latency ? "limit_ms" : "limit";
  if (Has(t, limit_key)) {
    absl::StrAppend(&out, ", limit ",
                    Field(t, "above").bool_value() ? "above " : "below ",
                    absl::StrFormat("%g", Num(t, limit_key)), unit);
  }
  if (Has(t, "worst")) {
    const Struct& worst = Field(t, "worst").struct_value();
    absl::StrAppend(&out, absl::StrFormat(", worst window %g%s at %g s", Num(worst, "value"),
                                          unit, Num(worst, "at_s")));
  }
  return out;
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // XML 1.0 holds no other control characters (bytes >= 0x80 are
        // UTF-8, passed through).
        out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
    }
  }
  return out;
}

absl::StatusOr<std::string> JunitReport(const std::string& result_json) {
  absl::StatusOr<Struct> parsed = result_doc::ParseResultJson(result_json);
  if (!parsed.ok()) return parsed.status();
  const Struct& r = *parsed;
  const std::string scenario = Str(r, "scenario");
  const std::string status = Str(r, "status");
  const double duration = Num(r, "duration_s");

  std::vector<Case> cases;
  Case run;
  run.name = "run";
  run.time_s = duration;
  std::vector<std::string> lost;
  for (const Struct* e : List(r, "events")) {
    if (Str(*e, "kind") == "agent_lost") lost.push_back(Str(*e, "agent"));
  }
  run.text = absl::StrFormat("run %s: %s, %d requests, %d errors", Str(r, "run"), status,
                             result_doc::Count(result_doc::Obj(r, "totals"), "requests"),
                             result_doc::Count(result_doc::Obj(r, "totals"), "errors"));
  if (status == "error") {
    run.kind = "error";
    run.type = "error";
    run.message = Str(r, "error").empty() ? "the run failed" : Str(r, "error");
  } else if (status == "aborted") {
    run.kind = "failure";
    run.type = "aborted";
    run.message = "the run was aborted";
    // Why: the last event that can abort a run.
    for (const Struct* e : List(r, "events")) {
      const std::string& kind = Str(*e, "kind");
      if (kind == "threshold_failed" || kind == "agent_lost" || kind == "stop_requested") {
        run.message = absl::StrCat("the run was aborted (", kind,
                                   Str(*e, "agent").empty() ? "" : " ", Str(*e, "agent"),
                                   Str(*e, "action").empty() ? "" : ": ", Str(*e, "action"), ")");
      }
    }
  } else if (!lost.empty()) {
    run.kind = "failure";
    run.type = "agent_lost";
    run.message = absl::StrCat("lost ", lost.size(), " agent(s): ", absl::StrJoin(lost, ", "));
  }
  cases.push_back(run);
  for (const Struct* t : List(r, "thresholds")) {
    Case c;
    c.name = Str(*t, "expr");
    if (!Field(*t, "passed").bool_value()) {
      c.kind = "failure";
      c.type = "threshold";
      c.message = ThresholdMessage(*t);
    }
    cases.push_back(std::move(c));
  }
  size_t failures = 0;
  size_t errors = 0;
  for (const Case& c : cases) {
    failures += c.kind == "failure" ? 1 : 0;
    errors += c.kind == "error" ? 1 : 0;
  }
  std::string timestamp(absl::StripSuffix(Str(r, "started_at"), "Z"));
  if (timestamp.empty()) timestamp = "1970-01-01T00:00:00";
  const std::string classname = XmlEscape(absl::StrCat("barrage.", scenario));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  absl::StrAppend(&out, "<testsuites name=\"barrage\" tests=\"", cases.size(), "\" failures=\"",
                  failures, "\" errors=\"", errors, "\" time=\"", Seconds(duration), "\">\n");
  absl::StrAppend(&out, "  <testsuite name=\"", XmlEscape(scenario), "\" tests=\"", cases.size(),
                  "\" failures=\"", failures, "\" errors=\"", errors, "\" time=\"",
                  Seconds(duration), "\" timestamp=\"", XmlEscape(timestamp), "\">\n");
  out += "    <properties>\n";
  auto property = [&out](absl::string_view name, absl::string_view value) {
    absl::StrAppend(&out, "      <property name=\"", name, "\" value=\"", XmlEscape(value),
                    "\"/>\n");
  };
  property("run", Str(r, "run"));
  property("status", status);
  if (Has(r, "exit_code")) property("exit_code", absl::StrCat(Num(r, "exit_code")));
  property("target", Str(result_doc::Obj(r, "fingerprint"), "target"));
  out += "    </properties>\n";
  for (const Case& c : cases) {
    absl::StrAppend(&out, "    <testcase name=\"", XmlEscape(c.name), "\" classname=\"",
                    classname, "\" time=\"", Seconds(c.time_s), "\"");
    if (c.kind.empty() && c.text.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (!c.kind.empty()) {
      absl::StrAppend(&out, "      <", c.kind, " message=\"", XmlEscape(c.message),
                      "\" type=\"", c.type, "\">", XmlEscape(c.message), "</", c.kind, ">\n");
    }
    if (!c.text.empty()) {
      absl::StrAppend(&out, "      <system-out>", XmlEscape(c.text), "</system-out>\n");
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace barrage
