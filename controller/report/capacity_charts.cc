// Copyright 2026 The Barrage Authors.
//
// Every chart has a linear x axis starting at 0 (a load, N or months) and
// ends a little past its last point, so the last point is not on the edge.

#include "controller/report/capacity_charts.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "controller/report/capacity_html.h"
#include "controller/report/svg_chart.h"

namespace barrage {
namespace capacity_charts {
namespace {

using result_doc::Field;
using result_doc::List;
using result_doc::Num;
using result_doc::Obj;
using result_doc::Str;
using result_doc::Struct;
using result_doc::Value;

constexpr double kMargin = 1.05;  // the x axis' end past the last point

bool IsNum(const Struct& s, const std::string& key) {
  return Field(s, key).kind_case() == Value::kNumberValue;
}

// A point line sorted by x.
ChartLine SortedLine(std::string name, std::vector<std::pair<double, double>> points) {
  std::sort(points.begin(), points.end());
  ChartLine l;
  l.name = std::move(name);
  for (const auto& [x, y] : points) {
    l.x.push_back(x);
    l.y.push_back(y);
  }
  return l;
}

// A horizontal dashed line at y over [0, x_end].
ChartLine Level(std::string name, double y, double x_end) {
  ChartLine l;
  l.name = std::move(name);
  l.x = {0, x_end};
  l.y = {y, y};
  l.dashed = true;
  return l;
}

ChartSpec LinearSpec(std::string id, std::string title, std::string y_unit,
                     std::string x_unit, double x_end) {
  ChartSpec spec;
  spec.id = std::move(id);
  spec.title = std::move(title);
  spec.y_unit = std::move(y_unit);
  spec.x_unit = std::move(x_unit);
  spec.x_axis = XAxis::kLinear;
  spec.x_max = x_end > 0 ? x_end : 1;
  return spec;
}

bool RateModel(const Struct& r) { return Str(r, "model") != "vus"; }

// The x of a step on the latency chart: its load (/s or VUs).
double LoadOf(const Struct& step) { return Num(step, "load"); }

double MaxX(const std::vector<std::pair<double, double>>& points) {
  double max = 0;
  for (const auto& p : points) max = std::max(max, p.first);
  return max;
}

// "cpu" -> "cpu"; "db query/ms" -> "db-query-ms".
std::string IdPart(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!keep) c = '-';
  }
  return out;
}

}  // namespace

std::string Throughput(const Struct& r) {
  const Struct& usl = Obj(r, "usl");
  std::vector<std::pair<double, double>> points;
  for (const Struct* p : List(usl, "points")) points.emplace_back(Num(*p, "n"), Num(*p, "x"));
  const bool by_n = !points.empty();
  if (!by_n) {
    for (const Struct* s : List(r, "steps")) {
      points.emplace_back(LoadOf(*s), Num(*s, "achieved_rps"));
    }
  }
  double x_end = MaxX(points) * kMargin;
  const bool finite_n_star = by_n && IsNum(usl, "n_star");
  const double n_star = Num(usl, "n_star");
  // N* a little beyond the points is worth showing; far beyond, it is not.
  if (finite_n_star && n_star * kMargin > x_end && n_star <= 3 * MaxX(points)) {
    x_end = n_star * kMargin;
  }
  std::string x_unit = RateModel(r) ? "offered load (req/s)" : "VUs";
  if (by_n) {
    x_unit = RateModel(r) ? "N: concurrency (achieved x mean response time, Little's law)"
                          : "N: concurrency (VUs)";
  }
  ChartSpec spec = LinearSpec("chart-throughput", "Throughput vs load", "req/s",
                              std::move(x_unit), x_end);
  ChartLine steps = SortedLine("steps", points);
  steps.dots = true;
  spec.lines.push_back(std::move(steps));
  if (by_n && IsNum(usl, "sigma") && IsNum(usl, "kappa") && IsNum(usl, "lambda")) {
    const double sigma = Num(usl, "sigma"), kappa = Num(usl, "kappa");
    const double lambda = Num(usl, "lambda");
    ChartLine curve;
    curve.name = "usl";
    for (int i = 0; i < kUslCurvePoints; ++i) {
      const double n = spec.x_max * i / (kUslCurvePoints - 1);
      const double denominator = 1 + sigma * (n - 1) + kappa * n * (n - 1);
      if (!(denominator > 0)) continue;
      curve.x.push_back(n);
      curve.y.push_back(lambda * n / denominator);
    }
    spec.lines.push_back(std::move(curve));
    spec.note = absl::StrFormat("X(N) = %g N / (1 + %g (N-1) + %g N (N-1)), R^2 %.3f", lambda,
                                sigma, kappa, Num(usl, "r2"));
    if (finite_n_star) {
      absl::StrAppend(&spec.note, absl::StrFormat("; the vertical line: N* = %.1f", n_star));
    }
  } else if (!by_n && RateModel(r)) {
    ChartLine offered;
    offered.name = "offered";
    offered.x = {0, spec.x_max};
    offered.y = {0, spec.x_max};
    offered.dashed = true;
    spec.lines.push_back(std::move(offered));
  }
  if (IsNum(r, "capacity_rps")) {
    spec.lines.push_back(Level("capacity", Num(r, "capacity_rps"), spec.x_max));
  }
  if (finite_n_star) {
    spec.markers.push_back(
        {n_star, "n-star",
         absl::StrFormat("N* = %.1f: the USL's peak concurrency (X max %s/s)", n_star,
                         IsNum(usl, "x_max") ? absl::StrFormat("%.1f", Num(usl, "x_max"))
                                             : std::string("-"))});
  }
  return SvgChart(spec);
}

