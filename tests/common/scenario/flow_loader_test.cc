// Copyright 2026 The Barrage Authors.
//
// The flows, data and network syntax (README "Flows"): what the loader reads
// and every error it reports, each at its FILE:LINE:COLUMN.

#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "absl/strings/str_cat.h"
#include "common/scenario/validator.h"
#include "common/scenario/yaml_loader.h"

namespace barrage {
namespace {

using Catch::Matchers::ContainsSubstring;

// Lines 1-3 of every file below; the test's text starts on line 4.
constexpr char kHead[] =
    "name: t\n"
    "target: http://127.0.0.1:8080\n"
    "stages: [{duration: 10s, rate: 1/s}]\n";

std::string Errors(const std::string& tail, const ScenarioLimits& limits = {}) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(absl::StrCat(kHead, tail), "f.yaml", limits);
  if (s.ok()) return "(loaded)";
  CHECK(s.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

Scenario Load(const std::string& tail) {
  absl::StatusOr<Scenario> s = LoadScenarioYaml(absl::StrCat(kHead, tail), "f.yaml");
  INFO(s.status().message());
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("the README's flow example loads with every key in place") {
  absl::StatusOr<Scenario> loaded = LoadScenarioFile(
      std::string(BARRAGE_TESTDATA_DIR) + "/scenarios/valid/flows.yaml");
  INFO(loaded.status().message());
  REQUIRE(loaded.ok());
  const Scenario& s = *loaded;

  REQUIRE(s.data.size() == 1);
  const DataSource& users = s.data[0];
  CHECK(users.name == "users");
  CHECK(users.file == "users.csv");
  CHECK(users.mode == DataSource::Mode::kUnique);
  CHECK(users.on_end == DataSource::OnEnd::kStop);
  CHECK(users.format == DataSource::Format::kCsv);
  CHECK(users.columns.empty());  // not read by the loader

  REQUIRE(s.network.has_value());
  CHECK(s.network->latency == absl::Milliseconds(50));
  CHECK(s.network->jitter == absl::Milliseconds(10));
  CHECK(s.network->bandwidth_bps == 2'000'000);

  REQUIRE(s.flows.size() == 1);
  const FlowSpec& shop = s.flows[0];
  CHECK(shop.name == "shop");
  CHECK(shop.weight == 1);
  CHECK(shop.cookies);
  REQUIRE(shop.network.has_value());
  CHECK(shop.network->latency == absl::Milliseconds(100));
  CHECK(shop.network->bandwidth_bps == 0);
  REQUIRE(shop.steps.size() == 2);

  const FlowStep& login = shop.steps[0];
  CHECK(login.step == "login");
  CHECK(login.request.name == "shop.login");
  CHECK(login.request.method == "POST");
  CHECK(login.request.body == R"({"user": "${users.email}"})");
  CHECK(login.request.timeout == absl::Seconds(2));  // from defaults
  CHECK(login.think.kind == ThinkTime::Kind::kNone);
  REQUIRE(login.captures.size() == 1);
  CHECK(login.captures[0].var == "token");
  CHECK(login.captures[0].kind == Capture::Kind::kJson);
  CHECK(login.captures[0].expr == "$.token");

  const FlowStep& cart = shop.steps[1];
  CHECK(cart.request.name == "shop.cart");
  CHECK(cart.request.method == "GET");
  // Defaults' headers first, the step's after, as for requests.
  REQUIRE(cart.request.headers.size() == 2);
  CHECK(cart.request.headers[0].first == "Accept");
  CHECK(cart.request.headers[1] ==
        std::pair<std::string, std::string>("Authorization", "Bearer ${token}"));
  CHECK(cart.think.kind == ThinkTime::Kind::kUniform);
  CHECK(cart.think.a == absl::Seconds(1));
  CHECK(cart.think.b == absl::Seconds(3));
  REQUIRE(cart.checks.size() == 4);
  CHECK(cart.checks[0].name == "status");
  CHECK(cart.checks[0].statuses == std::vector<int>{200});
  CHECK(cart.checks[1].kind == Check::Kind::kJsonExists);
  CHECK(cart.checks[1].name == "json $.items exists");
  CHECK(cart.checks[2].kind == Check::Kind::kBodyContains);
  CHECK(cart.checks[2].value == "ok");
  CHECK(cart.checks[3].kind == Check::Kind::kMaxDuration);
  CHECK(cart.checks[3].max_duration == absl::Milliseconds(500));

  REQUIRE(s.requests.size() == 1);
  CHECK(s.requests[0].path == "/item/${users.id}");
  CHECK(s.TotalWeight() == 2);

  REQUIRE(s.thresholds.size() == 2);
  CHECK(s.thresholds[0].flow == "shop");
  CHECK(s.thresholds[0].request.empty());
  CHECK(s.thresholds[0].Expression() == "p95 < 300ms (flow shop)");
  CHECK(s.thresholds[1].request == "shop.login");
}

TEST_CASE("captures, checks and think times take each of their forms") {
  const Scenario s = Load(
      "flows:\n"
      "  - name: f\n"
      "    steps:\n"
      "      - name: a\n"
      "        path: /a\n"
      "        capture:\n"
      "          id: {header: X-Id}\n"
      "          num: {regex: 'id=(\\d+)'}\n"
      "          code: {status: true}\n"
      "        check:\n"
      "          status: 201\n"
      "          json: {$.id: 7, $.name: ada}\n"
      "          header: {X-Id: exists, X-Kind: user}\n"
      "        think: 2s\n"
      "      - name: b\n"
      "        path: /b/${id}/${num}/${code}\n"
      "        think: exponential(1500ms)\n");
  REQUIRE(s.flows.size() == 1);
  REQUIRE(s.requests.empty());  // a scenario of flows alone
  const FlowStep& a = s.flows[0].steps[0];
  REQUIRE(a.captures.size() == 3);
  CHECK(a.captures[0].kind == Capture::Kind::kHeader);
  CHECK(a.captures[0].expr == "X-Id");
  CHECK(a.captures[1].kind == Capture::Kind::kRegex);
  CHECK(a.captures[1].expr == "id=(\\d+)");
  CHECK(a.captures[2].kind == Capture::Kind::kStatus);
  CHECK(a.captures[2].expr.empty());
  REQUIRE(a.checks.size() == 5);
  CHECK(a.checks[0].statuses == std::vector<int>{201});
  CHECK(a.checks[1].name == "json $.id == 7");
  CHECK(a.checks[1].kind == Check::Kind::kJsonEquals);
  CHECK(a.checks[1].value == "7");
  CHECK(a.checks[2].name == "json $.name == ada");
  CHECK(a.checks[3].name == "header X-Id");
  CHECK(a.checks[3].value.empty());
  CHECK(a.checks[4].name == "header X-Kind");
  CHECK(a.checks[4].value == "user");
  CHECK(a.think.kind == ThinkTime::Kind::kFixed);
  CHECK(a.think.a == absl::Seconds(2));
  const FlowStep& b = s.flows[0].steps[1];
  CHECK(b.think.kind == ThinkTime::Kind::kExponential);
  CHECK(b.think.a == absl::Milliseconds(1500));
}

TEST_CASE("data formats come from the file's extension") {
  const Scenario s = Load(
      "data:\n"
      "  a: {file: a.jsonl}\n"
      "  b: {file: dir/B.NDJSON, mode: random}\n"
      "  c: {file: c.csv}\n"
      "requests: [{name: r, path: '/${a.x}/${b.y}/${c.z}'}]\n");
  REQUIRE(s.data.size() == 3);
  CHECK(s.data[0].format == DataSource::Format::kJsonLines);
  CHECK(s.data[1].format == DataSource::Format::kJsonLines);
  CHECK(s.data[1].mode == DataSource::Mode::kRandom);
  CHECK(s.data[2].format == DataSource::Format::kCsv);
  CHECK(s.data[2].mode == DataSource::Mode::kSequential);
  CHECK(s.data[2].on_end == DataSource::OnEnd::kRecycle);
}

// A flow whose second step's header is `header`, its first step capturing
// token. The header's key is on line 12, column 19.
std::string CartWithHeader(const std::string& header) {
  return absl::StrCat(
      "flows:\n"                                     // 4
      "  - name: shop\n"                             // 5
      "    steps:\n"                                 // 6
      "      - name: login\n"                        // 7
      "        path: /login\n"                       // 8
      "        capture: {token: {json: $.token}}\n"  // 9
      "      - name: cart\n"                         // 10
      "        path: /cart\n"                        // 11
      "        headers: {Authorization: \"", header, "\"}\n");  // 12
}

TEST_CASE("templates are checked where they are written") {
  SECTION("a variable not captured before the step") {
    CHECK_THAT(Errors(CartWithHeader("Bearer ${tokn}")),
               ContainsSubstring("f.yaml:12:19: flows[0].steps[1].headers.Authorization: "
                                 "unknown variable ${tokn} (captured before this step: "
                                 "token)"));
  }
  SECTION("a variable captured by the same step is not yet known") {
    CHECK_THAT(Errors("flows:\n"
                      "  - name: f\n"
                      "    steps:\n"
                      "      - {name: a, path: '/${x}', capture: {x: {status: true}}}\n"),
               ContainsSubstring("f.yaml:7:25: flows[0].steps[0].path: unknown variable "
                                 "${x} (captured before this step: none)"));
  }
  SECTION("a malformed template") {
    CHECK_THAT(Errors(CartWithHeader("Bearer ${token")),
               ContainsSubstring("f.yaml:12:19: flows[0].steps[1].headers.Authorization: "
                                 "malformed template: at byte 7"));
  }
  SECTION("a plain request with a flow variable") {
    CHECK_THAT(Errors("requests:\n"
                      "  - name: r\n"
                      "    path: /\n"
                      "    body: 'id=${id}'\n"),
               ContainsSubstring("f.yaml:7:11: requests[0].body: ${id}: requests cannot use "
                                 "flow variables"));
  }
  SECTION("a column of an undeclared data source") {
    CHECK_THAT(Errors("data: {users: {file: u.csv}}\n"
                      "requests:\n"
                      "  - {name: r, path: '/${user.id}'}\n"),
               ContainsSubstring("f.yaml:6:21: requests[0].path: ${user.id}: 'user' is not "
                                 "a data source (declared: users)"));
  }
  SECTION("a capture named like a data source") {
    CHECK_THAT(Errors("data: {users: {file: u.csv}}\n"
                      "flows:\n"
                      "  - name: f\n"
                      "    steps:\n"
                      "      - {name: a, path: /, capture: {users: {status: true}}}\n"),
               ContainsSubstring("f.yaml:8:38: flows[0].steps[0].capture.users: 'users' is "
                                 "the name of a data source"));
  }
}

TEST_CASE("a data source's known columns are checked") {
  absl::StatusOr<Scenario> parsed = ParseScenarioYaml(
      absl::StrCat(kHead,
                   "data: {users: {file: u.csv}}\n"
                   "requests: [{name: r, path: '/${users.emial}'}]\n"),
      "f.yaml");
  REQUIRE(parsed.ok());
  Scenario s = *parsed;
  CHECK(ValidateScenario(s).ok());  // columns unknown: not checked
  s.data[0].columns = {"id", "email"};
  const absl::Status status = ValidateScenario(s);
  CHECK(status.message() ==
        "requests[0].path: data 'users' has no column 'emial' (columns: id, email)");
  s.requests[0].path = "/${users.email}";
  CHECK(ValidateScenario(s).ok());
}

TEST_CASE("names of flows and steps are unique") {
  SECTION("a flow named like a request") {
    CHECK_THAT(Errors("requests: [{name: shop, path: /}]\n"
                      "flows:\n"
                      "  - name: shop\n"
                      "    steps: [{name: a, path: /}]\n"),
               ContainsSubstring("f.yaml:6:11: flows[0].name: duplicate name 'shop' (first "
                                 "used by requests[0])"));
  }
  SECTION("two steps of one name") {
    CHECK_THAT(Errors("flows:\n"
                      "  - name: f\n"
                      "    steps: [{name: a, path: /}, {name: a, path: /b}]\n"),
               ContainsSubstring("f.yaml:6:40: flows[0].steps[1].name: duplicate step name "
                                 "'a' (first used by steps[0])"));
  }
  SECTION("FLOW.STEP equal to a request's name") {
    CHECK_THAT(Errors("requests: [{name: f.a, path: /}]\n"
                      "flows:\n"
                      "  - name: f\n"
                      "    steps: [{name: a, path: /}]\n"),
               ContainsSubstring("f.yaml:7:20: flows[0].steps[0].name: 'f.a' is also a "
                                 "request's name"));
  }
  SECTION("a step name with a dot") {
    CHECK_THAT(Errors("flows:\n"
                      "  - name: f\n"
                      "    steps: [{name: a.b, path: /}]\n"),
               ContainsSubstring("f.yaml:6:20: flows[0].steps[0].name: 'a.b' must be 1-64 "
                                 "characters of A-Z a-z 0-9 _ -"));
  }
  SECTION("a step without a name") {
    CHECK_THAT(Errors("flows:\n"
                      "  - name: f\n"
                      "    steps: [{path: /}]\n"),
               ContainsSubstring("f.yaml:6:13: flows[0].steps[0].name: is required"));
  }
  SECTION("a flow without steps") {
    CHECK_THAT(Errors("flows:\n"
                      "  - name: f\n"
                      "    steps: []\n"),
               ContainsSubstring("f.yaml:6:12: flows[0].steps: must hold at least one step"));
  }
}

TEST_CASE("captures and checks are checked") {
  auto step = [](const std::string& keys) {
    return absl::StrCat("flows:\n"
                        "  - name: f\n"
                        "    steps:\n"
                        "      - name: a\n"
                        "        path: /\n",  // 8
                        keys);                // 9 on
  };
  SECTION("a regex that does not compile") {
    CHECK_THAT(Errors(step("        capture: {id: {regex: 'id=(\\d+'}}\n")),
               ContainsSubstring("f.yaml:9:31: flows[0].steps[0].capture.id.regex: is not a "
                                 "regular expression (RE2): missing ): id=(\\d+"));
  }
  SECTION("a regex without one capturing group") {
    CHECK_THAT(Errors(step("        capture: {id: {regex: '(a)(b)'}}\n")),
               ContainsSubstring("f.yaml:9:31: flows[0].steps[0].capture.id.regex: must "
                                 "have exactly one capturing group, the value to capture (it "
                                 "has 2)"));
  }
  SECTION("a capture with a bad JSON path") {
    CHECK_THAT(Errors(step("        capture: {id: {json: '$.items[x]'}}\n")),
               ContainsSubstring("f.yaml:9:30: flows[0].steps[0].capture.id.json: is not a "
                                 "JSON path like $.token or $.items[0].id: at byte 8: "
                                 "expected an index (0, 1, ...) or a quoted name"));
  }
  SECTION("a capture of two kinds") {
    CHECK_THAT(Errors(step("        capture: {id: {json: $.id, header: X-Id}}\n")),
               ContainsSubstring("f.yaml:9:23: flows[0].steps[0].capture.id: give exactly "
                                 "one of json, header, regex, status"));
  }
  SECTION("a check with a bad JSON path") {
    CHECK_THAT(Errors(step("        check: {json: {items: exists}}\n")),
               ContainsSubstring("f.yaml:9:24: flows[0].steps[0].check.json.items: 'items' "
                                 "is not a JSON path"));
  }
  SECTION("a check status out of range") {
    CHECK_THAT(Errors(step("        check: {status: [200, 99]}\n")),
               ContainsSubstring("f.yaml:9:31: flows[0].steps[0].check.status[1]: 99 is "
                                 "outside 100..599"));
  }
  SECTION("expect and check.status together") {
    CHECK_THAT(Errors(step("        expect: {status: [200]}\n"
                           "        check: {status: 200}\n")),
               ContainsSubstring("f.yaml:10:25: flows[0].steps[0].check.status: give "
                                 "expect.status or check.status, not both"));
  }
  SECTION("an unknown check") {
    CHECK_THAT(Errors(step("        check: {body_contain: ok}\n")),
               ContainsSubstring("f.yaml:9:17: flows[0].steps[0].check.body_contain: unknown "
                                 "key; did you mean 'body_contains'?"));
  }
  SECTION("a step takes no weight") {
    CHECK_THAT(Errors(step("        weight: 2\n")),
               ContainsSubstring("f.yaml:9:9: flows[0].steps[0].weight: unknown key"));
  }
  SECTION("a think time of a reversed range") {
    CHECK_THAT(Errors(step("        think: uniform(3s, 1s)\n")),
               ContainsSubstring("f.yaml:9:16: flows[0].steps[0].think: uniform's low end "
                                 "(3s) is above its high end (1s)"));
  }
  SECTION("a think time of no known form") {
    CHECK_THAT(Errors(step("        think: normal(1s)\n")),
               ContainsSubstring("f.yaml:9:16: flows[0].steps[0].think: 'normal(1s)' is not "
                                 "a think time"));
  }
}

TEST_CASE("data sources and network profiles are checked") {
  CHECK_THAT(Errors("data: {users: {file: u.txt}}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:22: data.users.file: 'u.txt' has no known data "
                               "extension (.csv, .jsonl or .ndjson)"));
  CHECK_THAT(Errors("data: {users: {file: u.csv, mode: once}}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:35: data.users.mode: 'once' is not one of "
                               "sequential, random, unique"));
  CHECK_THAT(Errors("data: {users: {file: u.csv, on_end: halt}}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:37: data.users.on_end: 'halt' is not one of "
                               "recycle, stop"));
  CHECK_THAT(Errors("data: {1st: {file: u.csv}}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:8: data.1st.name: '1st' must be 1-64 characters"));
  CHECK_THAT(Errors("network: {bandwidth: 2MB/s}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:22: network.bandwidth: '2MB/s' is not a bandwidth"));
  CHECK_THAT(Errors("network: {latency: 5ms, jitter: 10ms}\nrequests: [{name: r, path: /}]\n"),
             ContainsSubstring("f.yaml:4:33: network.jitter: must not exceed the latency "
                               "(5ms)"));
  CHECK_THAT(Errors("flows:\n"
                    "  - name: f\n"
                    "    network: {latency: 1500us}\n"
                    "    steps: [{name: a, path: /}]\n"),
             ContainsSubstring("f.yaml:6:24: flows[0].network.latency: must be a whole "
                               "number of milliseconds"));
}

TEST_CASE("flow thresholds name a flow") {
  const std::string flows =
      "flows:\n"
      "  - name: shop\n"
      "    steps: [{name: login, path: /}]\n"
      "thresholds:\n";  // 7; thresholds from line 8
  CHECK(Errors(flows + "  - {metric: p95, below: 1s, flow: shop}\n"
                       "  - {metric: error_rate, below: 1%, request: shop.login}\n") ==
        "(loaded)");
  CHECK_THAT(Errors(flows + "  - {metric: p95, below: 1s, flow: shp}\n"),
             ContainsSubstring("f.yaml:8:36: thresholds[0].flow: 'shp' is not the name of a "
                               "flow"));
  CHECK_THAT(Errors(flows + "  - {metric: p95, below: 1s, flow: shop, request: shop.login}\n"),
             ContainsSubstring("f.yaml:8:36: thresholds[0].flow: give request or flow, not "
                               "both"));
  CHECK_THAT(Errors(flows + "  - {metric: rps, above: 1/s, flow: shop}\n"),
             ContainsSubstring("f.yaml:8:14: thresholds[0].metric: rps applies to requests, "
                               "not flows"));
  CHECK_THAT(Errors(flows + "  - {metric: p95, below: 1s, request: shop.logout}\n"),
             ContainsSubstring("f.yaml:8:39: thresholds[0].request: 'shop.logout' is not "
                               "the name of a request or flow step (FLOW.STEP)"));
}

TEST_CASE("flow limits are named in their errors") {
  ScenarioLimits limits;
  limits.max_flows = 1;
  limits.max_steps_per_flow = 1;
  limits.max_captures_per_step = 1;
  limits.max_checks_per_step = 1;
  limits.max_data_sources = 1;
  const std::string message = Errors(
      "data: {a: {file: a.csv}, b: {file: b.csv}}\n"  // 4
      "flows:\n"                                      // 5
      "  - name: f\n"
      "    steps:\n"
      "      - name: a\n"                             // 8
      "        path: /\n"
      "        capture: {x: {status: true}, y: {status: true}}\n"  // 10
      "        check: {status: 200, body_contains: ok}\n"          // 11
      "      - {name: b, path: /}\n"
      "  - name: g\n"
      "    steps: [{name: a, path: /}]\n",
      limits);
  CHECK_THAT(message, ContainsSubstring("f.yaml:4:7: data: 2 data sources is over the limit "
                                        "of 1 per scenario"));
  CHECK_THAT(message, ContainsSubstring("f.yaml:6:3: flows: 2 flows is over the limit of 1 "
                                        "per scenario"));
  CHECK_THAT(message, ContainsSubstring("f.yaml:8:7: flows[0].steps: 2 steps is over the "
                                        "limit of 1 per flow"));
  CHECK_THAT(message, ContainsSubstring("f.yaml:10:18: flows[0].steps[0].capture: 2 captures "
                                        "is over the limit of 1 per step"));
  CHECK_THAT(message, ContainsSubstring("f.yaml:11:16: flows[0].steps[0].check: 2 checks is "
                                        "over the limit of 1 per step"));
}

TEST_CASE("the default flow limits are the documented ones") {
  const ScenarioLimits limits;
  CHECK(limits.max_flows == 64);
  CHECK(limits.max_steps_per_flow == 64);
  CHECK(limits.max_captures_per_step == 32);
  CHECK(limits.max_checks_per_step == 32);
  CHECK(limits.max_data_sources == 16);
}

}  // namespace
}  // namespace barrage
