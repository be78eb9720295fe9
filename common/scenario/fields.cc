// Copyright 2026 The Barrage Authors.

#include "common/scenario/fields.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/util/http_token.h"

namespace barrage {
namespace {

// "16.5" -> 33/2 exactly. Digits, at most one '.', at most 3 decimals (which
// keeps the schedule's exact arithmetic within 128 bits).
absl::StatusOr<Rational> ParseDecimal(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("a number is required");
  int64_t num = 0;
  int64_t den = 1;
  bool seen_dot = false;
  int digits = 0;
  for (char c : text) {
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' is not a non-negative decimal number"));
    }
    if (++digits > 15 || (seen_dot && den >= 1000)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' has too many digits"));
    }
    num = num * 10 + (c - '0');
    if (seen_dot) den *= 10;
  }
  if (digits == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a number"));
  }
  return Rational(num, den);
}

}  // namespace

absl::StatusOr<absl::Duration> ParseDurationField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return absl::InvalidArgumentError("a duration is required");
  if (text[0] == '-') {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is negative: durations must be positive"));
  }
  double bare;
  if (absl::SimpleAtod(text, &bare)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' has no unit: write it like 10s, 250ms, 5m or 1h"));
  }
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text,
        "' is not a duration: use a number and a unit among ns, us, ms, s, m, "
        "h, like 10s or 1m30s"));
  }
  return d;
}

absl::StatusOr<Rational> ParseRateField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a rate: write it like 200/min, 10/s or 1000/h"));
  }
  absl::string_view number = absl::StripAsciiWhitespace(parts[0]);
  absl::string_view unit = absl::StripAsciiWhitespace(parts[1]);
  int64_t seconds;
  if (unit == "s") {
    seconds = 1;
  } else if (unit == "min") {
    seconds = 60;
  } else if (unit == "h") {
    seconds = 3600;
  } else if (unit == "m") {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': '/m' is ambiguous, write /min"));
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "': unknown rate unit '", unit, "' (use /s, /min or /h)"));
  }
  absl::StatusOr<Rational> n = ParseDecimal(number);
  if (!n.ok()) return n.status();
  Rational rate = *n / Rational::FromInt(seconds);
  if (!rate.ok()) return absl::InvalidArgumentError("rate is out of range");
  return rate;
}

absl::StatusOr<double> ParseFractionField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  double value;
  if (absl::ConsumeSuffix(&text, "%")) {
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "%' is not a percentage"));
    }
    value /= 100.0;
  } else if (!absl::SimpleAtod(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a fraction: write it like 1% or 0.01"));
  }
  if (!(value >= 0.0 && value <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is outside 0%..100%"));
  }
  return value;
}

absl::StatusOr<int64_t> ParseIntField(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not an integer"));
  }
  int64_t value = 0;
  absl::SimpleAtoi(text, &value);
  return value;
}

absl::StatusOr<bool> ParseBoolField(absl::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not true or false"));
}

absl::StatusOr<Target> ParseTargetField(absl::string_view text) {
  Target t;
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (absl::ConsumePrefix(&rest, "http://")) {
    t.scheme = "http";
    t.port = 80;
  } else if (absl::ConsumePrefix(&rest, "https://")) {
    t.scheme = "https";
    t.port = 443;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' must start with http:// or https://"));
  }
  if (rest.find_first_of("?# \t\r\n") != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' may not hold a query, fragment or whitespace"));
  }
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  absl::string_view path =
      slash == absl::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != absl::string_view::npos) {
    return absl::InvalidArgumentError("credentials in the target URL are not supported");
  }
  absl::string_view host = authority;
  absl::string_view port;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("unclosed '[' in the target's host");
    }
    absl::string_view after = host.substr(close + 1);
    host = host.substr(0, close);
    if (!after.empty() && !absl::ConsumePrefix(&after, ":")) {
      return absl::InvalidArgumentError("junk after the target's IPv6 host");
    }
    port = after;
  } else if (const size_t colon = host.rfind(':');
             colon != absl::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' has no host"));
  }
  if (!port.empty() || authority.back() == ':') {
    int p = 0;
    if (!absl::SimpleAtoi(port, &p) || p < 1 || p > 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' has an invalid port"));
    }
    t.port = p;
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  t.host = std::string(host);
  t.base_path = std::string(path);
  absl::string_view url = absl::StripAsciiWhitespace(text);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  t.url = std::string(url);
  return t;
}

absl::StatusOr<OnLoss> ParseOnLossField(absl::string_view text) {
  for (OnLoss o : {OnLoss::kRedistribute, OnLoss::kContinue, OnLoss::kAbort}) {
    if (text == OnLossName(o)) return o;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text, "' is not one of redistribute, continue, abort"));
}

absl::StatusOr<OnJoin> ParseOnJoinField(absl::string_view text) {
  for (OnJoin o : {OnJoin::kRebalance, OnJoin::kIgnore}) {
    if (text == OnJoinName(o)) return o;
  }
  return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not one of rebalance, ignore"));
}

absl::StatusOr<HttpVersion> ParseHttpVersionField(absl::string_view text) {
  if (text == "1.1") return HttpVersion::kHttp11;
  if (text == "2") return HttpVersion::kHttp2;
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not \"1.1\" or \"2\""));
}

absl::StatusOr<ThresholdMetric> ParseThresholdMetricField(
    absl::string_view text) {
  for (ThresholdMetric m :
       {ThresholdMetric::kP50, ThresholdMetric::kP90, ThresholdMetric::kP95,
        ThresholdMetric::kP99, ThresholdMetric::kP999, ThresholdMetric::kMax,
        ThresholdMetric::kMean, ThresholdMetric::kErrorRate,
        ThresholdMetric::kRps}) {
    if (text == ThresholdMetricName(m)) return m;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text,
      "' is not one of p50 p90 p95 p99 p999 max mean error_rate rps"));
}

bool IsValidRequestName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '.' || c == '-';
  });
}

bool IsValidHeaderName(absl::string_view name) { return IsHttpToken(name); }

}  // namespace barrage
