// Copyright 2026 The Barrage Authors.

#include "controller/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace barrage {
namespace {

// The drawing area in viewBox units; the <svg> scales to the page width.
constexpr double kWidth = 1000;
constexpr double kHeight = 260;
constexpr double kLeft = 64;
constexpr double kTop = 26;
constexpr double kBottom = 34;

// Colour-blind-safe (Okabe-Ito), by line position.
constexpr const char* kPalette[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                    "#cc79a7", "#56b4e9", "#000000", "#f0e442"};

// A step of 1, 2 or 5 times a power of ten giving about `ticks` ticks.
double NiceStep(double range, int ticks) {
  if (!(range > 0)) return 1;
  const double raw = range / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
}

// Seconds ticks at whole minutes (or 1, 2, 5, 10, 15, 30 s) for a time axis.
double TimeStep(double range) {
  constexpr double kSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
  for (double s : kSteps) {
    if (range / s <= 10) return s;
  }
  return NiceStep(range, 10);
}

std::string Clock(double s) {
  const int64_t t = std::llround(s);
  if (t >= 3600) return absl::StrFormat("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
  return absl::StrFormat("%d:%02d", t / 60, t % 60);
}

std::string TickLabel(double v) { return absl::StrFormat("%g", v); }

const char* XAxisName(XAxis axis) {
  switch (axis) {
    case XAxis::kSeconds: return "s";
    case XAxis::kIndex: return "index";
    case XAxis::kTailLog: return "tail";
    case XAxis::kLinear: return "linear";
  }
  return "s";
}

struct Frame {
  double left, right, x_min, x_max;
  double px(double x) const {
    const double span = x_max > x_min ? x_max - x_min : 1;
    return left + (x - x_min) / span * (right - left);
  }
  static double py(double y, double y_max) {
    const double bottom = kHeight - kBottom;
    return bottom - (y_max > 0 ? std::min(y / y_max, 1.0) : 0) * (bottom - kTop);
  }
};

// The top of an axis: the lines' maximum rounded up to a tick.
double AxisMax(const ChartSpec& spec, int axis, double* step) {
  double max = 0;
  for (const ChartLine& l : spec.lines) {
    if (l.axis != axis) continue;
    for (double y : l.y) {
      if (std::isfinite(y)) max = std::max(max, y);
    }
  }
  if (max <= 0) max = 1;
  if (axis == 0 && spec.y_max > 0) max = spec.y_max;
  *step = NiceStep(max, 5);
  return std::ceil(max / *step - 1e-9) * *step;
}

void AppendYAxis(double y_max, double step, const Frame& f, bool right,
                 const std::string& unit, std::string& out) {
  const double x = right ? f.right : f.left;
  absl::StrAppend(&out, "<g class=\"axis y", right ? "2" : "", "\">");
  for (double v = 0; v <= y_max + step / 2; v += step) {
    const double y = Frame::py(v, y_max);
    if (!right) {
      absl::StrAppend(&out, absl::StrFormat(
          "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", f.left,
          f.right, y, y));
    }
    absl::StrAppend(&out, absl::StrFormat(
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", right ? x + 6 : x - 6,
        y + 4, right ? "start" : "end", TickLabel(v)));
  }
  absl::StrAppend(&out, absl::StrFormat(
      "<text class=\"unit\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text></g>",
      right ? x + 6 : x - 6, kTop - 10, right ? "start" : "end", HtmlEscape(unit)));
}

void AppendXAxis(const ChartSpec& spec, const Frame& f, std::string& out) {
  const double bottom = kHeight - kBottom;
  absl::StrAppend(&out, "<g class=\"axis x\">",
                  absl::StrFormat("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                                  f.left, f.right, bottom, bottom));
  auto tick = [&](double x, const std::string& label) {
    absl::StrAppend(&out, absl::StrFormat(
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", f.px(x),
        bottom + 16, HtmlEscape(label)));
  };
  switch (spec.x_axis) {
    case XAxis::kSeconds: {
      const double step = TimeStep(spec.x_max - spec.x_min);
      for (double x = std::ceil(spec.x_min / step) * step; x <= spec.x_max + 1e-9; x += step) {
        tick(x, Clock(x));
      }
      break;
    }
    case XAxis::kIndex: {
      const size_t n = spec.x_labels.size();
      const size_t every = std::max<size_t>(1, (n + 9) / 10);
      for (size_t i = 0; i < n; i += every) tick(static_cast<double>(i), spec.x_labels[i]);
      break;
    }
    case XAxis::kTailLog: {
      const char* labels[] = {"90%", "99%", "99.9%", "99.99%", "99.999%"};
      for (int i = 1; i <= 5; ++i) {
        if (i >= spec.x_min - 1e-9 && i <= spec.x_max + 1e-9) tick(i, labels[i - 1]);
      }
      break;
    }
    case XAxis::kLinear: {
      const double step = NiceStep(spec.x_max - spec.x_min, 8);
      for (double x = std::ceil(spec.x_min / step - 1e-9) * step; x <= spec.x_max + 1e-9;
           x += step) {
        tick(x, TickLabel(std::fabs(x) < step * 1e-6 ? 0 : x));
      }
      if (!spec.x_unit.empty()) {
        absl::StrAppend(&out, absl::StrFormat(
            "<text class=\"unit\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
            f.right, bottom + 30, HtmlEscape(spec.x_unit)));
      }
      break;
    }
  }
  absl::StrAppend(&out, "</g>");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ExactNumber(double value) {
  if (!std::isfinite(value)) return "";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  char buf[32];
  for (int digits : {6, 9, 12, 15, 17}) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

std::string SvgChart(const ChartSpec& spec) {
  const bool two_axes = !spec.y2_unit.empty();
  const Frame f{kLeft, kWidth - (two_axes ? 64 : 20), spec.x_min, spec.x_max};
  double step = 1, step2 = 1;
  const double y_max = AxisMax(spec, 0, &step);
  const double y2_max = two_axes ? AxisMax(spec, 1, &step2) : 0;
  std::vector<std::string> names;
  for (const ChartLine& l : spec.lines) names.push_back(l.name);

  std::string out = absl::StrCat("<figure class=\"chart-box\"><figcaption><b>",
                                 HtmlEscape(spec.title), "</b>");
  for (size_t i = 0; i < spec.lines.size(); ++i) {
    absl::StrAppend(&out, " <span class=\"key\"><i style=\"background:",
                    kPalette[i % std::size(kPalette)], "\"></i>",
                    HtmlEscape(spec.lines[i].name), "</span>");
  }
  for (const ChartBand& b : spec.bands) {
    if (!b.warmup) continue;
    absl::StrAppend(&out, " <span class=\"key key-warmup\"><i class=\"swatch-warmup\"></i>"
                          "warm-up (out of thresholds, totals and compare)</span>");
    break;
  }
  if (!spec.note.empty()) absl::StrAppend(&out, " <small>", HtmlEscape(spec.note), "</small>");
  absl::StrAppend(&out, "</figcaption>");
  absl::StrAppend(&out, absl::StrFormat(
      "<svg class=\"chart\" id=\"%s\" data-series=\"%s\" viewBox=\"0 0 %.0f %.0f\" "
      "data-x-min=\"%s\" data-x-max=\"%s\" data-plot=\"%.1f %.1f %.1f %.1f\" "
      "data-x-axis=\"%s\" role=\"img\" aria-label=\"%s\">",
      HtmlEscape(spec.id), HtmlEscape(absl::StrJoin(names, ",")), kWidth, kHeight,
      ExactNumber(spec.x_min), ExactNumber(spec.x_max), f.left, kTop, f.right,
      kHeight - kBottom,
      XAxisName(spec.x_axis),
      HtmlEscape(spec.title)));
  for (size_t i = 0; i < spec.bands.size(); ++i) {
    const ChartBand& b = spec.bands[i];
    const double x0 = f.px(std::max(b.from, spec.x_min));
    const double x1 = f.px(std::min(b.to, spec.x_max));
    if (x1 <= x0) continue;
    absl::StrAppend(&out, absl::StrFormat(
        "<rect class=\"band band-%s\" data-from=\"%s\" data-to=\"%s\" x=\"%.1f\" y=\"%.1f\" "
        "width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
        b.warmup ? std::string("warmup") : std::to_string(i % 2), ExactNumber(b.from), ExactNumber(b.to), x0, kTop, x1 - x0,
        kHeight - kBottom - kTop, HtmlEscape(b.label)));
    absl::StrAppend(&out, absl::StrFormat(
        "<text class=\"band-label\" x=\"%.1f\" y=\"%.1f\">%s</text>", x0 + 4, kTop + 12,
        HtmlEscape(b.label)));
  }
  AppendYAxis(y_max, step, f, false, spec.y_unit, out);
  if (two_axes) AppendYAxis(y2_max, step2, f, true, spec.y2_unit, out);
  AppendXAxis(spec, f, out);
  for (size_t i = 0; i < spec.lines.size(); ++i) {
    const ChartLine& l = spec.lines[i];
    const double top = l.axis == 1 ? y2_max : y_max;
    std::string points, xs, ys;
    points.reserve(l.x.size() * 12);
    for (size_t k = 0; k < l.x.size() && k < l.y.size(); ++k) {
      if (k > 0) {
        points += ' ';
        xs += ' ';
        ys += ' ';
      }
      absl::StrAppend(&points, absl::StrFormat("%.1f,%.1f", f.px(l.x[k]), Frame::py(l.y[k], top)));
      xs += ExactNumber(l.x[k]);
      ys += ExactNumber(l.y[k]);
    }
    absl::StrAppend(&out, absl::StrFormat(
        "<polyline class=\"line\" data-name=\"%s\" data-axis=\"%d\" data-points=\"%d\" "
        "data-t=\"%s\" data-v=\"%s\" stroke=\"%s\"%s points=\"%s\"/>",
        HtmlEscape(l.name), l.axis, std::min(l.x.size(), l.y.size()), xs, ys,
        l.dots ? "none" : kPalette[i % std::size(kPalette)],
        l.dashed ? " stroke-dasharray=\"6 4\"" : "", points));
    for (size_t k = 0; l.dots && k < l.x.size() && k < l.y.size(); ++k) {
      absl::StrAppend(&out, absl::StrFormat(
          "<circle class=\"dot\" data-name=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
          "fill=\"%s\"/>",
          HtmlEscape(l.name), f.px(l.x[k]), Frame::py(l.y[k], top),
          kPalette[i % std::size(kPalette)]));
    }
  }
  for (const ChartMarker& m : spec.markers) {
    if (m.x < spec.x_min - 1e-9 || m.x > spec.x_max + 1e-9) continue;
    absl::StrAppend(&out, absl::StrFormat(
        "<g class=\"marker marker-%s\" data-t=\"%s\" data-kind=\"%s\"><title>%s</title>"
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/></g>",
        HtmlEscape(m.kind), ExactNumber(m.x), HtmlEscape(m.kind), HtmlEscape(m.label),
        f.px(m.x), f.px(m.x), kTop, kHeight - kBottom));
  }
  absl::StrAppend(&out, "</svg></figure>\n");
  return out;
}

}  // namespace barrage
