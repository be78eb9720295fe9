// Copyright 2026 The Barrage Authors.

#include "tests/support/report_fixture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "barrage/v1/stats.pb.h"
#include "common/stats/histogram.h"
#include "common/stats/outcome.h"
#include "common/util/json_writer.h"
#include "controller/report/time_series.h"

namespace barrage::testing {
namespace {

double Ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

void LatencyObject(JsonWriter& j, const Histogram& h) {
  j.BeginObject();
  j.Key("min").Double(Ms(h.min_us()), 3);
  j.Key("mean").Double(h.mean_us() / 1000.0, 3);
  j.Key("p50").Double(Ms(h.Quantile(0.5)), 3);
  j.Key("p90").Double(Ms(h.Quantile(0.9)), 3);
  j.Key("p95").Double(Ms(h.Quantile(0.95)), 3);
  j.Key("p99").Double(Ms(h.Quantile(0.99)), 3);
  j.Key("p999").Double(Ms(h.Quantile(0.999)), 3);
  j.Key("max").Double(Ms(h.max_us()), 3);
  j.EndObject();
}

// The sparse histogram of `values` (sorted), built through the wire
// snapshot so no dense histogram is made per interval.
SparseHistogram SparseOf(const std::vector<uint64_t>& sorted, const Histogram& layout) {
  v1::HistogramSnapshot s;
  s.set_significant_digits(3);
  if (sorted.empty()) return *SparseHistogram::FromSnapshot(s);
  uint64_t sum = 0;
  for (uint64_t v : sorted) sum += v;
  s.set_count(sorted.size());
  s.set_sum_us(sum);
  s.set_min_us(sorted.front());
  s.set_max_us(sorted.back());
  size_t next = layout.IndexOf(sorted.front());
  s.set_first_index(static_cast<uint32_t>(next));
  size_t i = 0;
  while (i < sorted.size()) {
    const size_t index = layout.IndexOf(sorted[i]);
    int64_t n = 0;
    while (i < sorted.size() && layout.IndexOf(sorted[i]) == index) ++n, ++i;
    if (index > next) s.add_counts(-static_cast<int64_t>(index - next));
    s.add_counts(n);
    next = index + 1;
  }
  return *SparseHistogram::FromSnapshot(s);
}

struct RequestTotals {
  Histogram ok;
  Histogram errors;
  std::array<uint64_t, kOutcomeCount> outcomes{};
  std::map<uint32_t, uint64_t> statuses;
};

}  // namespace

std::string ReportFixtureJson(const ReportFixtureOptions& o) {
  std::mt19937_64 rng(o.seed);
  const Histogram layout;
  RunSeries series;
  for (int r = 0; r < o.requests; ++r) {
    series.requests.push_back(r == 0 ? o.first_request : absl::StrCat("r", r));
  }
  std::vector<RequestTotals> totals(static_cast<size_t>(o.requests));
  const double stage0 = o.stage_s.empty() ? o.seconds : o.stage_s[0];
  std::vector<uint64_t> values;
  for (int t = 0; t < o.seconds; ++t) {
    const bool burst = t >= o.burst_from_s && t < o.burst_to_s;
    const int ok_per_request = o.samples_per_second * (t < stage0 ? 1 : 2);
    const int errors_per_request =
        burst ? static_cast<int>(std::lround(ok_per_request * o.burst_error_share)) : 0;
    std::lognormal_distribution<double> latency(std::log(burst ? 60000.0 : 20000.0), 0.5);
    SeriesInterval in;
    in.start_s = t;
    in.length_s = 1;
    in.offered_rps = o.requests * ok_per_request;
    in.agents = t >= o.seconds * 3 / 4 ? 1 : 2;
    in.vus = in.agents * 5;  // in-flight users, for the chart
    in.requests.resize(static_cast<size_t>(o.requests));
    for (int r = 0; r < o.requests; ++r) {
      values.clear();
      for (int k = 0; k < ok_per_request - errors_per_request; ++k) {
        const uint64_t v = static_cast<uint64_t>(std::max(100.0, latency(rng)));
        values.push_back(v);
        totals[r].ok.Record(v);
      }
      std::sort(values.begin(), values.end());
      RequestInterval& ri = in.requests[r];
      ri.ok = SparseOf(values, layout);
      ri.outcomes[static_cast<size_t>(Outcome::kOk)] = values.size();
      ri.statuses[200] = values.size();
      if (errors_per_request > 0) {
        ri.outcomes[static_cast<size_t>(Outcome::kHttpError)] = errors_per_request;
        ri.statuses[503] = errors_per_request;
        for (int k = 0; k < errors_per_request; ++k) totals[r].errors.Record(1000);
      }
      for (size_t x = 0; x < kOutcomeCount; ++x) totals[r].outcomes[x] += ri.outcomes[x];
      for (const auto& [status, n] : ri.statuses) totals[r].statuses[status] += n;
    }
    in.achieved_rps = static_cast<double>(in.Requests()) / in.length_s;
    series.intervals.push_back(std::move(in));
  }

  Histogram all_ok, all_errors;
  std::array<uint64_t, kOutcomeCount> outcomes{};
  std::map<uint32_t, uint64_t> statuses;
  uint64_t requests = 0, errors = 0;
  for (const RequestTotals& rt : totals) {
    (void)all_ok.Merge(rt.ok);
    (void)all_errors.Merge(rt.errors);
    for (size_t x = 0; x < kOutcomeCount; ++x) {
      outcomes[x] += rt.outcomes[x];
      requests += rt.outcomes[x];
      if (IsError(static_cast<Outcome>(x))) errors += rt.outcomes[x];
    }
    for (const auto& [status, n] : rt.statuses) statuses[status] += n;
  }
  auto status_object = [](JsonWriter& j, const std::map<uint32_t, uint64_t>& s) {
    j.BeginObject();
    for (const auto& [status, n] : s) j.Key(absl::StrCat(status)).Uint(n);
    j.EndObject();
  };
  auto reasons = [](JsonWriter& j, uint64_t n) {
    j.BeginArray();
    if (n > 0) j.BeginObject().Key("reason").String("HTTP 503").Key("count").Uint(n).EndObject();
    j.EndArray();
  };
  const uint64_t http_errors = outcomes[static_cast<size_t>(Outcome::kHttpError)];

  JsonWriter j;
  j.BeginObject();
  j.Key("version").Int(1);
  j.Key("run").String("run-fixture-1");
  j.Key("scenario").String("fixture <scenario>");
  j.Key("status").String(o.status);
  j.Key("exit_code").Int(o.status == "passed" ? 0 : o.status == "failed" ? 99
                         : o.status == "aborted" ? 4 : 1);
  j.Key("fingerprint").BeginObject();
  j.Key("scenario_sha256").String(std::string(64, 'a'));
  j.Key("load_sha256").String(std::string(64, 'b'));
  j.Key("target").String("http://127.0.0.1:8080");
  j.Key("file").String("fixture.yaml");
  j.EndObject();
  j.Key("started_at").String("2026-01-02T03:04:05Z");
  j.Key("duration_s").Double(o.seconds, 3);
  j.Key("totals").BeginObject();
  j.Key("requests").Uint(requests);
  j.Key("errors").Uint(errors);
  j.Key("error_rate").Double(requests == 0 ? 0 : static_cast<double>(errors) / requests, 6);
  j.Key("rps").Double(static_cast<double>(requests) / o.seconds, 3);
  j.Key("dropped").Uint(0).Key("bytes_received").Uint(requests * 512);
  j.Key("bytes_sent").Uint(requests * 128).Key("late_reports").Uint(0);
  j.Key("rejected_reports").Uint(0);
  j.EndObject();
  j.Key("outcomes").BeginObject();
  for (size_t x = 0; x < kOutcomeCount; ++x) {
    j.Key(OutcomeName(static_cast<Outcome>(x))).Uint(outcomes[x]);
  }
  j.EndObject();
  j.Key("latency_ms");
  LatencyObject(j, all_ok);
  j.Key("error_latency_ms");
  LatencyObject(j, all_errors);
  j.Key("errors_by_reason");
  reasons(j, http_errors);
  j.Key("status_codes");
  status_object(j, statuses);
  j.Key("request_order").BeginArray();
  for (const std::string& name : series.requests) j.String(name);
  j.EndArray();
  j.Key("requests").BeginObject();
  for (size_t r = 0; r < totals.size(); ++r) {
    const RequestTotals& rt = totals[r];
    j.Key(series.requests[r]).BeginObject();
    uint64_t n = 0, e = 0;
    for (size_t x = 0; x < kOutcomeCount; ++x) {
      n += rt.outcomes[x];
      if (IsError(static_cast<Outcome>(x))) e += rt.outcomes[x];
    }
    j.Key("requests").Uint(n).Key("ok").Uint(rt.ok.count()).Key("errors").Uint(e);
    j.Key("latency_ms");
    LatencyObject(j, rt.ok);
    j.Key("error_latency_ms");
    LatencyObject(j, rt.errors);
    j.Key("errors_by_reason");
    reasons(j, rt.outcomes[static_cast<size_t>(Outcome::kHttpError)]);
    j.Key("status_codes");
    status_object(j, rt.statuses);
    j.EndObject();
  }
  j.EndObject();
  j.Key("stages").BeginArray();
  for (size_t i = 0; i < o.stage_s.size(); ++i) {
    j.BeginObject().Key("index").Uint(i).Key("duration_s").Double(o.stage_s[i], 3);
    j.Key("target_rps").Double(o.requests * o.samples_per_second * (i == 0 ? 1 : 2), 3);
    j.Key("reached").Bool(true).Key("ran_s").Double(o.stage_s[i], 3);
    j.Key("achieved_rps").Double(o.requests * o.samples_per_second * (i == 0 ? 1 : 2), 3);
    j.EndObject();
  }
  j.EndArray();
  j.Key("thresholds").BeginArray();
  j.BeginObject().Key("expr").String("p95 < 250ms").Key("passed").Bool(true);
  j.Key("value_ms").Double(Ms(all_ok.Quantile(0.95)), 6).EndObject();
  j.BeginObject().Key("expr").String("error_rate < 1%").Key("passed").Bool(false);
  j.Key("value").Double(requests == 0 ? 0 : static_cast<double>(errors) / requests, 6);
  j.Key("worst").BeginObject().Key("value").Double(o.burst_error_share, 6);
  j.Key("at_s").Double(o.burst_from_s, 3).EndObject();
  j.EndObject();
  j.EndArray();
  j.Key("agents").BeginArray();
  for (int a = 0; a < 2; ++a) {
    j.BeginObject().Key("id").String(a == 0 ? "agent-1" : "agent-2 <b>");
    j.Key("requests").Uint(requests / 2 + (a == 0 ? requests % 2 : 0));
    j.Key("errors").Uint(errors / 2 + (a == 0 ? errors % 2 : 0));
    j.Key("dropped").Uint(0).Key("late").Uint(a).Key("connections_opened").Uint(8 + a);
    j.Key("http_client").String(a == 0 ? "native" : "curl");
    j.Key("version").String("0.9.0");
    j.Key("cpu_seconds").Double(1.25 + a, 3);
    j.Key("schedule_lag_p99_ms").Double(0.5 + a, 3);
    j.Key("saturated_intervals").Uint(a * 3);
    j.EndObject();
  }
  j.EndArray();
  j.Key("events").BeginArray();
  j.BeginObject().Key("at_s").Double(o.burst_from_s + 1, 3).Key("kind").String("threshold_failed");
  j.Key("action").String("error_rate < 1%").EndObject();
  j.BeginObject().Key("at_s").Double(o.seconds * 3 / 4, 3).Key("kind").String("agent_lost");
  j.Key("agent").String("agent-2 <b>").Key("action").String("continue").EndObject();
  j.EndArray();
  if (o.with_series) {
    j.Key("series");
    WriteSeriesJson(series, j);
  }
  j.EndObject();
  return j.text() + "\n";
}

}  // namespace barrage::testing
