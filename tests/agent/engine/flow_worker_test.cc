// Copyright 2026 The Barrage Authors.
//
// Flows in the Worker, in simulated time against a FakeHttpClient: step
// order, variables, think, captures, checks, cookies, data rows, both load
// models, flow statistics and the mix with plain requests.

#include <cmath>
#include <map>
#include <string>

#include <catch2/catch_test_macros.hpp>

#include "agent/engine/flow_program.h"
#include "agent/engine/request_picker.h"
#include "agent/engine/worker.h"
#include "tests/support/fake_http_client.h"

namespace barrage {
namespace {

using testing::Drive;
using testing::FakeClock;
using testing::FakeHttpClient;
using testing::FakeResponse;

FlowStep Step(const std::string& flow, const std::string& name, const std::string& path) {
  FlowStep s;
  s.step = name;
  s.request.name = flow + "." + name;
  s.request.method = "GET";
  s.request.path = path;
  s.request.timeout = absl::Seconds(5);
  return s;
}

Capture Cap(const std::string& var, Capture::Kind kind, const std::string& expr) {
  Capture c;
  c.var = var;
  c.kind = kind;
  c.expr = expr;
  return c;
}

Stage Rate(int64_t per_second, absl::Duration d) {
  Stage st;
  st.kind = Stage::Kind::kRate;
  st.rate_from = st.rate_to = Rational::FromInt(per_second);
  st.duration = d;
  return st;
}

Scenario Plan(std::vector<FlowSpec> flows, Stage stage) {
  Scenario s;
  s.name = "flows";
  s.target.url = "http://127.0.0.1:1";
  s.target.scheme = "http";
  s.target.host = "127.0.0.1";
  s.target.port = 1;
  s.flows = std::move(flows);
  s.stages.push_back(stage);
  return s;
}

FlowSpec Flow(const std::string& name, std::vector<FlowStep> steps) {
  FlowSpec f;
  f.name = name;
  f.steps = std::move(steps);
  return f;
}

WorkerConfig Config(Scenario s) {
  WorkerConfig c;
  c.scenario = std::move(s);
  return c;
}

// Runs to `until_ns`, closes the final interval and returns everything.
IntervalStats Run(Worker& worker, FakeHttpClient& client, FakeClock& clock, int64_t until_ns) {
  REQUIRE(worker.status().ok());
  Drive(worker, client, clock, until_ns);
  worker.CloseFinal(clock.NowNs());
  IntervalStats all;
  worker.TakeIntervals(all);
  return all;
}

std::string Header(const FakeHttpClient::Sent& s, const std::string& name) {
  for (const auto& [n, v] : s.headers) {
    if (n == name) return v;
  }
  return "<none>";
}

uint64_t ErrorsFor(const v1::StatsReport& r, const std::string& request,
                   const std::string& reason) {
  for (const v1::ErrorCount& e : r.errors()) {
    if (e.request() == request && e.reason() == reason) return e.count();
  }
  return 0;
}

TEST_CASE("a flow runs its steps in order and carries captured values into later steps") {
  FlowStep login = Step("shop", "login", "/login");
  login.request.method = "POST";
  login.request.body = R"({"user": "u1"})";
  login.captures.push_back(Cap("token", Capture::Kind::kJson, "$.token"));
  FlowStep cart = Step("shop", "cart", "/cart/${token}?x=1");
  cart.request.headers = {{"Authorization", "Bearer ${token}"}, {"Accept", "*/*"}};
  cart.request.body = "t=${token}";
  Scenario s = Plan({Flow("shop", {login, cart})}, Rate(1, absl::Seconds(3)));
  s.target.base_path = "/api";

  FakeClock clock;
  int issued = 0;
  FakeHttpClient client(clock, [&](size_t tpl, int64_t) {
    FakeResponse r;
    r.latency_ns = 10'000'000;
    if (tpl == 0) r.body = R"({"token": "tok)" + std::to_string(issued++) + R"("})";
    return r;
  });
  Worker worker(Config(s), client);
  IntervalStats all = Run(worker, client, clock, 4'000'000'000);

  REQUIRE(client.sent().size() == 6);
  for (int i = 0; i < 3; ++i) {
    const auto& first = client.sent()[static_cast<size_t>(2 * i)];
    const auto& second = client.sent()[static_cast<size_t>(2 * i + 1)];
    CHECK(first.tpl == 0);
    CHECK_FALSE(first.rendered);  // static: Start() as built
    CHECK(second.tpl == 1);
    REQUIRE(second.rendered);
    const std::string token = "tok" + std::to_string(i);
    CHECK(second.path == "/api/cart/" + token + "?x=1");
    CHECK(Header(second, "Authorization") == "Bearer " + token);
    CHECK(Header(second, "Accept") == "*/*");
    CHECK(second.body == "t=" + token);
    CHECK(second.at_ns == first.at_ns + 10'000'000);  // no think: at the response
  }
  REQUIRE(all.flows() == 1);
  CHECK(all.Flow(0).started == 3);
  CHECK(all.Flow(0).succeeded == 3);
  CHECK(all.Flow(0).failed == 0);
  CHECK(all.Find(0, Outcome::kOk)->response.count() == 3);
  CHECK(all.Find(1, Outcome::kOk)->response.count() == 3);

  const std::vector<HttpRequestTemplate> templates = BuildTemplates(s);
  REQUIRE(templates.size() == 2);
  CHECK(templates[0].name == "shop.login");
  CHECK(templates[0].keep_response);
  CHECK(templates[1].name == "shop.cart");
  CHECK_FALSE(templates[1].keep_response);
  v1::StatsReport report;
  all.ToReport(templates, &report);
  REQUIRE(report.flows_size() == 1);
  CHECK(report.flows(0).flow() == "shop");
  CHECK(report.flows(0).succeeded() == 3);
}

TEST_CASE("think time delays the next step and is drawn per its distribution") {
  const uint64_t seed = 20261201;
  INFO("seed " << seed);
  FlowStep a = Step("f", "a", "/a");
  FlowStep b = Step("f", "b", "/b");
  double lo = 0, hi = 0, mean_ms = 0;
  SECTION("fixed") {
    a.think.kind = ThinkTime::Kind::kFixed;
    a.think.a = absl::Milliseconds(300);
    lo = hi = mean_ms = 300;
  }
  SECTION("uniform") {
    a.think.kind = ThinkTime::Kind::kUniform;
    a.think.a = absl::Milliseconds(100);
    a.think.b = absl::Milliseconds(500);
    lo = 100;
    hi = 500;
    mean_ms = 300;
  }
  SECTION("exponential") {
    a.think.kind = ThinkTime::Kind::kExponential;
    a.think.a = absl::Milliseconds(200);
    lo = 0;
    hi = 1e9;
    mean_ms = 200;
  }
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{1'000'000}; });
  WorkerConfig config = Config(Plan({Flow("f", {a, b})}, Rate(100, absl::Seconds(20))));
  config.seed = seed;
  Worker worker(config, client);
  IntervalStats all = Run(worker, client, clock, 30'000'000'000);
  // Iterations still thinking when the run ends are cut (aborted).
  CHECK(all.Flow(0).started == 2000);
  CHECK(all.Flow(0).succeeded + all.Flow(0).aborted == 2000);
  CHECK(all.Flow(0).succeeded >= 1900);
  // The draws show in the durations: with think minus without.
  const Histogram& with = all.Flow(0).duration_with_think;
  const Histogram& without = all.Flow(0).duration;
  CHECK(without.min_us() == 2000);
  CHECK(without.max_us() == 2000);
  const double think_mean_ms = (with.mean_us() - 2000.0) / 1000.0;
  CHECK(static_cast<double>(with.min_us()) >= 2000 + lo * 1000 - 1);
  CHECK(static_cast<double>(with.max_us()) <= 2000 + hi * 1000 + 1);
  // 2,000 draws: the mean is within 5% (uniform sd 115 ms, exponential 200
  // ms: 5% is over 3.5 standard errors for both).
  CHECK(std::abs(think_mean_ms - mean_ms) <= mean_ms * 0.05);
  if (lo == hi) CHECK(with.max_us() == with.min_us());
}

TEST_CASE("captures read a JSON path, a header, a regex group and the status") {
  FlowStep a = Step("f", "a", "/a");
  a.captures.push_back(Cap("id", Capture::Kind::kJson, "$.items[1].id"));
  a.captures.push_back(Cap("name", Capture::Kind::kJson, "$.name"));
  a.captures.push_back(Cap("req", Capture::Kind::kHeader, "x-request-id"));
  a.captures.push_back(Cap("num", Capture::Kind::kRegex, R"(order=(\d+))"));
  a.captures.push_back(Cap("code", Capture::Kind::kStatus, ""));
  FlowStep b = Step("f", "b", "/b/${id}/${name}/${req}/${num}/${code}");
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t tpl, int64_t) {
    FakeResponse r;
    r.status = 201;
    if (tpl == 0) {
      r.headers = {{"Content-Type", "application/json"}, {"X-Request-Id", "r-9"}};
      r.body = R"({"items": [{"id": 1}, {"id": 42}], "name": "a\"b", "note": "order=123"})";
    }
    return r;
  });
  Worker worker(Config(Plan({Flow("f", {a, b})}, Rate(1, absl::Seconds(1)))), client);
  IntervalStats all = Run(worker, client, clock, 2'000'000'000);
  REQUIRE(client.sent().size() == 2);
  CHECK(client.sent()[1].path == "/b/42/a\"b/r-9/123/201");
  CHECK(all.Flow(0).succeeded == 1);
}

