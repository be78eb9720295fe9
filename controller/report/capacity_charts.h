// Copyright 2026 The Barrage Authors.
//
// The capacity report's charts (capacity_html.h says what each shows and
// how it is marked up), each drawn from the parsed capacity JSON, read
// leniently (result_doc.h): the caller has checked the version and steps.
// Pure functions; no threads.
#ifndef BARRAGE_CONTROLLER_REPORT_CAPACITY_CHARTS_H_
#define BARRAGE_CONTROLLER_REPORT_CAPACITY_CHARTS_H_

#include <string>
#include <vector>

#include "controller/report/result_doc.h"

namespace barrage {
namespace capacity_charts {

// chart-throughput: achieved rate against N (with usl.points) or the load.
std::string Throughput(const result_doc::Struct& capacity);
// chart-latency: p50, p95 with its interval, p99 and the SLO's limits.
std::string Latency(const result_doc::Struct& capacity);
// The monitor queries named in steps[].monitors: "cpu" first, then by name.
std::vector<std::string> MonitorNames(const result_doc::Struct& capacity);
// chart-monitor-NAME: the query's step means against the achieved rate.
std::string Monitor(const result_doc::Struct& capacity, const std::string& name);
// chart-projection: the projected peak over months against the capacity;
// "" unless "projection" has its numbers and a capacity was found.
std::string Projection(const result_doc::Struct& capacity);

}  // namespace capacity_charts
}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_REPORT_CAPACITY_CHARTS_H_
