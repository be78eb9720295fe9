// Copyright 2026 The Barrage Authors.

#include "tests/support/synthetic_run.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "common/util/json_writer.h"

namespace barrage::testing {
namespace {

// `plus_ms` is added to every value (a flow's think time).
void WriteLatency(const SparseHistogram& h, JsonWriter& j, double plus_ms = 0) {
  auto ms = [plus_ms](uint64_t us) { return static_cast<double>(us) / 1000.0 + plus_ms; };
  j.BeginObject();
  j.Key("min").Double(ms(h.min_us()), 3);
  j.Key("mean").Double(h.mean_us() / 1000.0 + plus_ms, 3);
  j.Key("p50").Double(ms(h.Quantile(0.5)), 3);
  j.Key("p90").Double(ms(h.Quantile(0.9)), 3);
  j.Key("p95").Double(ms(h.Quantile(0.95)), 3);
  j.Key("p99").Double(ms(h.Quantile(0.99)), 3);
  j.Key("max").Double(ms(h.max_us()), 3);
  j.EndObject();
}

// The flows' iterations of every interval of `s`, from their own stream.
void AddSyntheticFlows(const SyntheticRunOptions& o, RunSeries& s) {
  std::mt19937_64 rng(o.seed ^ 0xf1005eedULL);
  std::poisson_distribution<int> arrivals(o.flow_rate_rps);
  std::lognormal_distribution<double> lognormal(std::log(o.flow_median_ms * 1000.0), o.sigma);
  std::bernoulli_distribution failure(o.flow_failure_rate);
  s.flows = o.flows;
  Histogram h(o.digits);
  for (SeriesInterval& in : s.intervals) {
    in.flows.resize(o.flows.size());
    for (FlowInterval& f : in.flows) {
      h.Reset();
      const int n = arrivals(rng);
      for (int k = 0; k < n; ++k) {
        ++f.started;
        if (failure(rng)) {
          ++f.failed;
          continue;
        }
        ++f.succeeded;
        h.Record(static_cast<uint64_t>(std::max(1.0, std::round(lognormal(rng)))));
      }
      f.duration = SparseHistogram::From(h);
    }
  }
}

}  // namespace

RunSeries SyntheticSeries(const SyntheticRunOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::poisson_distribution<int> arrivals(o.rate_rps);
  std::lognormal_distribution<double> lognormal(std::log(o.median_ms * 1000.0), o.sigma);
  std::bernoulli_distribution error(o.error_rate);
  std::vector<uint64_t> pool;
  if (o.shape) pool = Samples(*o.shape, 1 << 16, o.seed ^ 0x5eed);
  std::uniform_int_distribution<size_t> pick_sample(0, pool.empty() ? 0 : pool.size() - 1);
  std::uniform_int_distribution<size_t> pick_request(0, o.requests.size() - 1);
  RunSeries s;
  s.requests = o.requests;
  // Reused: a dense histogram is large, and Reset() clears only what was used.
  std::vector<Histogram> ok(o.requests.size(), Histogram(o.digits));
  for (int t = 0; t < o.duration_s; ++t) {
    SeriesInterval in;
    in.start_s = t;
    in.offered_rps = o.rate_rps;
    in.agents = 1;
    in.warmup = t < o.warmup_s;
    const double shift = o.shift * (in.warmup ? o.warmup_shift : 1.0);
    for (Histogram& h : ok) h.Reset();
    in.requests.resize(o.requests.size());
    const int n = arrivals(rng);
    for (int k = 0; k < n; ++k) {
      RequestInterval& r = in.requests[pick_request(rng)];
      const size_t index = static_cast<size_t>(&r - in.requests.data());
      if (error(rng)) {
        ++r.outcomes[static_cast<size_t>(Outcome::kHttpError)];
        ++r.statuses[503];
        continue;
      }
      const double base = pool.empty() ? lognormal(rng) : static_cast<double>(pool[pick_sample(rng)]);
      ok[index].Record(static_cast<uint64_t>(std::max(1.0, std::round(base * shift))));
      ++r.outcomes[static_cast<size_t>(Outcome::kOk)];
      ++r.statuses[200];
    }
    for (size_t r = 0; r < ok.size(); ++r) in.requests[r].ok = SparseHistogram::From(ok[r]);
    in.achieved_rps = n;
    s.intervals.push_back(std::move(in));
  }
  if (!o.flows.empty()) AddSyntheticFlows(o, s);
  return s;
}

std::string SyntheticRunJson(const SyntheticRunOptions& o) {
  const RunSeries s = SyntheticSeries(o);
  SparseHistogram all(o.digits);
  std::vector<SparseHistogram> per(o.requests.size(), SparseHistogram(o.digits));
  std::vector<uint64_t> requests(o.requests.size()), errors(o.requests.size());
  for (const SeriesInterval& in : s.intervals) {
    for (size_t r = 0; r < in.requests.size(); ++r) {
      per[r].Merge(in.requests[r].ok);
      requests[r] += in.requests[r].requests();
      errors[r] += in.requests[r].errors();
    }
  }
  uint64_t total = 0, total_errors = 0;
  for (size_t r = 0; r < per.size(); ++r) {
    all.Merge(per[r]);
    total += requests[r];
    total_errors += errors[r];
  }
  JsonWriter j;
  j.BeginObject();
  j.Key("version").Int(1);
  j.Key("run").String(o.run_id);
  j.Key("scenario").String("synthetic");
  j.Key("status").String("completed");
  j.Key("exit_code").Int(0);
  j.Key("started_at").String("2026-01-01T00:00:00Z");
  j.Key("duration_s").Double(o.duration_s, 3);
  if (o.fingerprint) {
    j.Key("fingerprint").BeginObject();
    j.Key("scenario_sha256").String(o.scenario_sha256);
    j.Key("load_sha256").String(o.load_sha256);
    j.Key("target").String(o.target);
    j.Key("file").String("synthetic.yaml");
    j.EndObject();
  }
  j.Key("totals").BeginObject();
  j.Key("requests").Uint(total);
  j.Key("errors").Uint(total_errors);
  j.Key("error_rate").Double(total == 0 ? 0 : static_cast<double>(total_errors) / total, 6);
  j.Key("rps").Double(o.duration_s > 0 ? static_cast<double>(total) / o.duration_s : 0, 3);
  j.EndObject();
  j.Key("latency_ms");
  WriteLatency(all, j);
  j.Key("request_order").BeginArray();
  for (const std::string& name : o.requests) j.String(name);
  j.EndArray();
  j.Key("requests").BeginObject();
  for (size_t r = 0; r < o.requests.size(); ++r) {
    j.Key(o.requests[r]).BeginObject();
    j.Key("requests").Uint(requests[r]);
    j.Key("ok").Uint(per[r].count());
    j.Key("errors").Uint(errors[r]);
    j.Key("latency_ms");
    WriteLatency(per[r], j);
    j.EndObject();
  }
  j.EndObject();
  if (!o.flows.empty()) {
    j.Key("flows").BeginArray();
    for (size_t f = 0; f < o.flows.size(); ++f) {
      FlowInterval sum;
      for (const SeriesInterval& in : s.intervals) sum.Add(in.flows[f]);
      j.BeginObject();
      j.Key("name").String(o.flows[f]);
      j.Key("started").Uint(sum.started);
      j.Key("succeeded").Uint(sum.succeeded);
      j.Key("failed").Uint(sum.failed);
      j.Key("aborted").Uint(sum.aborted);
      const uint64_t ended = sum.succeeded + sum.failed;
      j.Key("success_rate");
      if (ended == 0) {
        j.Null();
      } else {
        j.Double(static_cast<double>(sum.succeeded) / static_cast<double>(ended), 6);
      }
      j.Key("duration_ms");
      WriteLatency(sum.duration, j);
      j.Key("duration_with_think_ms");
      WriteLatency(sum.duration, j, sum.duration.empty() ? 0 : 500);
      j.Key("failures").BeginArray();
      if (sum.failed > 0) {
        j.BeginObject();
        j.Key("step").String(o.flows[f] + ".pay");
        j.Key("count").Uint(sum.failed);
        j.EndObject();
      }
      j.EndArray();
      j.Key("steps").BeginArray();
      j.String(o.flows[f] + ".login");
      j.String(o.flows[f] + ".pay");
      j.EndArray();
      j.EndObject();
    }
    j.EndArray();
  }
  j.Key("stages").BeginArray().BeginObject();
  j.Key("index").Uint(0);
  j.Key("duration_s").Double(o.duration_s, 3);
  j.Key("target_rps").Double(o.rate_rps, 3);
  j.Key("reached").Bool(true);
  j.Key("ran_s").Double(o.duration_s, 3);
  j.Key("achieved_rps").Double(o.duration_s > 0 ? static_cast<double>(total) / o.duration_s : 0, 3);
  j.EndObject().EndArray();
  j.Key("series");
  WriteSeriesJson(s, j);
  j.EndObject();
  return j.text();
}

}  // namespace barrage::testing
