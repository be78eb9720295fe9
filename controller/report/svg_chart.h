// Copyright 2026 The Barrage Authors.
//
// The HTML report's building blocks: HTML escaping, exact number text for
// data attributes, and line charts drawn as inline SVG (so they show with
// scripts off and need nothing from the network).
//
// A chart is `<svg class="chart" id=ID data-series="a,b">` with one
// `<polyline class="line" data-name=NAME data-points=N data-t="..."
// data-v="...">` per line (the raw x and y values, space separated, for the
// DOM test and the hover script), stage bands as `<rect class="band">` and
// markers (events, change points) as `<line class="marker" data-t data-kind>`
// each with a `<title>`; a line drawn as dots also has one
// `<circle class="dot">` per point. No element refers to anything outside
// the file (no href, no url()).
//
// Pure functions; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_SVG_CHART_H_
#define BARRAGE_CONTROLLER_REPORT_SVG_CHART_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace barrage {

// `text` with & < > " ' replaced by entities: safe in text and in quoted
// attribute values.
std::string HtmlEscape(absl::string_view text);

// The shortest decimal text that reads back as exactly `value` ("12.5",
// "0.1", "3"); "" for NaN or infinities.
std::string ExactNumber(double value);

struct ChartLine {
  std::string name;        // data-name, legend label and CSS class line-NAME
  std::vector<double> x;   // in the chart's x units (s, run index, log10 1/(1-p))
  std::vector<double> y;   // parallel to x, in the axis' units
  int axis = 0;            // 0 left, 1 right
  bool dashed = false;
  // Measured points: a dot at each, and no stroke between them (the
  // polyline stays, unstroked, for its data attributes).
  bool dots = false;
};

struct ChartBand {  // a shaded x range (a stage)
  double from = 0;
  double to = 0;
  std::string label;
  // A warm-up stage: its own shade (class band-warmup) and a legend key.
  bool warmup = false;
};

struct ChartMarker {  // a vertical line at x (an event, a change point)
  double x = 0;
  std::string kind;   // data-kind and CSS class marker-KIND
  std::string label;  // the <title>
};

enum class XAxis {
  kSeconds,   // run time; ticks as m:ss
  kIndex,     // integer positions (runs of the trend), labelled by x_labels
  kTailLog,   // x = log10(1/(1-p)); ticks 90%, 99%, 99.9%, 99.99%
  kLinear,    // any number (a load, req/s, months); ticks 1, 2 or 5 x 10^k, x_unit
};

struct ChartSpec {
  std::string id;            // the <svg> id: chart-NAME
  std::string title;
  std::string y_unit;        // left axis
  std::string y2_unit;       // right axis ("" for none)
  XAxis x_axis = XAxis::kSeconds;
  double x_min = 0;
  double x_max = 1;
  std::vector<std::string> x_labels;  // kIndex: one per position
  std::string x_unit;        // kLinear: named at the axis' right end
  // The left axis' top (rounded up to a tick); 0: from the lines. Values
  // above it are drawn at the top edge (data-v keeps them as they are).
  double y_max = 0;
  std::vector<ChartLine> lines;
  std::vector<ChartBand> bands;
  std::vector<ChartMarker> markers;
  std::string note;          // shown under the title ("" for none)
};

// A <figure> holding the title, the <svg> and its legend.
std::string SvgChart(const ChartSpec& spec);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_SVG_CHART_H_