TEST_CASE("a capture that matches nothing fails the step and ends the iteration") {
  FlowStep a = Step("f", "a", "/a");
  a.captures.push_back(Cap("token", Capture::Kind::kJson, "$.token"));
  FlowStep b = Step("f", "b", "/b/${token}");
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) {
    FakeResponse r;
    r.body = R"({"other": 1})";
    return r;
  });
  Scenario s = Plan({Flow("f", {a, b})}, Rate(2, absl::Seconds(2)));
  Worker worker(Config(s), client);
  IntervalStats all = Run(worker, client, clock, 3'000'000'000);
  CHECK(client.sent().size() == 4);  // only the first steps
  for (const auto& sent : client.sent()) CHECK(sent.tpl == 0);
  CHECK(all.Flow(0).started == 4);
  CHECK(all.Flow(0).failed == 4);
  CHECK(all.Flow(0).succeeded == 0);
  CHECK(all.StepFailures(0) == 4);
  CHECK(all.Find(0, Outcome::kCheckFailed)->response.count() == 4);
  CHECK(all.Find(0, Outcome::kOk) == nullptr);
  CHECK(all.CheckFailures(0, 0) == 4);
  v1::StatsReport report;
  all.ToReport(BuildTemplates(s), &report);
  CHECK(ErrorsFor(report, "f.a", "capture token") == 4);
  REQUIRE(report.flows_size() == 1);
  CHECK(report.flows(0).failed() == 4);
  REQUIRE(report.flows(0).failures_size() == 1);
  CHECK(report.flows(0).failures(0).step() == "f.a");
  CHECK(report.flows(0).failures(0).count() == 4);
}

