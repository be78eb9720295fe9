// Copyright 2026 The Barrage Authors.
//
// The frame every barrage HTML page shares (the run report, html_report.h;
// the capacity report, capacity_html.h): the document head with the inline
// stylesheet (screen and print; svg_chart.h's charts, tables, the verdict
// banner) and the page's end with the inline hover script for the charts.
// Nothing in either refers outside the file. Pure functions.
#ifndef BARRAGE_CONTROLLER_REPORT_HTML_PAGE_H_
#define BARRAGE_CONTROLLER_REPORT_HTML_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace barrage {

// "<!DOCTYPE html>...<title>TITLE</title><style>...EXTRA_CSS</style></head>
// <body>": `title` is escaped here; `extra_css` (a page's own rules, after
// the shared ones) is inserted as given.
std::string HtmlPageHead(absl::string_view title, absl::string_view extra_css = "");

// The footer note, the hover script and "</body></html>".
std::string HtmlPageEnd();

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_HTML_PAGE_H_
