// Copyright 2026 The Barrage Authors.

#include "agent/engine/request_picker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/util/int128.h"

namespace barrage {

bool HttpRequestTemplate::Succeeded(int status) const {
  if (expect_status.empty()) return status >= 200 && status < 400;
  return std::find(expect_status.begin(), expect_status.end(), status) !=
         expect_status.end();
}

std::vector<HttpRequestTemplate> BuildTemplates(const Scenario& scenario) {
  std::vector<HttpRequestTemplate> out;
  const Target& t = scenario.target;
  const bool default_port = (t.scheme == "http" && t.port == 80) ||
                            (t.scheme == "https" && t.port == 443);
  const std::string host =
      t.host.find(':') != std::string::npos ? absl::StrCat("[", t.host, "]")
                                            : t.host;
  const std::string base =
      default_port ? absl::StrCat(t.scheme, "://", host, t.base_path)
                   : absl::StrCat(t.scheme, "://", host, ":", t.port,
                                  t.base_path);
  const NetworkProfile none;
  auto add = [&](const RequestSpec& r, const NetworkProfile& network, bool keep) {
    HttpRequestTemplate tpl;
    tpl.name = r.name;
    tpl.method = r.method;
    tpl.url = absl::StrCat(base, r.path);
    tpl.headers = r.headers;
    tpl.body = r.body;
    tpl.timeout = r.timeout;
    tpl.expect_status = r.expect_status;
    tpl.keep_response = keep;
    tpl.network = network;
    out.push_back(std::move(tpl));
  };
  const NetworkProfile& scenario_network = scenario.network ? *scenario.network : none;
  for (const RequestSpec& r : scenario.requests) add(r, scenario_network, false);
  for (const FlowSpec& flow : scenario.flows) {
    const NetworkProfile& network = flow.network ? *flow.network : scenario_network;
    for (const FlowStep& step : flow.steps) {
      const bool checks_beyond_status =
          std::any_of(step.checks.begin(), step.checks.end(),
                      [](const Check& c) { return c.kind != Check::Kind::kStatus; });
      add(step.request, network,
          !step.captures.empty() || checks_beyond_status || flow.cookies);
    }
  }
  return out;
}

RequestPicker::RequestPicker(const std::vector<int64_t>& weights, uint64_t seed)
    : rng_(seed) {
  uint64_t total = 0;
  for (int64_t w : weights) {
    total += static_cast<uint64_t>(std::max<int64_t>(w, 0));
    cumulative_.push_back(total);
  }
}

size_t RequestPicker::Pick() {
  if (cumulative_.size() <= 1) return 0;
  const uint64_t total = cumulative_.back();
  // Multiply-shift maps 64 random bits onto [0, total) without division.
  const uint64_t x = static_cast<uint64_t>(
      (static_cast<uint128>(rng_.Next()) * total) >> 64);
  return static_cast<size_t>(
      std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
      cumulative_.begin());
}

}  // namespace barrage
