// Copyright 2026 The Barrage Authors.

#include "controller/report/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "controller/report/bootstrap.h"
#include "controller/report/result_doc.h"
#include "controller/report/time_series.h"

namespace barrage {
namespace {

namespace rd = result_doc;

constexpr double kInf = std::numeric_limits<double>::infinity();

void DiffField(const std::string& where, const rd::Struct& b, const rd::Struct& c,
               const std::string& key, std::vector<std::string>& out) {
  const bool hb = rd::Has(b, key), hc = rd::Has(c, key);
  if (!hb && !hc) return;
  const rd::Value& vb = rd::Field(b, key);
  const rd::Value& vc = rd::Field(c, key);
  auto text = [](const rd::Value& v, bool has) -> std::string {
    if (!has || v.kind_case() == rd::Value::kNullValue) return "none";
    if (v.kind_case() == rd::Value::kNumberValue) return absl::StrCat(v.number_value());
    if (v.kind_case() == rd::Value::kStringValue) return v.string_value();
    if (v.kind_case() == rd::Value::kBoolValue) return v.bool_value() ? "true" : "false";
    return "?";
  };
  const std::string tb = text(vb, hb), tc = text(vc, hc);
  if (tb != tc) out.push_back(absl::StrCat(where, key, ": ", tb, " vs ", tc));
}

std::vector<std::string> Differences(const rd::Struct& b, const rd::Struct& c,
                                     std::vector<std::string>* notes) {
  std::vector<std::string> out;
  const bool fb = rd::Has(b, "fingerprint"), fc = rd::Has(c, "fingerprint");
  if (fb && fc) {
    const rd::Struct& pb = rd::Obj(b, "fingerprint");
    const rd::Struct& pc = rd::Obj(c, "fingerprint");
    DiffField("", pb, pc, "target", out);
    if (rd::Str(pb, "scenario_sha256") != rd::Str(pc, "scenario_sha256")) {
      out.push_back("fingerprint.scenario_sha256: the scenarios differ");
    }
    if (rd::Str(pb, "load_sha256") != rd::Str(pc, "load_sha256")) {
      out.push_back("fingerprint.load_sha256: the load profiles differ");
    }
  } else if (fb != fc) {
    out.push_back(absl::StrCat("fingerprint: only the ", fb ? "baseline" : "current",
                               " has one (cannot check the scenario)"));
  } else if (notes != nullptr) {
    notes->push_back("neither result has a fingerprint: compared their stages and requests only");
  }
  const std::vector<const rd::Struct*> sb = rd::List(b, "stages");
  const std::vector<const rd::Struct*> sc = rd::List(c, "stages");
  if (sb.size() != sc.size()) {
    out.push_back(absl::StrCat("stages: ", sb.size(), " vs ", sc.size()));
  } else {
    for (size_t i = 0; i < sb.size(); ++i) {
      const std::string where = absl::StrCat("stages[", i, "].");
      for (const char* key : {"duration_s", "target_rps", "vus"}) {
        DiffField(where, *sb[i], *sc[i], key, out);
      }
    }
  }
  const std::vector<std::string> rb = rd::RequestOrder(b), rc = rd::RequestOrder(c);
  if (rb != rc) {
    out.push_back(absl::StrCat("requests: ", absl::StrJoin(rb, ","), " vs ",
                               absl::StrJoin(rc, ",")));
  }
  return out;
}

// The metric's value in a group's statistics.
double Value(const GroupStats& g, CompareMetric m) {
  switch (m) {
    case CompareMetric::kP50: return g.p50_us;
    case CompareMetric::kP95: return g.p95_us;
    case CompareMetric::kP99: return g.p99_us;
    case CompareMetric::kErrorRate: return g.error_rate;
    case CompareMetric::kRate: return g.achieved_rps;
  }
  return 0;
}

bool IsLatency(CompareMetric m) {
  return m == CompareMetric::kP50 || m == CompareMetric::kP95 || m == CompareMetric::kP99;
}

// The change of `cur` from `base` in the metric's convention.
double Change(CompareMetric m, double base, double cur) {
  if (m == CompareMetric::kErrorRate) return (cur - base) * 100;
  if (base == 0) return cur == 0 ? 0 : kInf;
  return cur / base - 1;
}

// +1 when a larger change is worse, -1 when smaller is (rate).
double WorseSign(CompareMetric m) { return m == CompareMetric::kRate ? -1 : 1; }

// How much longer runs would have to be for the interval [lo, hi] around
// `c` (worse-signed) to clear +-t, as a factor of their length.
double NeededFactor(double c, double lo, double hi, double t) {
  auto ratio = [](double have, double need) {
    if (need <= 0) return kInf;
    return std::max(1.0, (have / need) * (have / need));
  };
  if (c > t) return ratio(c - lo, c - t);
  if (c < -t) return ratio(hi - c, -t - c);
  if (c == t || c == -t) return kInf;
  return std::max(ratio(hi - c, t - c), ratio(c - lo, t + c));
}

// Student's t quantile for probability p (> 0.5) and nu degrees of freedom
// from the normal one, by the Cornish-Fisher expansion (Abramowitz & Stegun
// 26.7.5; within 0.1% of the exact value for nu >= 4).
double TQuantile(double z, double nu) {
  const double z2 = z * z;
  return z + (z2 + 1) * z / (4 * nu) + ((5 * z2 + 16) * z2 + 3) * z / (96 * nu * nu) +
         (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / (384 * nu * nu * nu);
}

// The normal quantile for p in (0.5, 1) (Acklam's rational approximation of
// the central region, relative error < 1.2e-9; p here is at most 0.9999).
double ZQuantile(double p) {
  const double q = p - 0.5, r = q * q;
  const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                      1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                      6.680131188771972e+01,  -1.328068155288572e+01};
  if (p < 0.97575) {
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                      -2.549671348324824e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                      3.754408661907416e+00};
  const double t = std::sqrt(-2 * std::log(1 - p));
  return -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
         ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
}

// The small-sample widening of point 3 in the header: k_b and k_c blocks.
double Widening(double k_b, double k_c, double confidence) {
  const double k = (k_b + k_c) / 2;
  const double nu = k_b + k_c - 2;
  if (k <= 1 || nu < 1) return 1;
  const double z = ZQuantile(1 - (1 - confidence) / 2);
  return std::sqrt(k / (k - 1)) * TQuantile(z, nu) / z;
}

absl::StatusOr<RunSeries> ReadSeries(const rd::Struct& result, const char* which) {
  if (rd::Field(result, "series").kind_case() != rd::Value::kStructValue) {
    return absl::FailedPreconditionError(absl::StrCat(
        which, ": the result has no time series (\"series\"); compare needs results recorded "
               "with one"));
  }
  absl::StatusOr<RunSeries> series = SeriesFromJson(rd::Obj(result, "series"));
  if (!series.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(which, ": ", series.status().message()));
  }
  return series;
}

size_t BlockIntervals(const RunSeries& s, double block_s) {
  const double len = s.interval_s > 0 ? s.interval_s : 1;
  return static_cast<size_t>(std::max(1.0, std::round(block_s / len)));
}

std::vector<std::vector<GroupStats>> Resamples(const SeriesResampler& run, size_t block,
                                               int b, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<GroupStats>> out;
  out.reserve(static_cast<size_t>(b));
  for (int i = 0; i < b; ++i) out.push_back(run.Resample(block, rng));
  return out;
}

}  // namespace

