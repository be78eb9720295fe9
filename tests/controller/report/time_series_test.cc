// Copyright 2026 The Barrage Authors.

#include "controller/report/time_series.h"

#include <catch2/catch_test_macros.hpp>

#include "absl/strings/str_cat.h"
#include "common/util/json_writer.h"

namespace barrage {
namespace {

RunSeries Sample() {
  RunSeries s;
  s.requests = {"a", "b"};
  for (int i = 0; i < 3; ++i) {
    SeriesInterval in;
    in.start_s = i;
    in.offered_rps = 50;
    in.achieved_rps = 49 + i;
    in.agents = 2;
    in.vus = i;
    in.requests.resize(2);
    Histogram ok;
    for (int v = 1; v <= 30; ++v) ok.Record(1000 * v + i);
    in.requests[0].ok = SparseHistogram::From(ok);
    in.requests[0].outcomes[static_cast<size_t>(Outcome::kOk)] = 30;
    in.requests[0].outcomes[static_cast<size_t>(Outcome::kTimeout)] = 2;
    in.requests[0].statuses[200] = 30;
    if (i == 1) {
      in.requests[1].outcomes[static_cast<size_t>(Outcome::kHttpError)] = 4;
      in.requests[1].statuses[503] = 4;
    }
    s.intervals.push_back(std::move(in));
  }
  s.coarsened.push_back({0, 1, 3, "none really"});
  return s;
}

std::string Result(const RunSeries& s) {
  JsonWriter json;
  json.BeginObject().Key("version").Int(1).Key("series");
  WriteSeriesJson(s, json);
  json.EndObject();
  return json.text();
}

TEST_CASE("a series survives the result JSON exactly") {
  const RunSeries s = Sample();
  absl::StatusOr<RunSeries> back = SeriesFromResultJson(Result(s));
  REQUIRE(back.ok());
  CHECK(back->requests == s.requests);
  REQUIRE(back->intervals.size() == 3);
  REQUIRE(back->coarsened.size() == 1);
  CHECK(back->coarsened[0].reason == "none really");
  for (size_t i = 0; i < 3; ++i) {
    const SeriesInterval& a = s.intervals[i];
    const SeriesInterval& b = back->intervals[i];
    CHECK(b.start_s == a.start_s);
    CHECK(b.achieved_rps == a.achieved_rps);
    CHECK(b.vus == a.vus);
    CHECK(b.agents == 2);
    for (size_t r = 0; r < 2; ++r) {
      CHECK(b.requests[r].ok == a.requests[r].ok);
      CHECK(b.requests[r].outcomes == a.requests[r].outcomes);
      CHECK(b.requests[r].statuses == a.requests[r].statuses);
    }
  }
  CHECK(back->intervals[1].Requests() == 36);
  CHECK(back->intervals[1].Errors() == 6);
  CHECK(back->intervals[1].MergedOk().count() == 30);
}

TEST_CASE("a result without a series is NotFound, a bad one names where") {
  CHECK(absl::IsNotFound(SeriesFromResultJson("{\"version\": 1}").status()));
  CHECK(absl::IsInvalidArgument(SeriesFromResultJson("[1]").status()));
  const std::string base = Result(Sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return SeriesFromResultJson(text).status();
  };
  absl::Status s = with("\"o\":[30", "\"o\":[-3");
  CHECK(absl::IsInvalidArgument(s));
  CHECK(std::string(s.message()).find("series.intervals[0].r[0].o[0]") != std::string::npos);
  s = with("\"h\":\"", "\"h\":\"!!");
  CHECK(std::string(s.message()).find("series.intervals[0].r[0].h") != std::string::npos);
  s = with("\"o\":[30,0,2]", "\"o\":[3,0,2]");  // 30 values in the histogram, 3 ok
  CHECK(std::string(s.message()).find("more values than ok") != std::string::npos);
  s = with("\"t\":1,", "\"t\":0.5,");
  CHECK(std::string(s.message()).find("time order") != std::string::npos);
  s = with("\"s\":{\"200\"", "\"s\":{\"x\"");
  CHECK(std::string(s.message()).find("not an HTTP status") != std::string::npos);
}

}  // namespace
}  // namespace barrage
