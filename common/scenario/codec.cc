// Copyright 2026 The Barrage Authors.

#include "common/scenario/codec.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/scenario/fields.h"
#include "common/scenario/traffic_fields.h"
#include "common/scenario/monitor_fields.h"

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

void RequestToProto(const RequestSpec& r, v1::RequestTemplate* t) {
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

RequestSpec RequestFromProto(const v1::RequestTemplate& t) {
  RequestSpec r;
  r.name = t.name();
  r.method = t.method();
  r.path = t.path();
  r.weight = t.weight();
  for (const v1::Header& h : t.headers()) r.headers.emplace_back(h.name(), h.value());
  r.body = t.body();
  r.timeout = absl::Milliseconds(t.timeout_ms());
  r.expect_status.assign(t.expect_status().begin(), t.expect_status().end());
  return r;
}

void NetworkToProto(const NetworkProfile& n, v1::NetworkProfileSpec* p) {
  p->set_latency_ms(absl::ToInt64Milliseconds(n.latency));
  p->set_jitter_ms(absl::ToInt64Milliseconds(n.jitter));
  p->set_bandwidth_bps(n.bandwidth_bps);
}

NetworkProfile NetworkFromProto(const v1::NetworkProfileSpec& p) {
  NetworkProfile n;
  n.latency = absl::Milliseconds(p.latency_ms());
  n.jitter = absl::Milliseconds(p.jitter_ms());
  n.bandwidth_bps = p.bandwidth_bps();
  return n;
}

const char* ThinkKindName(ThinkTime::Kind k) {
  switch (k) {
    case ThinkTime::Kind::kNone: return "";
    case ThinkTime::Kind::kFixed: return "fixed";
    case ThinkTime::Kind::kUniform: return "uniform";
    case ThinkTime::Kind::kExponential: return "exponential";
  }
  return "";
}

void FlowToProto(const FlowSpec& f, v1::FlowSpec* p) {
  p->set_name(f.name);
  p->set_weight(f.weight);
  p->set_cookies(f.cookies);
  if (f.network.has_value()) NetworkToProto(*f.network, p->mutable_network());
  for (const FlowStep& st : f.steps) {
    v1::FlowStepSpec* sp = p->add_steps();
    RequestToProto(st.request, sp->mutable_request());
    sp->set_step(st.step);
    sp->mutable_think()->set_kind(ThinkKindName(st.think.kind));
    sp->mutable_think()->set_a_ms(absl::ToInt64Milliseconds(st.think.a));
    sp->mutable_think()->set_b_ms(absl::ToInt64Milliseconds(st.think.b));
    for (const Capture& c : st.captures) {
      v1::CaptureSpec* cp = sp->add_captures();
      cp->set_var(c.var);
      cp->set_kind(CaptureKindName(c.kind));
      cp->set_expr(c.expr);
    }
    for (const Check& c : st.checks) {
      v1::CheckSpec* cp = sp->add_checks();
      cp->set_kind(CheckKindName(c.kind));
      cp->set_path(c.path);
      cp->set_value(c.value);
      for (int code : c.statuses) cp->add_statuses(code);
      cp->set_max_duration_ms(absl::ToInt64Milliseconds(c.max_duration));
    }
  }
}

void DataToProto(const DataSource& d, v1::DataSourceSpec* p) {
  p->set_name(d.name);
  p->set_file(d.file);
  p->set_mode(DataModeName(d.mode));
  p->set_on_end(DataOnEndName(d.on_end));
  p->set_format(DataFormatName(d.format));
  for (const std::string& c : d.columns) p->add_columns(c);
  p->set_rows(d.rows);
  p->set_bytes(d.bytes);
  p->set_sha256(d.sha256);
}

using BadField = std::function<void(const std::string&, absl::string_view)>;

FlowSpec FlowFromProto(const v1::FlowSpec& p, const std::string& path,
                       const BadField& bad) {
  FlowSpec f;
  f.name = p.name();
  f.weight = p.weight();
  f.cookies = p.cookies();
  if (p.has_network()) f.network = NetworkFromProto(p.network());
  for (int j = 0; j < p.steps_size(); ++j) {
    const v1::FlowStepSpec& sp = p.steps(j);
    const std::string step_path = absl::StrCat(path, ".steps[", j, "]");
    FlowStep st;
    st.request = RequestFromProto(sp.request());
    st.step = sp.step();
    const std::string& think = sp.think().kind();
    bool think_known = false;
    for (ThinkTime::Kind k : {ThinkTime::Kind::kNone, ThinkTime::Kind::kFixed,
                              ThinkTime::Kind::kUniform, ThinkTime::Kind::kExponential}) {
      if (think == ThinkKindName(k)) {
        st.think.kind = k;
        think_known = true;
      }
    }
    if (!think_known) {
      bad(step_path + ".think",
          absl::StrCat("'", think, "' is not one of fixed, uniform, exponential"));
    }
    st.think.a = absl::Milliseconds(sp.think().a_ms());
    st.think.b = absl::Milliseconds(sp.think().b_ms());
    for (const v1::CaptureSpec& cp : sp.captures()) {
      Capture c;
      c.var = cp.var();
      c.expr = cp.expr();
      if (absl::StatusOr<Capture::Kind> k = ParseCaptureKindField(cp.kind()); k.ok()) {
        c.kind = *k;
      } else {
        bad(absl::StrCat(step_path, ".capture.", c.var), k.status().message());
      }
      st.captures.push_back(std::move(c));
    }
    for (const v1::CheckSpec& cp : sp.checks()) {
      Check c;
      c.path = cp.path();
      c.value = cp.value();
      c.statuses.assign(cp.statuses().begin(), cp.statuses().end());
      c.max_duration = absl::Milliseconds(cp.max_duration_ms());
      if (absl::StatusOr<Check::Kind> k = ParseCheckKindField(cp.kind()); k.ok()) {
        c.kind = *k;
        c.name = CheckDisplayName(c);
      } else {
        bad(step_path + ".check", k.status().message());
        continue;
      }
      st.checks.push_back(std::move(c));
    }
    f.steps.push_back(std::move(st));
  }
  return f;
}

DataSource DataFromProto(const v1::DataSourceSpec& p, const BadField& bad) {
  DataSource d;
  d.name = p.name();
  d.file = p.file();
  const std::string path = absl::StrCat("data.", d.name);
  if (absl::StatusOr<DataSource::Mode> m = ParseDataModeField(p.mode()); m.ok()) {
    d.mode = *m;
  } else {
    bad(path + ".mode", m.status().message());
  }
  if (absl::StatusOr<DataSource::OnEnd> e = ParseDataOnEndField(p.on_end()); e.ok()) {
    d.on_end = *e;
  } else {
    bad(path + ".on_end", e.status().message());
  }
  if (absl::StatusOr<DataSource::Format> f = ParseDataFormatField(p.format()); f.ok()) {
    d.format = *f;
  } else {
    bad(path + ".file", f.status().message());
  }
  d.columns.assign(p.columns().begin(), p.columns().end());
  d.rows = p.rows();
  d.bytes = p.bytes();
  d.sha256 = p.sha256();
  return d;
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
  for (const RequestSpec& r : s.requests) RequestToProto(r, p.add_requests());
  for (const FlowSpec& f : s.flows) FlowToProto(f, p.add_flows());
  for (const DataSource& d : s.data) DataToProto(d, p.add_data());
  if (s.network.has_value()) NetworkToProto(*s.network, p.mutable_network());
  for (const Stage& st : s.stages) {
    v1::StagePlan* sp = p.add_stages();
    sp->set_kind(KindToProto(st.kind));
    sp->set_duration_ms(absl::ToInt64Milliseconds(st.duration));
    SetRate(st.rate_from, sp->mutable_rate_from());
    SetRate(st.rate_to, sp->mutable_rate_to());
    sp->set_vus_from(st.vus_from);
    sp->set_vus_to(st.vus_to);
    sp->set_think_ms(absl::ToInt64Milliseconds(st.think));
    sp->set_warmup(st.warmup);
  }
  for (const Threshold& t : s.thresholds) {
    v1::ThresholdSpec* tp = p.add_thresholds();
    tp->set_metric(ThresholdMetricName(t.metric));
    tp->set_limit(t.limit);
    tp->set_above(t.above);
    tp->set_request(t.request);
    tp->set_flow(t.flow);
    tp->set_window_ms(t.whole_run ? 0 : absl::ToInt64Milliseconds(t.window));
    tp->set_abort(t.abort);
    if (t.min_requests.has_value()) tp->set_min_requests(*t.min_requests);
    if (t.delay.has_value()) tp->set_delay_ms(absl::ToInt64Milliseconds(*t.delay));
    tp->set_monitor(t.monitor);
  }
  if (s.monitor.has_value()) MonitorToProto(*s.monitor, *p.mutable_monitor());
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
    s.requests.push_back(RequestFromProto(t));
  }
  for (int i = 0; i < p.flows_size(); ++i) {
    s.flows.push_back(FlowFromProto(p.flows(i), absl::StrCat("flows[", i, "]"), bad));
  }
  for (const v1::DataSourceSpec& d : p.data()) s.data.push_back(DataFromProto(d, bad));
  if (p.has_network()) s.network = NetworkFromProto(p.network());
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
    st.warmup = sp.warmup();
    s.stages.push_back(st);
  }
  for (int i = 0; i < p.thresholds_size(); ++i) {
    const v1::ThresholdSpec& tp = p.thresholds(i);
    Threshold t;
    if (tp.metric() == ThresholdMetricName(ThresholdMetric::kMonitor)) {
      t.metric = ThresholdMetric::kMonitor;
      t.monitor = tp.monitor();
    } else if (absl::StatusOr<ThresholdMetric> m =
                   ParseThresholdMetricField(tp.metric());
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
    t.flow = tp.flow();
    t.whole_run = tp.window_ms() == 0;
    t.window = absl::Milliseconds(tp.window_ms());
    t.abort = tp.abort();
    if (tp.has_min_requests()) t.min_requests = tp.min_requests();
    if (tp.has_delay_ms()) t.delay = absl::Milliseconds(tp.delay_ms());
    s.thresholds.push_back(t);
  }
  if (p.has_monitor()) s.monitor = MonitorFromProto(p.monitor());
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
