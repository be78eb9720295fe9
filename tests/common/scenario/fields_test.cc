// Copyright 2026 The Barrage Authors.

#include "common/scenario/fields.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("durations need a unit and may be compound") {
  CHECK(*ParseDurationField("10s") == absl::Seconds(10));
  CHECK(*ParseDurationField("250ms") == absl::Milliseconds(250));
  CHECK(*ParseDurationField("1m30s") == absl::Seconds(90));
  CHECK(*ParseDurationField("1.5h") == absl::Minutes(90));
  CHECK(*ParseDurationField("0s") == absl::ZeroDuration());
  CHECK_FALSE(ParseDurationField("10").ok());
  CHECK_FALSE(ParseDurationField("-5s").ok());
  CHECK_FALSE(ParseDurationField("10sec").ok());
  CHECK_FALSE(ParseDurationField("inf").ok());
  CHECK_FALSE(ParseDurationField("").ok());
}

TEST_CASE("rates are exact per-second fractions") {
  CHECK(*ParseRateField("200/min") == Rational(10, 3));
  CHECK(*ParseRateField("16.5/s") == Rational(33, 2));
  CHECK(*ParseRateField("1000/h") == Rational(5, 18));
  CHECK(*ParseRateField("0/s") == Rational());
  CHECK(*ParseRateField(" 12 / s ") == Rational(12, 1));
  CHECK_FALSE(ParseRateField("200").ok());
  CHECK_FALSE(ParseRateField("200/m").ok());
  CHECK_FALSE(ParseRateField("200/minute").ok());
  CHECK_FALSE(ParseRateField("-5/s").ok());
  CHECK_FALSE(ParseRateField("1e3/s").ok());
  CHECK_FALSE(ParseRateField("1.2.3/s").ok());
  CHECK_FALSE(ParseRateField("1234567890123456/s").ok());
}

TEST_CASE("fractions take percentages or plain ratios") {
  CHECK(*ParseFractionField("1%") == 0.01);
  CHECK(*ParseFractionField("0.5%") == 0.005);
  CHECK(*ParseFractionField("0.05") == 0.05);
  CHECK_FALSE(ParseFractionField("101%").ok());
  CHECK_FALSE(ParseFractionField("200ms").ok());
  CHECK_FALSE(ParseFractionField("-1%").ok());
}

TEST_CASE("integers and booleans are strict") {
  CHECK(*ParseIntField("42") == 42);
  CHECK(*ParseIntField("-3") == -3);
  CHECK_FALSE(ParseIntField("1.5").ok());
  CHECK_FALSE(ParseIntField("1e3").ok());
  CHECK_FALSE(ParseIntField("").ok());
  CHECK_FALSE(ParseIntField("99999999999999999999").ok());
  CHECK(*ParseBoolField("true"));
  CHECK_FALSE(*ParseBoolField("false"));
  CHECK_FALSE(ParseBoolField("yes").ok());
}

TEST_CASE("targets are parsed into scheme, host, port and base path") {
  Target t = *ParseTargetField("http://127.0.0.1:8080");
  CHECK(t.scheme == "http");
  CHECK(t.host == "127.0.0.1");
  CHECK(t.port == 8080);
  CHECK(t.base_path.empty());
  t = *ParseTargetField("https://localhost/api/v2/");
  CHECK(t.port == 443);
  CHECK(t.base_path == "/api/v2");
  CHECK(t.url == "https://localhost/api/v2");
  t = *ParseTargetField("http://[::1]:9000/x");
  CHECK(t.host == "::1");
  CHECK(t.port == 9000);
  CHECK_FALSE(ParseTargetField("ftp://host").ok());
  CHECK_FALSE(ParseTargetField("http://").ok());
  CHECK_FALSE(ParseTargetField("http://host:0").ok());
  CHECK_FALSE(ParseTargetField("http://host:99999").ok());
  CHECK_FALSE(ParseTargetField("http://host/?q=1").ok());
  CHECK_FALSE(ParseTargetField("http://user:pw@host").ok());
  CHECK_FALSE(ParseTargetField("http://[::1").ok());
}

TEST_CASE("names and header names are checked") {
  CHECK(IsValidRequestName("critical-runbook_2.v1"));
  CHECK_FALSE(IsValidRequestName("has space"));
  CHECK_FALSE(IsValidRequestName(""));
  CHECK_FALSE(IsValidRequestName(std::string(65, 'a')));
  CHECK(IsValidHeaderName("X-Request-Id"));
  CHECK_FALSE(IsValidHeaderName("Bad Header"));
  CHECK_FALSE(IsValidHeaderName("a:b"));
}

TEST_CASE("typos get a suggestion") {
  CHECK(ClosestWord("duraton", {"duration", "rate", "to"}) == "duration");
  CHECK(ClosestWord("wieght", {"weight", "name"}) == "weight");
  CHECK(ClosestWord("zzzzzz", {"weight", "name"}).empty());
}

}  // namespace
}  // namespace barrage
