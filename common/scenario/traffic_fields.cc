// Copyright 2026 The Barrage Authors.

#include "common/scenario/traffic_fields.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/scenario/fields.h"

namespace barrage {
namespace {

absl::Status Invalid(absl::string_view text, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("'", text, "' ", what));
}

// "name(args)" -> args, when `text` has that form.
bool ConsumeCall(absl::string_view text, absl::string_view name,
                 absl::string_view* args) {
  absl::string_view rest = text;
  if (!absl::ConsumePrefix(&rest, name)) return false;
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (!absl::ConsumePrefix(&rest, "(") || !absl::ConsumeSuffix(&rest, ")")) {
    return false;
  }
  *args = rest;
  return true;
}

constexpr struct {
  const char* unit;
  int64_t bits;
} kBandwidthUnits[] = {
    {"bit/s", 1},           {"bps", 1},
    {"kbit/s", 1'000},      {"Kbit/s", 1'000},     {"kbps", 1'000}, {"Kbps", 1'000},
    {"Mbit/s", 1'000'000},  {"Mbps", 1'000'000},
    {"Gbit/s", 1'000'000'000}, {"Gbps", 1'000'000'000},
};

constexpr int64_t kMaxBandwidthBps = int64_t{1'000'000'000'000};  // 1 Tbit/s

}  // namespace

absl::StatusOr<ThinkTime> ParseThinkField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  ThinkTime think;
  absl::string_view args;
  if (ConsumeCall(text, "uniform", &args)) {
    std::vector<absl::string_view> parts = absl::StrSplit(args, ',');
    if (parts.size() != 2) {
      return Invalid(text, "is not a think time: uniform takes two durations, "
                           "like uniform(1s, 3s)");
    }
    absl::StatusOr<absl::Duration> a = ParseDurationField(parts[0]);
    if (!a.ok()) return a.status();
    absl::StatusOr<absl::Duration> b = ParseDurationField(parts[1]);
    if (!b.ok()) return b.status();
    think.kind = ThinkTime::Kind::kUniform;
    think.a = *a;
    think.b = *b;
    return think;
  }
  if (ConsumeCall(text, "exponential", &args)) {
    absl::StatusOr<absl::Duration> mean = ParseDurationField(args);
    if (!mean.ok()) return mean.status();
    think.kind = ThinkTime::Kind::kExponential;
    think.a = *mean;
    return think;
  }
  if (absl::StrContains(text, "(")) {
    return Invalid(text, "is not a think time: write 2s, uniform(1s, 3s) or "
                         "exponential(2s)");
  }
  absl::StatusOr<absl::Duration> fixed = ParseDurationField(text);
  if (!fixed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        fixed.status().message(),
        " (a think time is 2s, uniform(1s, 3s) or exponential(2s))"));
  }
  think.kind = ThinkTime::Kind::kFixed;
  think.a = *fixed;
  return think;
}

std::string FormatThink(const ThinkTime& think) {
  switch (think.kind) {
    case ThinkTime::Kind::kNone:
      return "none";
    case ThinkTime::Kind::kFixed:
      return HumanDuration(think.a);
    case ThinkTime::Kind::kUniform:
      return absl::StrCat("uniform(", HumanDuration(think.a), ", ",
                          HumanDuration(think.b), ")");
    case ThinkTime::Kind::kExponential:
      return absl::StrCat("exponential(", HumanDuration(think.a), ")");
  }
  return "none";
}

absl::StatusOr<int64_t> ParseBandwidthField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  // The longest unit that ends the text ("kbit/s" before "bit/s").
  int64_t per_unit = 0;
  absl::string_view number;
  size_t matched = 0;
  for (const auto& u : kBandwidthUnits) {
    const absl::string_view unit = u.unit;
    if (unit.size() > matched && absl::EndsWith(text, unit)) {
      matched = unit.size();
      per_unit = u.bits;
      number = absl::StripAsciiWhitespace(text.substr(0, text.size() - unit.size()));
    }
  }
  if (per_unit == 0) {
    return Invalid(text, "is not a bandwidth: write it like 2Mbit/s, 512kbit/s "
                         "or 1Gbit/s (units bit/s kbit/s Mbit/s Gbit/s, kbps "
                         "Mbps)");
  }
  // Digits with at most 3 decimals, exact.
  int64_t whole = 0;
  int64_t frac = 0;
  int64_t frac_scale = 1;
  bool seen_dot = false;
  int digits = 0;
  for (char c : number) {
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) || ++digits > 15 ||
        (seen_dot && frac_scale >= 1000)) {
      return Invalid(text, "is not a bandwidth: the number must be like 2, "
                           "1.5 or 0.256");
    }
    if (seen_dot) {
      frac = frac * 10 + (c - '0');
      frac_scale *= 10;
    } else {
      whole = whole * 10 + (c - '0');
    }
  }
  if (digits == 0) return Invalid(text, "is not a bandwidth: a number is required");
  if (whole > kMaxBandwidthBps / per_unit) {
    return Invalid(text, "is above the limit of 1000Gbit/s");
  }
  const int64_t frac_bits = frac * per_unit;
  if (frac_bits % frac_scale != 0) {
    return Invalid(text, "is not a whole number of bits per second");
  }
  const int64_t bps = whole * per_unit + frac_bits / frac_scale;
  if (bps <= 0) {
    return Invalid(text, "must be above 0 (leave bandwidth out for no limit)");
  }
  if (bps > kMaxBandwidthBps) return Invalid(text, "is above the limit of 1000Gbit/s");
  return bps;
}

