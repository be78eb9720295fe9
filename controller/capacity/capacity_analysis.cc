// Copyright 2026 The Barrage Authors.

#include "controller/capacity/capacity_analysis.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "controller/capacity/projection.h"
#include "controller/capacity/resource_model.h"

namespace barrage {
namespace {

// A finite number, else null (an infinite N* or X max).
void Number(JsonWriter& j, double v) {
  if (std::isfinite(v)) {
    j.Double(v);
  } else {
    j.Null();
  }
}

void Interval(JsonWriter& j, const char* key, const UslInterval& in) {
  j.Key(key).BeginArray();
  Number(j, in.lo);
  Number(j, in.hi);
  j.EndArray();
}

void ErrorObject(JsonWriter& j, const absl::Status& status) {
  j.BeginObject().Key("error").String(status.message()).EndObject();
}

double SloP95Ms(const Slo& slo) {
  for (const SloLimit& l : slo.limits) {
    if (l.metric == SloMetric::kP95) return l.limit / 1000.0;
  }
  return std::numeric_limits<double>::infinity();
}

// One monitor query's resource model, projected to 2x `basis_rps` (none:
// no rate to project to).
struct ResourceAnswer {
  std::string name;
  absl::StatusOr<ResourceModel> model;
  std::optional<ResourceProjection> at;
  std::string basis;  // "peak" | "capacity" ("" with no projection)
  std::string sentence;
};

constexpr double kResourceFactor = 2;

std::string Sig(double v) { return absl::StrFormat("%.3g", v); }

ResourceAnswer AnswerResource(const CapacityResult& result, const std::string& name,
                              const CapacityAnalysisOptions& options) {
  ResourceAnswer a{name, FitResource(ResourcePointsOf(result, name)), std::nullopt, "", ""};
  if (!a.model.ok()) {
    a.sentence = absl::StrCat(name, " not fitted: ", a.model.status().message());
    return a;
  }
  const ResourceModel& m = *a.model;
  a.sentence = absl::StrCat(name, " grows ", Sig(m.cost_per_request), " per request/s (",
                            Sig(m.cost_lo), " to ", Sig(m.cost_hi), ", ",
                            std::lround(m.level * 100), "%) from a base of ", Sig(m.base),
                            " (r2 ", absl::StrFormat("%.3f", m.r_squared), ", ", m.points,
                            " steps)");
  double basis_rps = 0;
  if (options.peak_rps) {
    a.basis = "peak";
    basis_rps = *options.peak_rps;
  } else if (result.found) {
    a.basis = "capacity";
    basis_rps = result.capacity_rps;
  } else {
    absl::StrAppend(&a.sentence, "; no --peak and no capacity to project from");
    return a;
  }
  a.at = ProjectResource(m, basis_rps * kResourceFactor);
  absl::StrAppend(&a.sentence, "; from the ", a.basis, " of ", FormatRps(basis_rps), ", ",
                  DescribeProjection(name, m, basis_rps, kResourceFactor));
  return a;
}

void ResourceJson(JsonWriter& j, const ResourceAnswer& a) {
  j.BeginObject();
  j.Key("name").String(a.name);
  if (!a.model.ok()) {
    j.Key("error").String(a.model.status().message());
    j.EndObject();
    return;
  }
  const ResourceModel& m = *a.model;
  j.Key("per_request").Double(m.cost_per_request, 9);
  j.Key("per_request_interval").BeginArray().Double(m.cost_lo, 9).Double(m.cost_hi, 9).EndArray();
  j.Key("base").Double(m.base);
  j.Key("r2").Double(m.r_squared);
  j.Key("points").Int(static_cast<int64_t>(m.points));
  j.Key("at");
  if (a.at) {
    j.BeginObject();
    j.Key("basis").String(a.basis);
    j.Key("rps").Double(a.at->rate_rps);
    j.Key("value").Double(a.at->value);
    j.Key("interval").BeginArray().Double(a.at->lo).Double(a.at->hi).EndArray();
    j.Key("extrapolated").Bool(a.at->extrapolated);
    j.EndObject();
  } else {
    j.Null();
  }
  j.Key("sentence").String(a.sentence);
  j.EndObject();
}

}  // namespace

std::vector<ResourcePoint> ResourcePointsOf(const CapacityResult& result,
                                            const std::string& name) {
  std::vector<ResourcePoint> points;
  for (const StepRecord& s : result.steps) {
    if (!s.refusal.empty()) continue;
    const auto it = s.judgement.monitor_means.find(name);
    if (it == s.judgement.monitor_means.end()) continue;
    points.push_back({s.judgement.achieved_rps, it->second});
  }
  return points;
}

std::vector<UslPoint> UslPointsOf(const CapacityResult& result) {
  std::vector<UslPoint> points;
  for (const StepRecord& s : result.steps) {
    if (!s.refusal.empty()) continue;
    const StepJudgement& j = s.judgement;
    const double x = j.achieved_rps;
    // Little's law in both models: the requests outstanding at the service.
    // A VU is not outstanding while it thinks, so with think time the VUs
    // overstate the service's concurrency by think / (R + think); without
    // it X * R is the VUs (R, from the intended send, covers the VU's
    // cycle), above them only by interval edges, and capped there.
    double n = LittlesLawConcurrency(x, j.mean_ms / 1000.0);
    if (s.model == LoadModel::kVus) {
      n = std::min(n, static_cast<double>(j.vus > 0 ? j.vus : s.load));
    }
    if (n > 0 && x > 0 && std::isfinite(n) && std::isfinite(x)) points.push_back({n, x});
  }
  return points;
}

CapacityHooks AnalyseCapacity(const CapacityResult& result, const Slo& slo,
                              const CapacityAnalysisOptions& options) {
  CapacityHooks hooks;

  // USL.
  const std::vector<UslPoint> points = UslPointsOf(result);
  absl::StatusOr<UslFit> fitted = FitUsl(points, options.usl);
  if (points.size() < kUslMinPoints) {
    // The search doubles from --start to the first failure and bisects
    // above it: the levels below the knee are the ones a lower start adds.
    fitted = absl::InvalidArgumentError(absl::StrCat(
        fitted.status().message(), " (a lower --start adds levels below the knee)"));
  }
  auto fit = std::make_shared<const absl::StatusOr<UslFit>>(std::move(fitted));
  if (fit->ok()) {
    absl::StrAppend(&hooks.text, "\nUSL: ", (*fit)->Describe(), "\n");
  } else {
    absl::StrAppend(&hooks.text, "\nUSL: not fitted: ", fit->status().message(), "\n");
  }
  hooks.usl_json = [fit, points](JsonWriter& j) {
    if (!fit->ok()) return ErrorObject(j, fit->status());
    const UslFit& f = **fit;
    j.BeginObject();
    j.Key("sigma").Double(f.sigma);
    j.Key("kappa").Double(f.kappa);
    j.Key("lambda").Double(f.lambda);
    j.Key("n_star");
    Number(j, f.n_star);
    j.Key("x_max");
    Number(j, f.x_max);
    j.Key("intervals").BeginObject();
    Interval(j, "sigma", f.sigma_ci);
    Interval(j, "kappa", f.kappa_ci);
    Interval(j, "lambda", f.lambda_ci);
    Interval(j, "n_star", f.n_star_ci);
    Interval(j, "x_max", f.x_max_ci);
    j.EndObject();
    j.Key("limited_by").String(UslLimitName(f.limited_by));
    j.Key("residuals").BeginArray();
    for (double r : f.residuals) j.Double(r);
    j.EndArray();
    j.Key("r2").Double(f.r_squared);
    j.Key("points").BeginArray();
    for (const UslPoint& p : points) j.BeginObject().Key("n").Double(p.n).Key("x").Double(p.x).EndObject();
    j.EndArray();
    j.EndObject();
  };

  const CapacityEstimate capacity{result.capacity_rps, result.interval_lo_rps,
                                  result.interval_hi_rps};
  const absl::Status no_capacity = absl::FailedPreconditionError("no capacity was found");

  // Growth projection.
  if (options.monthly_growth && options.peak_rps) {
    auto p = std::make_shared<const absl::StatusOr<GrowthProjection>>(
        result.found ? ProjectGrowth(capacity, *options.peak_rps, *options.monthly_growth)
                     : absl::StatusOr<GrowthProjection>(no_capacity));
    absl::StrAppend(&hooks.text, "projection: ",
                    p->ok() ? (*p)->sentence : std::string(p->status().message()), "\n");
    const double growth = *options.monthly_growth, peak = *options.peak_rps;
    hooks.projection_json = [p, growth, peak](JsonWriter& j) {
      if (!p->ok()) return ErrorObject(j, p->status());
      j.BeginObject();
      j.Key("months").Double((*p)->months);
      j.Key("months_lo").Double((*p)->months_lo);
      j.Key("months_hi").Double((*p)->months_hi);
      j.Key("exhausted").Bool((*p)->exhausted);
      j.Key("growth_per_month").Double(growth);
      j.Key("peak_rps").Double(peak);
      j.Key("sentence").String((*p)->sentence);
      j.EndObject();
    };
  }

  // Baseline check.
  if (options.baseline_rps) {
    auto b = std::make_shared<const absl::StatusOr<BaselineCheck>>(
        result.found ? CheckBaseline(capacity, *options.baseline_rps, options.baseline_factor)
                     : absl::StatusOr<BaselineCheck>(no_capacity));
    absl::StrAppend(&hooks.text, "baseline: ",
                    b->ok() ? (*b)->evidence : std::string(b->status().message()), "\n");
    const double baseline = *options.baseline_rps, factor = options.baseline_factor;
    hooks.baseline_json = [b, baseline, factor](JsonWriter& j) {
      if (!b->ok()) return ErrorObject(j, b->status());
      j.BeginObject();
      j.Key("verdict").String(BaselineVerdictName((*b)->verdict));
      j.Key("baseline_rps").Double(baseline);
      j.Key("factor").Double(factor);
      j.Key("target_rps").Double((*b)->target_rps);
      j.Key("evidence").String((*b)->evidence);
      j.EndObject();
    };
  }

  // Bottleneck at the knee.
  if (!options.monitors.empty()) {
    std::vector<BottleneckStep> steps;
    for (const StepRecord& s : result.steps) {
      if (!s.refusal.empty()) continue;
      steps.push_back({s.rps(), s.judgement.p95_ms.value, s.judgement.monitor_means});
    }
    auto bn = std::make_shared<const Bottleneck>(
        AttributeBottleneck(std::move(steps), SloP95Ms(slo), options.monitors));
    absl::StrAppend(&hooks.text, "bottleneck: ", bn->sentence, "\n");
    hooks.bottleneck_json = [bn](JsonWriter& j) {
      j.BeginObject();
      j.Key("knee_rps");
      if (bn->knee_found) {
        j.Double(bn->knee_rps);
      } else {
        j.Null();
      }
      j.Key("resource");
      if (bn->resource.empty()) {
        j.Null();
      } else {
        j.String(bn->resource);
      }
      j.Key("sentence").String(bn->sentence);
      j.EndObject();
    };
  }

  // Resource model: each monitor query's cost per request.
  if (!options.monitors.empty()) {
    auto answers = std::make_shared<std::vector<ResourceAnswer>>();
    for (const MonitorLevel& q : options.monitors) {
      answers->push_back(AnswerResource(result, q.name, options));
      absl::StrAppend(&hooks.text, "resource: ", answers->back().sentence, "\n");
    }
    hooks.resources_json = [answers](JsonWriter& j) {
      j.BeginArray();
      for (const ResourceAnswer& a : *answers) ResourceJson(j, a);
      j.EndArray();
    };
  }
  return hooks;
}

}  // namespace barrage