TEST_CASE("each kind of check fails its step with the check's name") {
  Check check;
  FakeResponse response;
  response.latency_ns = 20'000'000;
  response.headers = {{"X-Id", "7"}};
  response.body = R"({"id": 7, "items": []})";
  SECTION("status") {
    check.kind = Check::Kind::kStatus;
    check.name = "status";
    check.statuses = {201};
  }
  SECTION("json exists") {
    check.kind = Check::Kind::kJsonExists;
    check.name = "json $.missing exists";
    check.path = "$.missing";
  }
  SECTION("json equals") {
    check.kind = Check::Kind::kJsonEquals;
    check.name = "json $.id == 8";
    check.path = "$.id";
    check.value = "8";
  }
  SECTION("body contains") {
    check.kind = Check::Kind::kBodyContains;
    check.name = "body_contains";
    check.value = "\"ok\"";
  }
  SECTION("header present") {
    check.kind = Check::Kind::kHeader;
    check.name = "header X-Other";
    check.path = "X-Other";
  }
  SECTION("header value") {
    check.kind = Check::Kind::kHeader;
    check.name = "header x-id";
    check.path = "x-id";
    check.value = "8";
  }
  SECTION("max duration") {
    check.kind = Check::Kind::kMaxDuration;
    check.name = "max_duration";
    check.max_duration = absl::Milliseconds(19);
  }
  FlowStep a = Step("f", "a", "/a");
  a.checks.push_back(check);
  FlowStep b = Step("f", "b", "/b");
  Scenario s = Plan({Flow("f", {a, b})}, Rate(1, absl::Seconds(3)));
  FakeClock clock;
  FakeHttpClient client(clock, [&](size_t, int64_t) { return response; });
  Worker worker(Config(s), client);
  IntervalStats all = Run(worker, client, clock, 4'000'000'000);
  INFO(check.name);
  CHECK(client.sent().size() == 3);
  CHECK(all.Find(0, Outcome::kCheckFailed)->response.count() == 3);
  CHECK(all.StatusCount(0, 200) == 3);
  v1::StatsReport report;
  all.ToReport(BuildTemplates(s), &report);
  CHECK(ErrorsFor(report, "f.a", "check " + check.name) == 3);
  CHECK(report.flows(0).failed() == 3);
}

TEST_CASE("checks that pass let the flow go on; an unexpected status is an HTTP error") {
  FlowStep a = Step("f", "a", "/a");
  Check exists;
  exists.kind = Check::Kind::kJsonExists;
  exists.name = "json $.id exists";
  exists.path = "$.id";
  Check equals;
  equals.kind = Check::Kind::kJsonEquals;
  equals.name = "json $.id == 7";
  equals.path = "$.id";
  equals.value = "7";
  a.checks = {exists, equals};
  FlowStep b = Step("f", "b", "/b");
  int status = 200;
  FakeClock clock;
  FakeHttpClient client(clock, [&](size_t, int64_t) {
    FakeResponse r;
    r.status = status;
    if (status >= 400) r.outcome = Outcome::kHttpError;  // as a client judges expect
    r.body = R"({"id": 7})";
    return r;
  });
  Scenario s = Plan({Flow("f", {a, b})}, Rate(1, absl::Seconds(1)));
  SECTION("passing") {
    Worker worker(Config(s), client);
    IntervalStats all = Run(worker, client, clock, 2'000'000'000);
    CHECK(client.sent().size() == 2);
    CHECK(all.Flow(0).succeeded == 1);
  }
  SECTION("a 500: http_error, checks skipped") {
    status = 500;
    Worker worker(Config(s), client);
    IntervalStats all = Run(worker, client, clock, 2'000'000'000);
    CHECK(client.sent().size() == 1);
    REQUIRE(all.Find(0, Outcome::kHttpError) != nullptr);
    CHECK(all.Find(0, Outcome::kHttpError)->response.count() == 1);
    CHECK(all.CheckFailures(0, 0) == 0);
    CHECK(all.Flow(0).failed == 1);
  }
}

TEST_CASE("cookies are kept per iteration and sent as one Cookie header") {
  FlowSpec f = Flow("f", {Step("f", "a", "/a"), Step("f", "b", "/b"), Step("f", "c", "/c")});
  f.cookies = true;
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t tpl, int64_t) {
    FakeResponse r;
    if (tpl == 0) r.headers = {{"Set-Cookie", "sid=1; Path=/; HttpOnly"}};
    if (tpl == 1) {
      r.headers = {{"set-cookie", "sid=2"}, {"Set-Cookie", "lang=en; Max-Age=60"}};
    }
    return r;
  });
  Scenario s = Plan({f}, Rate(1, absl::Seconds(2)));
  Worker worker(Config(s), client);
  IntervalStats all = Run(worker, client, clock, 3'000'000'000);
  REQUIRE(client.sent().size() == 6);
  for (size_t i = 0; i < 6; i += 3) {
    CHECK(Header(client.sent()[i], "Cookie") == "<none>");  // a fresh jar
    CHECK(Header(client.sent()[i + 1], "Cookie") == "sid=1");
    CHECK(Header(client.sent()[i + 2], "Cookie") == "sid=2; lang=en");
  }
  CHECK(BuildTemplates(s)[2].keep_response);
  CHECK(all.Flow(0).succeeded == 2);
}

TEST_CASE("a cookie jar is bounded") {
  CookieJar jar;
  for (int i = 0; i < 40; ++i) jar.Set("c" + std::to_string(i) + "=v");
  CHECK(jar.size() == CookieJar::kMaxCookies);
  jar.Set("big=" + std::string(CookieJar::kMaxCookieBytes, 'x'));
  CHECK(jar.size() == CookieJar::kMaxCookies);
  jar.Clear();
  jar.Set("big=" + std::string(CookieJar::kMaxCookieBytes, 'x'));
  CHECK(jar.size() == 0);
  jar.Set("ok=" + std::string(100, 'x'));
  jar.Set("ok=y");
  std::string header;
  jar.AppendHeader(header);
  CHECK(header == "ok=y");
}

// Rows 0..n-1 in order; on_end stop, or recycle.
class FakeRowSource final : public RowSource {
 public:
  FakeRowSource(std::vector<std::vector<std::string>> rows, bool stop)
      : rows_(std::move(rows)), stop_(stop) {}
  int64_t NextRow() override {
    ++asked_;
    if (next_ >= rows_.size()) {
      if (stop_ || unavailable_ > 0) return kNoRow;
      next_ = 0;
    }
    if (unavailable_ > 0) {
      --unavailable_;
      return kNoRow;
    }
    return static_cast<int64_t>(next_++);
  }
  absl::string_view Field(int64_t row, size_t column) const override {
    return rows_[static_cast<size_t>(row)][column];
  }
  bool Exhausted() const override { return stop_ && next_ >= rows_.size(); }
  int unavailable_ = 0;  // the next this many NextRow() give kNoRow
  int asked_ = 0;

 private:
  std::vector<std::vector<std::string>> rows_;
  bool stop_;
  size_t next_ = 0;
};

DataSource Users() {
  DataSource d;
  d.name = "users";
  d.columns = {"id", "email"};
  return d;
}

TEST_CASE("an iteration takes one data row for all its steps; a plain request one per request") {
  FakeRowSource users({{"1", "a@x"}, {"2", "b@x"}, {"3", "c@x"}}, /*stop=*/false);
  FlowStep login = Step("f", "login", "/login");
  login.request.body = R"({"email": "${users.email}"})";
  FlowStep item = Step("f", "item", "/item/${users.id}");
  Scenario s = Plan({Flow("f", {login, item})}, Rate(1, absl::Seconds(4)));
  RequestSpec plain;
  plain.name = "plain";
  plain.method = "GET";
  plain.path = "/u/${users.id}";
  plain.weight = 1;
  s.data.push_back(Users());
  SECTION("flow") {
    FakeClock clock;
    FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
    WorkerConfig config = Config(s);
    config.data = {&users};
    Worker worker(config, client);
    Run(worker, client, clock, 5'000'000'000);
    REQUIRE(client.sent().size() == 8);
    const char* ids[] = {"1", "2", "3", "1"};
    const char* emails[] = {"a@x", "b@x", "c@x", "a@x"};
    for (size_t i = 0; i < 4; ++i) {
      CHECK(client.sent()[2 * i].body == std::string(R"({"email": ")") + emails[i] + "\"}");
      CHECK(client.sent()[2 * i + 1].path == std::string("/item/") + ids[i]);
    }
    CHECK(users.asked_ == 4);
  }
  SECTION("plain requests") {
    s.flows.clear();
    s.requests.push_back(plain);
    FakeClock clock;
    FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
    WorkerConfig config = Config(s);
    config.data = {&users};
    Worker worker(config, client);
    Run(worker, client, clock, 5'000'000'000);
    REQUIRE(client.sent().size() == 4);
    CHECK(client.sent()[0].path == "/u/1");
    CHECK(client.sent()[2].path == "/u/3");
    CHECK(client.sent()[3].path == "/u/1");
  }
}

TEST_CASE("no data row: the iteration is not started and is counted") {
  FakeRowSource users({{"1", "a@x"}}, /*stop=*/false);
  users.unavailable_ = 2;
  Scenario s = Plan({Flow("f", {Step("f", "a", "/a/${users.id}")})}, Rate(1, absl::Seconds(5)));
  s.data.push_back(Users());
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
  WorkerConfig config = Config(s);
  config.data = {&users};
  Worker worker(config, client);
  IntervalStats all = Run(worker, client, clock, 6'000'000'000);
  CHECK(client.sent().size() == 3);
  CHECK(all.data_exhausted == 2);
  CHECK(all.Flow(0).started == 3);
  v1::StatsReport report;
  all.ToReport(BuildTemplates(s), &report);
  CHECK(report.counters().data_exhausted() == 2);
}

TEST_CASE("an exhausted data source that every item needs stops the worker") {
  FakeRowSource users({{"1", "a@x"}, {"2", "b@x"}}, /*stop=*/true);
  FlowStep a = Step("f", "a", "/a/${users.id}");
  a.think.kind = ThinkTime::Kind::kFixed;
  a.think.a = absl::Seconds(3);
  Scenario s = Plan({Flow("f", {a, Step("f", "b", "/b")})}, Rate(1, absl::Seconds(60)));
  s.data.push_back(Users());
  RequestSpec plain;
  plain.name = "plain";
  plain.method = "GET";
  plain.path = "/static";
  plain.weight = 1;
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
  SECTION("only items that need it: stop, after the iterations in progress end") {
    WorkerConfig config = Config(s);
    config.data = {&users};
    Worker worker(config, client);
    REQUIRE(worker.status().ok());
    Drive(worker, client, clock, 10'000'000'000);
    CHECK(worker.Finished(clock.NowNs()));
    CHECK(client.sent().size() == 4);  // both iterations' two steps
    worker.CloseFinal(clock.NowNs());
    IntervalStats all;
    worker.TakeIntervals(all);
    CHECK(all.Flow(0).succeeded == 2);
    CHECK(all.data_exhausted == 1);
  }
  SECTION("a plain static request keeps the run going") {
    s.requests.push_back(plain);
    WorkerConfig config = Config(s);
    config.data = {&users};
    Worker worker(config, client);
    Drive(worker, client, clock, 10'000'000'000);
    CHECK_FALSE(worker.Finished(clock.NowNs()));
  }
}

TEST_CASE("a template naming a missing variable or data source does not compile") {
  Scenario s = Plan({Flow("f", {Step("f", "a", "/a/${nope}")})}, Rate(1, absl::Seconds(1)));
  CHECK_FALSE(FlowProgram::Compile(s).ok());
  s.flows[0].steps[0].request.path = "/a/${users.nope}";
  s.data.push_back(Users());
  absl::StatusOr<FlowProgram> p = FlowProgram::Compile(s);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().message() == "f.a: path: data source 'users' has no column 'nope'");
  s.flows[0].steps[0].request.path = "/a/${users.id}";
  CHECK(FlowProgram::Compile(s).ok());
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
  Worker worker(Config(s), client);  // no RowSource given
  CHECK(absl::IsFailedPrecondition(worker.status()));
  Drive(worker, client, clock, 2'000'000'000);
  CHECK(client.sent().empty());
}

TEST_CASE("closed model: a VU runs a whole iteration, then the stage's think, and loops") {
  FlowStep a = Step("f", "a", "/a");
  a.think.kind = ThinkTime::Kind::kFixed;
  a.think.a = absl::Milliseconds(200);
  Scenario s = Plan({Flow("f", {a, Step("f", "b", "/b")})}, Stage{});
  s.stages[0].kind = Stage::Kind::kVus;
  s.stages[0].vus_from = s.stages[0].vus_to = 2;
  s.stages[0].duration = absl::Seconds(10);
  s.stages[0].think = absl::Milliseconds(700);
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{50'000'000}; });
  Worker worker(Config(s), client);
  IntervalStats all = Run(worker, client, clock, 11'000'000'000);
  // A loop: 50 ms + 200 ms think + 50 ms, then 700 ms: one per second per VU.
  CHECK(all.Flow(0).succeeded == 20);
  CHECK(all.Flow(0).aborted == 0);
  CHECK(all.Flow(0).duration.max_us() == 100'000);
  CHECK(all.Flow(0).duration_with_think.max_us() == 300'000);
  // Never two requests of one VU at once: at most 2 in flight.
  for (size_t i = 2; i < client.sent().size(); ++i) {
    CHECK(client.sent()[i].at_ns >= client.sent()[i - 2].at_ns + 50'000'000);
  }
}

TEST_CASE("flow durations exclude and include think; iterations cut by the end are aborted") {
  FlowStep a = Step("f", "a", "/a");
  a.think.kind = ThinkTime::Kind::kFixed;
  a.think.a = absl::Milliseconds(100);
  FlowStep b = a;
  b.step = "b";
  b.request.name = "f.b";
  FlowStep c = Step("f", "c", "/c");
  // Arrivals at 0, 0.5, ..., 4.5 s; each takes 230 ms; the run ends at 5 s.
  // One more stage-free arrival cannot happen, so cut one by stopping.
  Scenario s = Plan({Flow("f", {a, b, c})}, Rate(2, absl::Seconds(5)));
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{10'000'000}; });
  Worker worker(Config(s), client);
  REQUIRE(worker.status().ok());
  Drive(worker, client, clock, 4'560'000'000);  // the last is thinking after b
  worker.StopIssuing();
  Drive(worker, client, clock, 4'600'000'000);
  REQUIRE(worker.Finished(clock.NowNs()));
  worker.CloseFinal(clock.NowNs());
  IntervalStats all;
  worker.TakeIntervals(all);
  CHECK(all.Flow(0).started == 10);
  CHECK(all.Flow(0).succeeded == 9);
  CHECK(all.Flow(0).aborted == 1);
  CHECK(all.Flow(0).duration.min_us() == 30'000);
  CHECK(all.Flow(0).duration.max_us() == 30'000);
  CHECK(all.Flow(0).duration_with_think.min_us() == 230'000);
  CHECK(all.Flow(0).duration_with_think.max_us() == 230'000);
}

TEST_CASE("an iteration holds one in-flight slot; arrivals wait for it and the wait counts") {
  FlowStep a = Step("f", "a", "/a");
  FlowStep b = Step("f", "b", "/b");
  Scenario s = Plan({Flow("f", {a, b})}, Rate(4, absl::Seconds(2)));
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t tpl, int64_t) {
    return FakeResponse{tpl == 0 ? 100'000'000 : 250'000'000};
  });
  WorkerConfig config = Config(s);
  config.max_in_flight = 1;
  Worker worker(config, client);
  IntervalStats all = Run(worker, client, clock, 10'000'000'000);
  // One slot: a (0-100 ms) then b (100-350 ms); the arrival due at 250 ms
  // starts at 350 ms, and so on, 100 ms later each time; the two still
  // waiting at the end (due 1.5 s and 1.75 s) are dropped.
  CHECK(all.in_flight_capped);
  REQUIRE(client.sent().size() == 12);
  CHECK(client.sent()[1].at_ns == 100'000'000);
  CHECK(client.sent()[2].at_ns == 350'000'000);
  CHECK(client.sent()[4].at_ns == 700'000'000);
  CHECK(all.Flow(0).succeeded == 6);
  CHECK(all.dropped == 2);
  // The 6th a, due at 1.25 s, answered at 1.85 s.
  CHECK(all.Find(0, Outcome::kOk)->response.max_us() == 600'000);
  CHECK(all.Flow(0).duration.max_us() == 850'000);
}

TEST_CASE("requests and flows are picked by weight") {
  const uint64_t seed = 7;
  INFO("seed " << seed);
  Scenario s = Plan({Flow("f", {Step("f", "a", "/a"), Step("f", "b", "/b")})},
                    Rate(1000, absl::Seconds(4)));
  s.flows[0].weight = 3;
  RequestSpec plain;
  plain.name = "plain";
  plain.method = "GET";
  plain.path = "/p";
  plain.weight = 1;
  plain.timeout = absl::Seconds(5);
  s.requests.push_back(plain);
  FakeClock clock;
  FakeHttpClient client(clock, [](size_t, int64_t) { return FakeResponse{}; });
  WorkerConfig config = Config(s);
  config.seed = seed;
  Worker worker(config, client);
  IntervalStats all = Run(worker, client, clock, 5'000'000'000);
  const uint64_t plain_n = all.Find(0, Outcome::kOk)->response.count();
  const uint64_t flows_n = all.Flow(0).succeeded;
  // The last arrival may be a flow whose second step falls on the end.
  const uint64_t cut = all.Flow(0).aborted;
  CHECK(cut <= 1);
  CHECK(plain_n + flows_n + cut == 4000);
  // 1/4 of 4,000: sd 27; 5 sd.
  CHECK(plain_n >= 1000 - 137);
  CHECK(plain_n <= 1000 + 137);
  CHECK(all.Find(1, Outcome::kOk)->response.count() == flows_n + cut);
  CHECK(all.Find(2, Outcome::kOk)->response.count() == flows_n);
  CHECK(all.started == plain_n + 2 * flows_n + cut);
  const std::vector<HttpRequestTemplate> templates = BuildTemplates(s);
  REQUIRE(templates.size() == 3);
  CHECK(templates[0].name == "plain");
  CHECK(templates[2].name == "f.b");
}

TEST_CASE("templates take the flow's network profile, else the scenario's") {
  Scenario s = Plan({Flow("f", {Step("f", "a", "/a")}), Flow("g", {Step("g", "a", "/a")})},
                    Rate(1, absl::Seconds(1)));
  NetworkProfile slow;
  slow.latency = absl::Milliseconds(50);
  NetworkProfile slower;
  slower.latency = absl::Milliseconds(300);
  s.network = slow;
  s.flows[1].network = slower;
  RequestSpec plain;
  plain.name = "plain";
  plain.method = "GET";
  plain.path = "/p";
  s.requests.push_back(plain);
  const std::vector<HttpRequestTemplate> t = BuildTemplates(s);
  REQUIRE(t.size() == 3);
  CHECK(t[0].network.latency == absl::Milliseconds(50));
  CHECK(t[1].network.latency == absl::Milliseconds(50));
  CHECK(t[2].network.latency == absl::Milliseconds(300));
}

}  // namespace
}  // namespace barrage