std::string FormatBandwidth(int64_t bps) {
  constexpr struct {
    const char* unit;
    int64_t bits;
  } kUnits[] = {{"Gbit/s", 1'000'000'000}, {"Mbit/s", 1'000'000}, {"kbit/s", 1'000}};
  for (const auto& u : kUnits) {
    if (bps >= u.bits && bps % u.bits == 0) return absl::StrCat(bps / u.bits, u.unit);
  }
  return absl::StrCat(bps, "bit/s");
}

absl::StatusOr<DataSource::Mode> ParseDataModeField(absl::string_view text) {
  for (DataSource::Mode m : {DataSource::Mode::kSequential, DataSource::Mode::kRandom,
                             DataSource::Mode::kUnique}) {
    if (text == DataModeName(m)) return m;
  }
  return Invalid(text, "is not one of sequential, random, unique");
}

absl::StatusOr<DataSource::OnEnd> ParseDataOnEndField(absl::string_view text) {
  for (DataSource::OnEnd e : {DataSource::OnEnd::kRecycle, DataSource::OnEnd::kStop}) {
    if (text == DataOnEndName(e)) return e;
  }
  return Invalid(text, "is not one of recycle, stop");
}

absl::StatusOr<DataSource::Format> ParseDataFormatField(absl::string_view text) {
  for (DataSource::Format f : {DataSource::Format::kCsv, DataSource::Format::kJsonLines}) {
    if (text == DataFormatName(f)) return f;
  }
  return Invalid(text, "is not one of csv, jsonl");
}

const char* DataModeName(DataSource::Mode mode) {
  switch (mode) {
    case DataSource::Mode::kSequential: return "sequential";
    case DataSource::Mode::kRandom: return "random";
    case DataSource::Mode::kUnique: return "unique";
  }
  return "sequential";
}

const char* DataOnEndName(DataSource::OnEnd on_end) {
  return on_end == DataSource::OnEnd::kStop ? "stop" : "recycle";
}

const char* DataFormatName(DataSource::Format format) {
  return format == DataSource::Format::kJsonLines ? "jsonl" : "csv";
}

absl::StatusOr<DataSource::Format> DataFormatForFile(absl::string_view file) {
  const std::string lower = absl::AsciiStrToLower(file);
  if (absl::EndsWith(lower, ".csv")) return DataSource::Format::kCsv;
  if (absl::EndsWith(lower, ".jsonl") || absl::EndsWith(lower, ".ndjson")) {
    return DataSource::Format::kJsonLines;
  }
  return Invalid(file, "has no known data extension (.csv, .jsonl or .ndjson)");
}

absl::StatusOr<Capture::Kind> ParseCaptureKindField(absl::string_view text) {
  for (Capture::Kind k : {Capture::Kind::kJson, Capture::Kind::kHeader,
                          Capture::Kind::kRegex, Capture::Kind::kStatus}) {
    if (text == CaptureKindName(k)) return k;
  }
  return Invalid(text, "is not one of json, header, regex, status");
}

const char* CaptureKindName(Capture::Kind kind) {
  switch (kind) {
    case Capture::Kind::kJson: return "json";
    case Capture::Kind::kHeader: return "header";
    case Capture::Kind::kRegex: return "regex";
    case Capture::Kind::kStatus: return "status";
  }
  return "json";
}

absl::StatusOr<Check::Kind> ParseCheckKindField(absl::string_view text) {
  for (Check::Kind k : {Check::Kind::kStatus, Check::Kind::kJsonExists,
                        Check::Kind::kJsonEquals, Check::Kind::kBodyContains,
                        Check::Kind::kHeader, Check::Kind::kMaxDuration}) {
    if (text == CheckKindName(k)) return k;
  }
  return Invalid(text, "is not one of status, json_exists, json_equals, "
                       "body_contains, header, max_duration");
}

const char* CheckKindName(Check::Kind kind) {
  switch (kind) {
    case Check::Kind::kStatus: return "status";
    case Check::Kind::kJsonExists: return "json_exists";
    case Check::Kind::kJsonEquals: return "json_equals";
    case Check::Kind::kBodyContains: return "body_contains";
    case Check::Kind::kHeader: return "header";
    case Check::Kind::kMaxDuration: return "max_duration";
  }
  return "status";
}

std::string CheckDisplayName(const Check& check) {
  switch (check.kind) {
    case Check::Kind::kStatus: return "status";
    case Check::Kind::kJsonExists: return absl::StrCat("json ", check.path, " exists");
    case Check::Kind::kJsonEquals:
      return absl::StrCat("json ", check.path, " == ", check.value);
    case Check::Kind::kBodyContains: return "body_contains";
    case Check::Kind::kHeader: return absl::StrCat("header ", check.path);
    case Check::Kind::kMaxDuration: return "max_duration";
  }
  return "status";
}

std::string CheckFieldPath(const Check& check) {
  switch (check.kind) {
    case Check::Kind::kStatus: return "check.status";
    case Check::Kind::kJsonExists:
    case Check::Kind::kJsonEquals: return absl::StrCat("check.json.", check.path);
    case Check::Kind::kBodyContains: return "check.body_contains";
    case Check::Kind::kHeader: return absl::StrCat("check.header.", check.path);
    case Check::Kind::kMaxDuration: return "check.max_duration";
  }
  return "check";
}

bool IsValidFlowName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool IsValidVariableName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  if (absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace barrage
