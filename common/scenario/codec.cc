// Copyright 2026 The Barrage Authors.

#include "common/scenario/codec.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/scenario/fields.h"

namespace barrage {
namespace {

void SetRate(Rational r, v1::RationalRate* out) {
  out->set_num(r.num());
  out->set_den(r.den());
}

Stage::Kind KindFromProto(v1::StagePlan::Kind k) {
  switch (k) {
    case v1::StagePlan::KIND_RATE_RAMP: return Stage::Kind::kRateRamp;
    case v1::StagePlan::KIND_VUS: return Stage::Kind::kVus;
    case v1::StagePlan::KIND_VUS_RAMP: return Stage::Kind::kVusRamp;
    default: return Stage::Kind::kRate;
  }
}

v1::StagePlan::Kind KindToProto(Stage::Kind k) {
  switch (k) {
    case Stage::Kind::kRate: return v1::StagePlan::KIND_RATE;
    case Stage::Kind::kRateRamp: return v1::StagePlan::KIND_RATE_RAMP;
    case Stage::Kind::kVus: return v1::StagePlan::KIND_VUS;
    case Stage::Kind::kVusRamp: return v1::StagePlan::KIND_VUS_RAMP;
  }
  return v1::StagePlan::KIND_RATE;
}

}  // namespace

v1::ScenarioSpec ScenarioToProto(const Scenario& s) {
  v1::ScenarioSpec p;
  p.set_name(s.name);
  p.set_description(s.description);
  p.set_target(s.target.url);
  p.set_agents_min(s.agents.min);
  p.set_agents_wait_ms(absl::ToInt64Milliseconds(s.agents.wait));
  p.set_on_loss(OnLossName(s.agents.on_loss));
  p.set_on_join(OnJoinName(s.agents.on_join));
  p.set_http_version(s.http == HttpVersion::kHttp2 ? "2" : "1.1");
  if (s.h2_connections.has_value()) p.set_http_connections(*s.h2_connections);
  if (s.h2_max_streams.has_value()) p.set_http_max_streams(*s.h2_max_streams);
  p.set_tls_skip_verify(!s.tls.verify);
  p.set_tls_ca_pem(s.tls.ca_pem);
  p.set_tls_cert_pem(s.tls.cert_pem);
  p.set_tls_key_pem(s.tls.key_pem);
  for (const auto& [name, value] : s.agents.select_labels) {
    (*p.mutable_agent_labels())[name] = value;
  }
  for (const RequestSpec& r : s.requests) {
    v1::RequestTemplate* t = p.add_requests();
    t->set_name(r.name);
    t->set_method(r.method);
    t->set_path(r.path);
    t->set_weight(r.weight);
    for (const auto& [name, value] : r.headers) {
      v1::Header* h = t->add_headers();
      h->set_name(name);
      h->set_value(value);
    }
    t->set_body(r.body);
    t->set_timeout_ms(absl::ToInt64Milliseconds(r.timeout));
    for (int code : r.expect_status) t->add_expect_status(code);
  }
  for (const Stage& st : s.stages) {
    v1::StagePlan* sp = p.add_stages();
    sp->set_kind(KindToProto(st.kind));
    sp->set_duration_ms(absl::ToInt64Milliseconds(st.duration));
    SetRate(st.rate_from, sp->mutable_rate_from());
    SetRate(st.rate_to, sp->mutable_rate_to());
    sp->set_vus_from(st.vus_from);
    sp->set_vus_to(st.vus_to);
    sp->set_think_ms(absl::ToInt64Milliseconds(st.think));
  }
  for (const Threshold& t : s.thresholds) {
    v1::ThresholdSpec* tp = p.add_thresholds();
    tp->set_metric(ThresholdMetricName(t.metric));
    tp->set_limit(t.limit);
    tp->set_above(t.above);
    tp->set_request(t.request);
    tp->set_window_ms(t.whole_run ? 0 : absl::ToInt64Milliseconds(t.window));
    tp->set_abort(t.abort);
    if (t.min_requests.has_value()) tp->set_min_requests(*t.min_requests);
    if (t.delay.has_value()) tp->set_delay_ms(absl::ToInt64Milliseconds(*t.delay));
  }
  // scenario `data:` (temporary, from the data branch).
  for (const DataSource& d : s.data) {
    v1::DataSourceSpec* dp = p.add_data();
    dp->set_name(d.name);
    dp->set_file(d.file);
    dp->set_mode(d.mode == DataSource::Mode::kUnique   ? "unique"
                 : d.mode == DataSource::Mode::kRandom ? "random"
                                                       : "sequential");
    dp->set_on_end(d.on_end == DataSource::OnEnd::kStop ? "stop" : "recycle");
    dp->set_format(d.format == DataSource::Format::kJsonLines ? "jsonl" : "csv");
    for (const std::string& c : d.columns) dp->add_columns(c);
    dp->set_rows(d.rows);
    dp->set_bytes(d.bytes);
    dp->set_sha256(d.sha256);
  }
  return p;
}

absl::StatusOr<Scenario> ScenarioFromProto(const v1::ScenarioSpec& p,
                                           const ScenarioLimits& limits) {
  // Decoding reads types only (names of enumerations, the target URL); every
  // rule is the validator's, as for a file. Paths are the file's, so both
  // refuse with the same words.
  std::vector<ScenarioProblem> problems;
  std::vector<std::string> unread;  // fields not decoded, so not judged
  auto bad = [&](const std::string& path, absl::string_view message) {
    problems.push_back({path, std::string(message)});
    unread.push_back(path);
  };
  Scenario s;
  s.name = p.name();
  s.description = p.description();
  if (absl::StatusOr<Target> t = ParseTargetField(p.target()); t.ok()) {
    s.target = *t;
  } else {
    bad("target", t.status().message());
  }
  s.agents.min = p.agents_min();
  s.agents.wait = absl::Milliseconds(p.agents_wait_ms());
  if (absl::StatusOr<OnLoss> o = ParseOnLossField(p.on_loss()); o.ok()) {
    s.agents.on_loss = *o;
  } else {
    bad("agents.on_loss", o.status().message());
  }
  // Empty from a controller or CLI older than the field: the default.
  if (!p.on_join().empty()) {
    if (absl::StatusOr<OnJoin> j = ParseOnJoinField(p.on_join()); j.ok()) {
      s.agents.on_join = *j;
    } else {
      bad("agents.on_join", j.status().message());
    }
  }
  if (!p.http_version().empty()) {
    absl::StatusOr<HttpVersion> v = ParseHttpVersionField(p.http_version());
    if (v.ok()) {
      s.http = *v;
    } else {
      bad("defaults.http", v.status().message());
    }
  }
  if (p.has_http_connections()) s.h2_connections = p.http_connections();
  if (p.has_http_max_streams()) s.h2_max_streams = p.http_max_streams();
  s.tls.verify = !p.tls_skip_verify();
  s.tls.ca_pem = p.tls_ca_pem();
  s.tls.cert_pem = p.tls_cert_pem();
  s.tls.key_pem = p.tls_key_pem();
  s.agents.select_labels.insert(p.agent_labels().begin(), p.agent_labels().end());
  s.requests.reserve(p.requests_size());
  for (const v1::RequestTemplate& t : p.requests()) {
    RequestSpec r;
    r.name = t.name();
    r.method = t.method();
    r.path = t.path();
    r.weight = t.weight();
    for (const v1::Header& h : t.headers()) {
      r.headers.emplace_back(h.name(), h.value());
    }
    r.body = t.body();
    r.timeout = absl::Milliseconds(t.timeout_ms());
    r.expect_status.assign(t.expect_status().begin(), t.expect_status().end());
    s.requests.push_back(std::move(r));
  }
  for (const v1::StagePlan& sp : p.stages()) {
    Stage st;
    st.kind = KindFromProto(sp.kind());
    st.duration = absl::Milliseconds(sp.duration_ms());
    // An unset rate (0/0) of a VU stage is zero; of a rate stage, refused.
    st.rate_from = Rational(sp.rate_from().num(), sp.rate_from().den());
    st.rate_to = Rational(sp.rate_to().num(), sp.rate_to().den());
    st.vus_from = sp.vus_from();
    st.vus_to = sp.vus_to();
    st.think = absl::Milliseconds(sp.think_ms());
    s.stages.push_back(st);
  }
  for (int i = 0; i < p.thresholds_size(); ++i) {
    const v1::ThresholdSpec& tp = p.thresholds(i);
    Threshold t;
    if (absl::StatusOr<ThresholdMetric> m = ParseThresholdMetricField(tp.metric());
        m.ok()) {
      t.metric = *m;
    } else {
      const std::string path = absl::StrCat("thresholds[", i, "]");
      bad(path + ".metric", m.status().message());
      // The limit's unit depends on the metric.
      unread.push_back(path + ".below");
      unread.push_back(path + ".above");
    }
    t.limit = tp.limit();
    t.above = tp.above();
    t.request = tp.request();
    t.whole_run = tp.window_ms() == 0;
    t.window = absl::Milliseconds(tp.window_ms());
    t.abort = tp.abort();
    if (tp.has_min_requests()) t.min_requests = tp.min_requests();
    if (tp.has_delay_ms()) t.delay = absl::Milliseconds(tp.delay_ms());
    s.thresholds.push_back(t);
  }
  // scenario `data:` (temporary, from the data branch).
  for (const v1::DataSourceSpec& dp : p.data()) {
    DataSource d;
    d.name = dp.name();
    d.file = dp.file();
    d.mode = dp.mode() == "unique"   ? DataSource::Mode::kUnique
             : dp.mode() == "random" ? DataSource::Mode::kRandom
                                     : DataSource::Mode::kSequential;
    d.on_end = dp.on_end() == "stop" ? DataSource::OnEnd::kStop : DataSource::OnEnd::kRecycle;
    d.format = dp.format() == "jsonl" ? DataSource::Format::kJsonLines : DataSource::Format::kCsv;
    d.columns.assign(dp.columns().begin(), dp.columns().end());
    d.rows = dp.rows();
    d.bytes = dp.bytes();
    d.sha256 = dp.sha256();
    s.data.push_back(std::move(d));
  }
  for (ScenarioProblem& found : FindScenarioProblems(s, limits)) {
    const bool skip = std::any_of(
        unread.begin(), unread.end(),
        [&found](const std::string& u) { return PathIsWithin(found.path, u); });
    if (!skip) problems.push_back(std::move(found));
  }
  if (absl::Status status = ScenarioProblemsStatus(problems); !status.ok()) {
    return status;
  }
  return s;
}

}  // namespace barrage
