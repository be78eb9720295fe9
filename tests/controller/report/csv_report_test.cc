// Copyright 2026 The Barrage Authors.

#include "controller/report/csv_report.h"

#include <catch2/catch_test_macros.hpp>

#include "common/util/json_writer.h"

namespace barrage {
namespace {

RunSeries Sample() {
  RunSeries s;
  s.requests = {"get,home", "say \"hi\""};
  for (int i = 0; i < 2; ++i) {
    SeriesInterval in;
    in.start_s = i;
    in.requests.resize(2);
    Histogram ok;
    for (int v = 1; v <= 100; ++v) ok.Record(1000 * v);
    in.requests[0].ok = SparseHistogram::From(ok);
    in.requests[0].outcomes[static_cast<size_t>(Outcome::kOk)] = 100;
    in.requests[0].outcomes[static_cast<size_t>(Outcome::kTimeout)] = 2;
    in.requests[1].outcomes[static_cast<size_t>(Outcome::kHttpError)] = i;
    in.requests[1].outcomes[static_cast<size_t>(Outcome::kAborted)] = 1;
    s.intervals.push_back(std::move(in));
  }
  return s;
}

TEST_CASE("the CSV has a header and a row per interval and request, plus all") {
  const std::string csv = CsvFromSeries(Sample());
  CHECK(csv ==
        "time_s,length_s,request,requests,http_error,timeout,connect_error,other,aborted,"
        "p50_ms,p95_ms,p99_ms,max_ms,achieved_rps,check_failed,failed\r\n"
        "0.000,1.000,\"get,home\",102,0,2,0,0,0,50.015,95.039,99.007,100.000,102.000,0,2\r\n"
        "0.000,1.000,\"say \"\"hi\"\"\",1,0,0,0,0,1,,,,,1.000,0,0\r\n"
        "0.000,1.000,all,103,0,2,0,0,1,50.015,95.039,99.007,100.000,103.000,0,2\r\n"
        "1.000,1.000,\"get,home\",102,0,2,0,0,0,50.015,95.039,99.007,100.000,102.000,0,2\r\n"
        "1.000,1.000,\"say \"\"hi\"\"\",2,1,0,0,0,1,,,,,2.000,0,1\r\n"
        "1.000,1.000,all,104,1,2,0,0,1,50.015,95.039,99.007,100.000,104.000,0,3\r\n");
}

TEST_CASE("with monitor queries the CSV has a column per query, empty without a sample") {
  RunSeries s;
  s.requests = {"a"};
  s.monitor = {"cpu", "hits"};
  for (int i = 0; i < 2; ++i) {
    SeriesInterval in;
    in.start_s = i;
    in.requests.resize(1);
    in.monitor.resize(2);
    in.monitor[0] = {0.5 + i, 2};  // two samples: mean 0.25, then 0.75
    if (i == 1) in.monitor[1] = {0.97, 1};
    s.intervals.push_back(std::move(in));
  }
  const std::string csv = CsvFromSeries(s);
  CHECK(csv ==
        "time_s,length_s,request,requests,http_error,timeout,connect_error,other,aborted,"
        "p50_ms,p95_ms,p99_ms,max_ms,achieved_rps,check_failed,failed,monitor_cpu,monitor_hits\r\n"
        "0.000,1.000,a,0,0,0,0,0,0,,,,,0.000,0,0,0.25,\r\n"
        "0.000,1.000,all,0,0,0,0,0,0,,,,,0.000,0,0,0.25,\r\n"
        "1.000,1.000,a,0,0,0,0,0,0,,,,,0.000,0,0,0.75,0.97\r\n"
        "1.000,1.000,all,0,0,0,0,0,0,,,,,0.000,0,0,0.75,0.97\r\n");
}

TEST_CASE("CSV fields are quoted as RFC 4180 says") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("a\"b") == "\"a\"\"b\"");
  CHECK(CsvField("line\nbreak") == "\"line\nbreak\"");
  CHECK(CsvField("cr\r") == "\"cr\r\"");
}

TEST_CASE("the CSV of a result JSON is its series'; a result without one is NotFound") {
  JsonWriter json;
  json.BeginObject().Key("version").Int(1).Key("series");
  WriteSeriesJson(Sample(), json);
  json.EndObject();
  absl::StatusOr<std::string> csv = CsvReport(json.text());
  REQUIRE(csv.ok());
  CHECK(*csv == CsvFromSeries(Sample()));
  CHECK(CsvReport("{\"version\": 1}").status().code() == absl::StatusCode::kNotFound);
  CHECK(CsvReport("[1]").status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace barrage
