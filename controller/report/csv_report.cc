// Copyright 2026 The Barrage Authors.

#include "controller/report/csv_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace barrage {
namespace {

std::string Ms(uint64_t us) { return absl::StrFormat("%.3f", static_cast<double>(us) / 1000.0); }

void LatencyAndRate(std::string& out, const SeriesInterval& in, uint64_t requests,
                    const SparseHistogram& ok) {
  if (ok.count() > 0) {
    absl::StrAppend(&out, ",", Ms(ok.Quantile(0.5)), ",", Ms(ok.Quantile(0.95)), ",",
                    Ms(ok.Quantile(0.99)), ",", Ms(ok.max_us()));
  } else {
    out += ",,,,";
  }
  absl::StrAppend(&out, ",",
                  absl::StrFormat("%.3f", in.length_s > 0
                                              ? static_cast<double>(requests) / in.length_s
                                              : 0.0));
}

// `monitor`: the interval's monitor columns (",v1,v2" or ""), on every row.
void Row(std::string& out, const SeriesInterval& in, absl::string_view name,
         const std::array<uint64_t, kOutcomeCount>& outcomes, const SparseHistogram& ok,
         absl::string_view monitor) {
  uint64_t requests = 0;
  uint64_t failed = 0;
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    requests += outcomes[o];
    if (IsError(static_cast<Outcome>(o))) failed += outcomes[o];
  }
  absl::StrAppend(&out, absl::StrFormat("%.3f,%.3f,", in.start_s, in.length_s), CsvField(name),
                  ",", requests);
  for (Outcome o : {Outcome::kHttpError, Outcome::kTimeout, Outcome::kConnectError,
                    Outcome::kOther, Outcome::kAborted}) {
    absl::StrAppend(&out, ",", outcomes[static_cast<size_t>(o)]);
  }
  LatencyAndRate(out, in, requests, ok);
  absl::StrAppend(&out, ",", outcomes[static_cast<size_t>(Outcome::kCheckFailed)], ",", failed,
                  monitor, "\r\n");
}

void FlowRow(std::string& out, const SeriesInterval& in, absl::string_view name,
             const FlowInterval& f, absl::string_view monitor) {
  absl::StrAppend(&out, absl::StrFormat("%.3f,%.3f,", in.start_s, in.length_s),
                  CsvField(absl::StrCat("flow:", name)), ",", f.ended(), ",,,,,", f.aborted);
  LatencyAndRate(out, in, f.ended(), f.duration);
  absl::StrAppend(&out, ",,", f.failed, monitor, "\r\n");
}

}  // namespace

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(field);
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

std::string CsvFromSeries(const RunSeries& series) {
  std::string out =
      "time_s,length_s,request,requests,http_error,timeout,connect_error,other,aborted,"
      "p50_ms,p95_ms,p99_ms,max_ms,achieved_rps,check_failed,failed";
  // A column per monitor query (only with monitor:): the interval's mean.
  for (const std::string& name : series.monitor) {
    absl::StrAppend(&out, ",", CsvField(absl::StrCat("monitor_", name)));
  }
  out += "\r\n";
  for (const SeriesInterval& in : series.intervals) {
    std::string monitor;
    for (size_t q = 0; q < series.monitor.size(); ++q) {
      monitor += ",";
      if (q < in.monitor.size() && in.monitor[q].samples > 0) {
        absl::StrAppend(&monitor, absl::StrFormat("%.6g", in.monitor[q].mean()));
      }
    }
    std::array<uint64_t, kOutcomeCount> all{};
    for (size_t r = 0; r < series.requests.size(); ++r) {
      static const RequestInterval kEmpty;
      const RequestInterval& ri = r < in.requests.size() ? in.requests[r] : kEmpty;
      Row(out, in, series.requests[r], ri.outcomes, ri.ok, monitor);
      for (size_t o = 0; o < kOutcomeCount; ++o) all[o] += ri.outcomes[o];
    }
    Row(out, in, "all", all, in.MergedOk(), monitor);
    for (size_t f = 0; f < series.flows.size(); ++f) {
      static const FlowInterval kNoIterations;
      FlowRow(out, in, series.flows[f], f < in.flows.size() ? in.flows[f] : kNoIterations,
              monitor);
    }
  }
  return out;
}

absl::StatusOr<std::string> CsvReport(const std::string& result_json) {
  absl::StatusOr<RunSeries> series = SeriesFromResultJson(result_json);
  if (!series.ok()) return series.status();
  return CsvFromSeries(*series);
}

}  // namespace barrage
