// Copyright 2026 The Barrage Authors.

#include "common/scenario/traffic_fields.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

TEST_CASE("bandwidths take bit units with decimal prefixes") {
  CHECK(*ParseBandwidthField("2Mbit/s") == 2'000'000);
  CHECK(*ParseBandwidthField("512kbit/s") == 512'000);
  CHECK(*ParseBandwidthField("512Kbit/s") == 512'000);
  CHECK(*ParseBandwidthField("1.5Gbit/s") == 1'500'000'000);
  CHECK(*ParseBandwidthField("64kbps") == 64'000);
  CHECK(*ParseBandwidthField("10Mbps") == 10'000'000);
  CHECK(*ParseBandwidthField("800bit/s") == 800);
  CHECK(*ParseBandwidthField(" 2 Mbit/s ") == 2'000'000);
  CHECK(*ParseBandwidthField("0.256Mbit/s") == 256'000);
}

TEST_CASE("a bandwidth without a bit unit or above zero is refused") {
  CHECK_THAT(std::string(ParseBandwidthField("2MB/s").status().message()),
             ContainsSubstring("is not a bandwidth"));
  CHECK_THAT(std::string(ParseBandwidthField("2").status().message()),
             ContainsSubstring("is not a bandwidth"));
  CHECK_THAT(std::string(ParseBandwidthField("0Mbit/s").status().message()),
             ContainsSubstring("must be above 0"));
  CHECK_THAT(std::string(ParseBandwidthField("1.5bit/s").status().message()),
             ContainsSubstring("whole number of bits"));
  CHECK_THAT(std::string(ParseBandwidthField("-1Mbit/s").status().message()),
             ContainsSubstring("is not a bandwidth"));
  CHECK_THAT(std::string(ParseBandwidthField("5000Gbit/s").status().message()),
             ContainsSubstring("above the limit"));
}

TEST_CASE("bandwidths print in the largest unit that divides them") {
  CHECK(FormatBandwidth(2'000'000) == "2Mbit/s");
  CHECK(FormatBandwidth(1'500'000) == "1500kbit/s");
  CHECK(FormatBandwidth(3'000'000'000) == "3Gbit/s");
  CHECK(FormatBandwidth(800) == "800bit/s");
}

TEST_CASE("think times are fixed, uniform or exponential") {
  absl::StatusOr<ThinkTime> t = ParseThinkField("2s");
  REQUIRE(t.ok());
  CHECK(t->kind == ThinkTime::Kind::kFixed);
  CHECK(t->a == absl::Seconds(2));
  t = ParseThinkField("uniform(1s, 3s)");
  REQUIRE(t.ok());
  CHECK(t->kind == ThinkTime::Kind::kUniform);
  CHECK(t->a == absl::Seconds(1));
  CHECK(t->b == absl::Seconds(3));
  t = ParseThinkField("exponential(250ms)");
  REQUIRE(t.ok());
  CHECK(t->kind == ThinkTime::Kind::kExponential);
  CHECK(t->a == absl::Milliseconds(250));
  for (const char* text : {"2s", "uniform(1s, 3s)", "exponential(250ms)"}) {
    CHECK(FormatThink(*ParseThinkField(text)) == text);
  }
  CHECK_FALSE(ParseThinkField("uniform(1s)").ok());
  CHECK_FALSE(ParseThinkField("exponential(2)").ok());
  CHECK_FALSE(ParseThinkField("2").ok());
  CHECK_FALSE(ParseThinkField("gauss(1s)").ok());
}

TEST_CASE("enumerations round-trip through their names") {
  for (DataSource::Mode m : {DataSource::Mode::kSequential, DataSource::Mode::kRandom,
                             DataSource::Mode::kUnique}) {
    CHECK(*ParseDataModeField(DataModeName(m)) == m);
  }
  for (Check::Kind k : {Check::Kind::kStatus, Check::Kind::kJsonExists,
                        Check::Kind::kJsonEquals, Check::Kind::kBodyContains,
                        Check::Kind::kHeader, Check::Kind::kMaxDuration}) {
    CHECK(*ParseCheckKindField(CheckKindName(k)) == k);
  }
  for (Capture::Kind k : {Capture::Kind::kJson, Capture::Kind::kHeader,
                          Capture::Kind::kRegex, Capture::Kind::kStatus}) {
    CHECK(*ParseCaptureKindField(CaptureKindName(k)) == k);
  }
  CHECK(*DataFormatForFile("x/Users.CSV") == DataSource::Format::kCsv);
  CHECK(*DataFormatForFile("a.ndjson") == DataSource::Format::kJsonLines);
  CHECK_FALSE(DataFormatForFile("a.json").ok());
}

}  // namespace
}  // namespace barrage