const char* CompareMetricName(CompareMetric metric) {
  switch (metric) {
    case CompareMetric::kP50: return "p50";
    case CompareMetric::kP95: return "p95";
    case CompareMetric::kP99: return "p99";
    case CompareMetric::kErrorRate: return "error_rate";
    case CompareMetric::kRate: return "rate";
  }
  return "?";
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSame: return "SAME";
    case Verdict::kImproved: return "IMPROVED";
    case Verdict::kInconclusive: return "INCONCLUSIVE";
    case Verdict::kRegressed: return "REGRESSED";
  }
  return "?";
}

absl::StatusOr<std::vector<std::string>> CompareDifferences(const std::string& baseline_json,
                                                            const std::string& current_json) {
  absl::StatusOr<rd::Struct> b = rd::ParseResultJson(baseline_json);
  if (!b.ok()) return absl::InvalidArgumentError(absl::StrCat("baseline: ", b.status().message()));
  absl::StatusOr<rd::Struct> c = rd::ParseResultJson(current_json);
  if (!c.ok()) return absl::InvalidArgumentError(absl::StrCat("current: ", c.status().message()));
  return Differences(*b, *c, nullptr);
}

absl::StatusOr<CompareReport> Compare(const std::string& baseline_json,
                                      const std::string& current_json,
                                      const CompareOptions& options) {
  absl::StatusOr<rd::Struct> b = rd::ParseResultJson(baseline_json);
  if (!b.ok()) return absl::InvalidArgumentError(absl::StrCat("baseline: ", b.status().message()));
  absl::StatusOr<rd::Struct> c = rd::ParseResultJson(current_json);
  if (!c.ok()) return absl::InvalidArgumentError(absl::StrCat("current: ", c.status().message()));
  if (options.resamples < 1 || !(options.confidence > 0 && options.confidence < 1)) {
    return absl::InvalidArgumentError("resamples must be >= 1 and confidence in (0, 1)");
  }
  CompareReport report;
  report.options = options;
  report.baseline_run = rd::Str(*b, "run");
  report.current_run = rd::Str(*c, "run");
  report.scenario = rd::Str(*c, "scenario");
  report.differences = Differences(*b, *c, &report.notes);
  if (!report.differences.empty()) {
    if (!options.force) {
      return absl::FailedPreconditionError(
          absl::StrCat("the runs are not comparable (--force compares them anyway):\n  ",
                       absl::StrJoin(report.differences, "\n  ")));
    }
    report.forced = true;
  }
  absl::StatusOr<RunSeries> sb = ReadSeries(*b, "baseline");
  if (!sb.ok()) return sb.status();
  absl::StatusOr<RunSeries> sc = ReadSeries(*c, "current");
  if (!sc.ok()) return sc.status();
  // Intervals from a run's end on hold only the drain (late completions of
  // requests sent before it): a rate of a few per second that says nothing
  // of the service, so they are left out of every metric.
  auto end_of = [](const rd::Struct& r) {
    const double d = rd::Num(r, "duration_s");
    return d > 0 ? d : std::numeric_limits<double>::infinity();
  };
  const SeriesResampler base(*sb, options.skip_s, end_of(*b)),
      cur(*sc, options.skip_s, end_of(*c));
  for (const auto& [run, which] : {std::pair{&base, "baseline"}, std::pair{&cur, "current"}}) {
    if (run->intervals() == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(which, ": no intervals start at or after --skip ", options.skip_s,
                       " s and before the run's end"));
    }
  }
  report.baseline_s = base.duration_s();
  report.current_s = cur.duration_s();

  // Groups paired by name: overall, then the baseline's requests the
  // current run also has (only when there is more than one).
  std::vector<std::pair<size_t, size_t>> pairs = {{0, 0}};
  std::vector<std::string> names = {""};
  if (sb->requests.size() > 1) {
    for (size_t i = 0; i < sb->requests.size(); ++i) {
      const auto it = std::find(sc->requests.begin(), sc->requests.end(), sb->requests[i]);
      if (it == sc->requests.end()) continue;
      pairs.push_back({1 + i, 1 + static_cast<size_t>(it - sc->requests.begin())});
      names.push_back(sb->requests[i]);
    }
  }
  const std::vector<GroupStats> pb = base.Stats(), pc = cur.Stats();
  const size_t block_b = BlockIntervals(*sb, options.block_s);
  const size_t block_c = BlockIntervals(*sc, options.block_s);
  const auto rb = Resamples(base, block_b, options.resamples, options.seed);
  const auto rc = Resamples(cur, block_c, options.resamples, options.seed + 1);
  report.widening = Widening(static_cast<double>(base.intervals()) / static_cast<double>(block_b),
                             static_cast<double>(cur.intervals()) / static_cast<double>(block_c),
                             options.confidence);

  std::vector<MetricComparison> results;
  std::vector<HolmItem> items;
  for (size_t g = 0; g < pairs.size(); ++g) {
    const auto [gb, gc] = pairs[g];
    for (int mi = 0; mi < kCompareMetricCount; ++mi) {
      const CompareMetric m = static_cast<CompareMetric>(mi);
      MetricComparison r;
      r.request = names[g];
      r.metric = m;
      r.baseline = Value(pb[gb], m);
      r.current = Value(pc[gc], m);
      // Not comparable without a sample on both sides.
      if (IsLatency(m) && (pb[gb].ok == 0 || pc[gc].ok == 0 || r.baseline == 0)) continue;
      if (m == CompareMetric::kErrorRate && (pb[gb].requests == 0 || pc[gc].requests == 0)) continue;
      if (m == CompareMetric::kRate && r.baseline == 0) continue;
      r.change = Change(m, r.baseline, r.current);
      r.tolerance = options.tolerance[static_cast<size_t>(mi)];
      if (IsLatency(m)) r.tolerance = std::max(r.tolerance, options.floor_us / r.baseline);
      HolmItem item;
      item.tolerance = r.tolerance;
      item.worse.reserve(rb.size());
      const double point = WorseSign(m) * r.change;
      for (size_t i = 0; i < rb.size(); ++i) {
        const double d = WorseSign(m) * Change(m, Value(rb[i][gb], m), Value(rc[i][gc], m));
        item.worse.push_back(point + report.widening * (d - point));
      }
      results.push_back(std::move(r));
      items.push_back(std::move(item));
    }
  }
  HolmVerdicts(items, options.confidence);
  const double length_s = (report.baseline_s + report.current_s) / 2;
  for (size_t i = 0; i < results.size(); ++i) {
    MetricComparison& r = results[i];
    const HolmItem& item = items[i];
    const double sign = WorseSign(r.metric);
    r.p_value = item.p_value;
    r.holm_rank = item.rank;
    r.level = item.level;
    r.lo = sign > 0 ? item.lo : -item.hi;
    r.hi = sign > 0 ? item.hi : -item.lo;
    r.verdict = item.verdict;
    if (r.verdict == Verdict::kInconclusive) {
      const double f = NeededFactor(sign * r.change, item.lo, item.hi, item.tolerance);
      r.needed_s = std::isinf(f) ? kInf : f * length_s;
    }
    report.verdict = std::max(report.verdict, r.verdict);
    report.metrics.push_back(std::move(r));
  }
  if (report.metrics.empty()) {
    return absl::FailedPreconditionError("the runs have no results to compare");
  }
  return report;
}

