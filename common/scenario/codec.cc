// Copyright 2026 The Barrage Authors.

#include "common/scenario/codec.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/scenario/fields.h"

namespace barrage {
namespace {

void SetRate(Rational r, v1::RationalRate* out) {
  out->set_num(r.num());
  out->set_den(r.den());
}

absl::Status Bad(const std::string& field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("scenario.", field, ": ", what));
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
  p.set_http_version(s.http == HttpVersion::kHttp2 ? "2" : "1.1");
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
  }
  return p;
}

absl::StatusOr<Scenario> ScenarioFromProto(const v1::ScenarioSpec& p) {
  Scenario s;
  if (p.name().empty() || p.name().size() > 128) return Bad("name", "must be 1-128 characters");
  s.name = p.name();
  s.description = p.description();
  absl::StatusOr<Target> target = ParseTargetField(p.target());
  if (!target.ok()) return Bad("target", std::string(target.status().message()));
  s.target = *target;
  if (p.agents_min() < 1 || p.agents_min() > 10'000) return Bad("agents_min", "out of range");
  s.agents.min = p.agents_min();
  if (p.agents_wait_ms() < 0) return Bad("agents_wait_ms", "negative");
  s.agents.wait = absl::Milliseconds(p.agents_wait_ms());
  if (p.on_loss() == "redistribute") {
    s.agents.on_loss = OnLoss::kRedistribute;
  } else if (p.on_loss() == "continue") {
    s.agents.on_loss = OnLoss::kContinue;
  } else if (p.on_loss() == "abort") {
    s.agents.on_loss = OnLoss::kAbort;
  } else {
    return Bad("on_loss", "unknown policy");
  }
  if (p.http_version() == "2") {
    s.http = HttpVersion::kHttp2;
  } else if (p.http_version() == "1.1" || p.http_version().empty()) {
    s.http = HttpVersion::kHttp11;
  } else {
    return Bad("http_version", "must be 1.1 or 2");
  }
  if (p.requests_size() == 0 || p.requests_size() > 10'000) {
    return Bad("requests", "must hold 1 to 10000 requests");
  }
  std::set<std::string> names;
  static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "PUT",
                                                 "PATCH", "DELETE", "OPTIONS"};
  for (int i = 0; i < p.requests_size(); ++i) {
    const v1::RequestTemplate& t = p.requests(i);
    const std::string f = absl::StrCat("requests[", i, "]");
    if (!IsValidRequestName(t.name()) || !names.insert(t.name()).second) {
      return Bad(f + ".name", "invalid or repeated");
    }
    if (!kMethods.count(t.method())) return Bad(f + ".method", "unknown method");
    if (t.path().empty() || t.path()[0] != '/' ||
        t.path().find_first_of(" \t\r\n") != std::string::npos) {
      return Bad(f + ".path", "must start with / and hold no whitespace");
    }
    if (t.weight() < 1 || t.weight() > 1'000'000) return Bad(f + ".weight", "out of range");
    if (t.timeout_ms() <= 0) return Bad(f + ".timeout_ms", "must be positive");
    RequestSpec r;
    r.name = t.name();
    r.method = t.method();
    r.path = t.path();
    r.weight = t.weight();
    for (const v1::Header& h : t.headers()) {
      if (!IsValidHeaderName(h.name()) ||
          h.value().find_first_of("\r\n") != std::string::npos) {
        return Bad(f + ".headers", "invalid header");
      }
      r.headers.emplace_back(h.name(), h.value());
    }
    r.body = t.body();
    r.timeout = absl::Milliseconds(t.timeout_ms());
    for (int code : t.expect_status()) {
      if (code < 100 || code > 599) return Bad(f + ".expect_status", "out of range");
      r.expect_status.push_back(code);
    }
    s.requests.push_back(std::move(r));
  }
  if (p.stages_size() == 0 || p.stages_size() > 10'000) {
    return Bad("stages", "must hold 1 to 10000 stages");
  }
  for (int i = 0; i < p.stages_size(); ++i) {
    const v1::StagePlan& sp = p.stages(i);
    const std::string f = absl::StrCat("stages[", i, "]");
    Stage st;
    st.kind = KindFromProto(sp.kind());
    if (sp.duration_ms() <= 0 || sp.duration_ms() > int64_t{31} * 24 * 3600 * 1000) {
      return Bad(f + ".duration_ms", "out of range");
    }
    st.duration = absl::Milliseconds(sp.duration_ms());
    if (st.is_open()) {
      for (const v1::RationalRate* r : {&sp.rate_from(), &sp.rate_to()}) {
        if (r->den() <= 0 || r->den() > 3'600'000 || r->num() < 0 ||
            r->num() > int64_t{10'000'000} * r->den()) {
          return Bad(f + ".rate", "out of range");
        }
      }
      st.rate_from = Rational(sp.rate_from().num(), sp.rate_from().den());
      st.rate_to = Rational(sp.rate_to().num(), sp.rate_to().den());
      if (st.WholeExpectedArrivals() < 1) return Bad(f + ".rate", "schedules nothing");
    } else {
      if (sp.vus_from() < 0 || sp.vus_to() < 0 || sp.vus_from() > 1'000'000 ||
          sp.vus_to() > 1'000'000 || (sp.vus_from() == 0 && sp.vus_to() == 0)) {
        return Bad(f + ".vus", "out of range");
      }
      st.vus_from = sp.vus_from();
      st.vus_to = sp.vus_to();
      if (sp.think_ms() < 0) return Bad(f + ".think_ms", "negative");
      st.think = absl::Milliseconds(sp.think_ms());
    }
    s.stages.push_back(st);
  }
  for (int i = 0; i < p.thresholds_size(); ++i) {
    const v1::ThresholdSpec& tp = p.thresholds(i);
    const std::string f = absl::StrCat("thresholds[", i, "]");
    Threshold t;
    bool known = false;
    for (ThresholdMetric m : {ThresholdMetric::kP50, ThresholdMetric::kP90,
                              ThresholdMetric::kP95, ThresholdMetric::kP99,
                              ThresholdMetric::kP999, ThresholdMetric::kMax,
                              ThresholdMetric::kMean, ThresholdMetric::kErrorRate,
                              ThresholdMetric::kRps}) {
      if (tp.metric() == ThresholdMetricName(m)) {
        t.metric = m;
        known = true;
      }
    }
    if (!known) return Bad(f + ".metric", "unknown metric");
    if (!(tp.limit() >= 0) || tp.limit() > 1e15) return Bad(f + ".limit", "out of range");
    t.limit = tp.limit();
    t.above = tp.above();
    if (!tp.request().empty() && !names.count(tp.request())) {
      return Bad(f + ".request", "names no request");
    }
    t.request = tp.request();
    if (tp.window_ms() < 0) return Bad(f + ".window_ms", "negative");
    t.whole_run = tp.window_ms() == 0;
    t.window = absl::Milliseconds(tp.window_ms());
    t.abort = tp.abort();
    s.thresholds.push_back(t);
  }
  return s;
}

}  // namespace barrage
