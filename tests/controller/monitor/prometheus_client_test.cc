// Copyright 2026 The Barrage Authors.
//
// PrometheusClient against a fake Prometheus: a cpp-httplib server on
// loopback answering /api/v1/query as the test says.

#include "controller/monitor/prometheus_client.h"

#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

class FakePrometheus {
 public:
  FakePrometheus(int status, std::string body, absl::Duration delay = absl::ZeroDuration())
      : status_(status), body_(std::move(body)), delay_(delay) {
    server_.Get("/prefix/api/v1/query", [this](const httplib::Request& req, httplib::Response& res) {
      query_ = req.get_param_value("query");
      time_ = req.get_param_value("time");
      auth_ = req.get_header_value("Authorization");
      if (delay_ > absl::ZeroDuration()) released_.WaitForNotificationWithTimeout(delay_);
      res.status = status_;
      res.set_content(body_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakePrometheus() {
    released_.Notify();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/prefix"); }
  std::string query_, time_, auth_;

 private:
  int status_;
  std::string body_;
  absl::Duration delay_;
  absl::Notification released_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

const absl::Time kAt = absl::FromUnixSeconds(1'796'083'200);

TEST_CASE("the client reads a scalar and a one-series vector, with the token and the time") {
  SECTION("vector") {
    FakePrometheus prom(200, R"({"status":"success","data":{"resultType":"vector","result":[)"
                             R"({"metric":{"job":"t"},"value":[1796083200,"0.82"]}]}})");
    PrometheusClient client(prom.url(), "s3cret");
    absl::StatusOr<double> v = client.Query("sum(rate(x[30s]))", kAt);
    REQUIRE(v.ok());
    CHECK(*v == 0.82);
    CHECK(prom.query_ == "sum(rate(x[30s]))");
    CHECK(prom.time_ == "1796083200.000");
    CHECK(prom.auth_ == "Bearer s3cret");
  }
  SECTION("scalar, no token") {
    FakePrometheus prom(200, R"({"status":"success","data":{"resultType":"scalar",)"
                             R"("result":[1796083200,"42"]}})");
    PrometheusClient client(prom.url(), "");
    absl::StatusOr<double> v = client.Query("42", kAt);
    REQUIRE(v.ok());
    CHECK(*v == 42);
    CHECK(prom.auth_.empty());
  }
}

TEST_CASE("the client refuses answers that are not one number") {
  SECTION("three series") {
    FakePrometheus prom(200, R"({"status":"success","data":{"resultType":"vector","result":[)"
                             R"({"metric":{},"value":[1,"1"]},{"metric":{},"value":[1,"2"]},)"
                             R"({"metric":{},"value":[1,"3"]}]}})");
    absl::StatusOr<double> v = PrometheusClient(prom.url(), "").Query("x", kAt);
    CHECK(v.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(v.status().message() == "returned 3 series; aggregate it (sum/avg)");
  }
  SECTION("no series") {
    FakePrometheus prom(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
    CHECK(PrometheusClient(prom.url(), "").Query("x", kAt).status().message() ==
          "returned no series");
  }
  SECTION("a query error") {
    FakePrometheus prom(400, R"({"status":"error","errorType":"bad_data",)"
                             R"("error":"1:5: parse error: unexpected end of input"})");
    absl::StatusOr<double> v = PrometheusClient(prom.url(), "tok").Query("sum(", kAt);
    CHECK(v.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(v.status().message() == "1:5: parse error: unexpected end of input");
  }
  SECTION("NaN") {
    FakePrometheus prom(200, R"({"status":"success","data":{"resultType":"scalar",)"
                             R"("result":[1,"NaN"]}})");
    CHECK_THAT(std::string(PrometheusClient(prom.url(), "").Query("x", kAt).status().message()),
               ContainsSubstring("NaN, not a number"));
  }
}

TEST_CASE("a silent or absent Prometheus is Unavailable within the timeout") {
  SECTION("silent") {
    FakePrometheus prom(200, "{}", absl::Seconds(5));
    const absl::Time start = absl::Now();
    absl::StatusOr<double> v =
        PrometheusClient(prom.url(), "", absl::Milliseconds(300)).Query("x", kAt);
    CHECK(v.status().code() == absl::StatusCode::kUnavailable);
    CHECK(v.status().message() == "no answer within 300ms");
    CHECK(absl::Now() - start < absl::Seconds(3));
  }
  SECTION("refused") {
    int port = 0;
    {
      FakePrometheus gone(200, "{}");
      port = std::stoi(gone.url().substr(gone.url().rfind(':') + 1));
    }
    absl::StatusOr<double> v =
        PrometheusClient(absl::StrCat("http://127.0.0.1:", port), "").Query("x", kAt);
    CHECK(v.status().code() == absl::StatusCode::kUnavailable);
    CHECK(v.status().message() == "connection refused or unreachable");
  }
}

}  // namespace
}  // namespace barrage