void HolmVerdicts(std::vector<HolmItem>& items, double confidence) {
  const double a = 1 - confidence;
  for (HolmItem& item : items) {
    size_t within = 0;
    for (double d : item.worse) within += d <= item.tolerance ? 1 : 0;
    item.p_value = item.worse.empty() ? 1
                                      : static_cast<double>(within) /
                                            static_cast<double>(item.worse.size());
  }
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < items.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return items[x].p_value < items[y].p_value;
  });
  const size_t m = items.size();
  bool stepping = true;  // every earlier item was REGRESSED
  for (size_t k = 0; k < m; ++k) {
    HolmItem& item = items[order[k]];
    item.rank = static_cast<int>(k + 1);
    item.level = 1 - a / static_cast<double>(m - k);
    const PercentileBounds w = PercentileInterval(item.worse, item.level);
    item.lo = w.lo;
    item.hi = w.hi;
    const double t = item.tolerance;
    if (w.lo > t && stepping) {
      item.verdict = Verdict::kRegressed;
    } else if (w.hi < -t) {
      item.verdict = Verdict::kImproved;
    } else if (w.lo >= -t && w.hi <= t) {
      item.verdict = Verdict::kSame;
    } else {
      item.verdict = Verdict::kInconclusive;  // beyond t but Holm stopped, or straddling
    }
    if (item.verdict != Verdict::kRegressed) stepping = false;
  }
}

