// Copyright 2026 The Barrage Authors.

#include "controller/report/series_delta.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/util/json_writer.h"

namespace barrage {

absl::Status ApplySeriesDelta(SeriesDelta&& delta, SeriesDelta& into) {
  constexpr double kEps = 1e-6;
  if (delta.full) {
    into = std::move(delta);
    return absl::OkStatus();
  }
  if (std::fabs(delta.from_s - into.to_s) > kEps) {
    return absl::FailedPreconditionError(absl::StrCat(
        "series delta: follows a series that ended at ", delta.from_s, " s, not ", into.to_s, " s"));
  }
  // A merge of two time-ordered lists: an interval of the delta covers
  // (replaces) every older one it overlaps.
  std::vector<SeriesInterval>& old = into.series.intervals;
  std::vector<SeriesInterval> out;
  out.reserve(old.size() + delta.series.intervals.size());
  size_t i = 0;
  for (SeriesInterval& in : delta.series.intervals) {
    const double end = in.start_s + in.length_s;
    while (i < old.size() && old[i].start_s + old[i].length_s <= in.start_s + kEps) {
      out.push_back(std::move(old[i++]));
    }
    while (i < old.size() && old[i].start_s < end - kEps) ++i;  // covered by `in`
    out.push_back(std::move(in));
  }
  for (; i < old.size(); ++i) out.push_back(std::move(old[i]));
  old = std::move(out);
  into.series.interval_s = delta.series.interval_s;
  into.series.requests = std::move(delta.series.requests);
  into.series.flows = std::move(delta.series.flows);
  into.series.monitor = std::move(delta.series.monitor);
  into.series.coarsened = std::move(delta.series.coarsened);
  into.to_s = delta.to_s;
  return absl::OkStatus();
}

std::string WithSeriesJson(const std::string& result_json, const RunSeries& series) {
  JsonWriter j;
  j.BeginObject();
  j.Key("series");
  WriteSeriesJson(series, j);
  j.EndObject();
  // Both are compact objects: drop the result's closing brace (and the
  // newline after it) and the series' opening one, and join them.
  const size_t close = result_json.rfind('}');
  if (close == std::string::npos || close == 0) return result_json;
  const std::string& s = j.text();
  const char* comma = result_json[close - 1] == '{' ? "" : ",";
  return absl::StrCat(result_json.substr(0, close), comma, s.substr(1), "\n");
}

}  // namespace barrage