std::string Latency(const Struct& r) {
  std::vector<const Struct*> steps = List(r, "steps");
  std::stable_sort(steps.begin(), steps.end(), [](const Struct* a, const Struct* b) {
    return LoadOf(*a) < LoadOf(*b);
  });
  double x_end = 0, y_max = 0;
  for (const Struct* s : steps) x_end = std::max(x_end, LoadOf(*s) * kMargin);
  ChartSpec spec = LinearSpec("chart-latency", "Latency vs load (ok responses, per step)", "ms",
                              RateModel(r) ? "offered load (req/s)" : "VUs", x_end);
  const std::pair<const char*, const char*> lines[] = {
      {"p50", "p50_ms"}, {"p95", "p95_ms"}, {"p95 lo", "p95_lower_ms"},
      {"p95 hi", "p95_upper_ms"}, {"p99", "p99_ms"}};
  for (const auto& [name, key] : lines) {
    ChartLine l;
    l.name = name;
    l.dashed = absl::StrContains(name, ' ');
    for (const Struct* s : steps) {
      l.x.push_back(LoadOf(*s));
      l.y.push_back(Num(*s, key));
      y_max = std::max(y_max, Num(*s, key));
    }
    spec.lines.push_back(std::move(l));
  }
  double highest_limit = 0;
  for (const Struct* limit : List(Obj(r, "slo"), "limits")) {
    if (!IsNum(*limit, "limit_ms")) continue;
    const double ms = Num(*limit, "limit_ms");
    highest_limit = std::max(highest_limit, ms);
    spec.lines.push_back(Level(absl::StrCat("slo ", Str(*limit, "metric")), ms, spec.x_max));
  }
  if (highest_limit > 0 && y_max > 4 * highest_limit) {
    spec.y_max = 4 * highest_limit;
    spec.note = "the axis stops at 4x the SLO's limit; the step table has every value";
  }
  const Struct& knee = Obj(r, "knee");
  if (RateModel(r) && IsNum(knee, "rps")) {
    spec.markers.push_back({Num(knee, "rps"), "knee",
                            absl::StrFormat("knee: p95 at least doubles between %.1f/s and "
                                            "%.1f/s", Num(knee, "before_rps"), Num(knee, "rps"))});
  }
  return SvgChart(spec);
}

std::vector<std::string> MonitorNames(const Struct& r) {
  std::vector<std::string> names;
  for (const Struct* s : List(r, "steps")) {
    for (const auto& [name, value] : Obj(*s, "monitors").fields()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(a != "cpu", a) < std::make_pair(b != "cpu", b);
  });
  return names;
}

std::string Monitor(const Struct& r, const std::string& name) {
  std::vector<std::pair<double, double>> points;
  for (const Struct* s : List(r, "steps")) {
    const Struct& monitors = Obj(*s, "monitors");
    if (IsNum(monitors, name)) points.emplace_back(Num(*s, "achieved_rps"), Num(monitors, name));
  }
  ChartSpec spec = LinearSpec(absl::StrCat("chart-monitor-", IdPart(name)),
                              absl::StrCat("Service ", name, " vs load (mean per step)"), name,
                              "achieved rate (req/s)", MaxX(points) * kMargin);
  spec.lines.push_back(SortedLine("mean", std::move(points)));
  return SvgChart(spec);
}

std::string Projection(const Struct& r) {
  const Struct& p = Obj(r, "projection");
  if (!IsNum(p, "growth_per_month") || !IsNum(p, "peak_rps") || !IsNum(r, "capacity_rps")) {
    return "";
  }
  const double growth = Num(p, "growth_per_month"), peak = Num(p, "peak_rps");
  const bool exhausted = Field(p, "exhausted").bool_value();
  const double months_hi = IsNum(p, "months_hi") ? Num(p, "months_hi") : 0;
  const double horizon = exhausted ? 12 : std::clamp(months_hi * 1.3, 6.0, 240.0);
  ChartSpec spec = LinearSpec("chart-projection", "Projected peak vs the capacity", "req/s",
                              "months from now", horizon);
  ChartLine projected;
  projected.name = "projected peak";
  for (int i = 0; i < kProjectionPoints; ++i) {
    const double t = horizon * i / (kProjectionPoints - 1);
    projected.x.push_back(t);
    projected.y.push_back(peak * std::pow(1 + growth, t));
  }
  spec.lines.push_back(std::move(projected));
  spec.lines.push_back(Level("capacity", Num(r, "capacity_rps"), horizon));
  const auto& interval = Field(r, "interval_rps").list_value().values();
  if (interval.size() == 2) {
    spec.lines.push_back(Level("interval lo", interval[0].number_value(), horizon));
    spec.lines.push_back(Level("interval hi", interval[1].number_value(), horizon));
  }
  if (!exhausted && IsNum(p, "months")) {
    spec.markers.push_back({Num(p, "months"), "exhausted",
                            absl::StrFormat("headroom runs out in %.1f months", Num(p, "months"))});
  }
  spec.note = absl::StrFormat("%g%%/month compound from a peak of %g/s", growth * 100, peak);
  return SvgChart(spec);
}

}  // namespace capacity_charts
}  // namespace barrage