int CompareExitCode(const CompareReport& report) {
  switch (report.verdict) {
    case Verdict::kRegressed: return 99;
    case Verdict::kInconclusive: return kExitCompareInconclusive;
    default: return 0;
  }
}

absl::StatusOr<std::array<double, kCompareMetricCount>> ParseTolerances(
    absl::string_view text, const std::array<double, kCompareMetricCount>& defaults) {
  std::array<double, kCompareMetricCount> out = defaults;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
    int metric = -1;
    for (int m = 0; m < kCompareMetricCount; ++m) {
      if (kv.first == CompareMetricName(static_cast<CompareMetric>(m))) metric = m;
    }
    if (metric < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tolerance: '", item, "': not p50, p95, p99, error_rate or rate (as NAME=VALUE)"));
    }
    absl::string_view value = kv.second;
    double scale = 1;
    const bool pp = metric == static_cast<int>(CompareMetric::kErrorRate);
    if (pp) {
      absl::ConsumeSuffix(&value, "pp");
    } else if (absl::ConsumeSuffix(&value, "%")) {
      scale = 0.01;
    }
    double v = 0;
    if (!absl::SimpleAtod(value, &v) || !(v >= 0) || std::isinf(v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tolerance: '", item, "': give ", pp ? "percentage points, like 0.5pp" :
                                                  "a percentage, like 5%"));
    }
    out[static_cast<size_t>(metric)] = v * scale;
  }
  return out;
}

}  // namespace barrage
