// Copyright 2026 The Barrage Authors.

#include "controller/report/time_series.h"

#include <cmath>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "barrage/v1/stats.pb.h"
#include "controller/report/result_doc.h"

namespace barrage {
namespace {

using result_doc::Field;
using result_doc::Has;
using result_doc::Num;
using result_doc::Obj;
using result_doc::Struct;
using result_doc::Value;

// A JSON number that must be a non-negative integer (exact below 2^53).
absl::StatusOr<uint64_t> CountValue(const Value& v, const std::string& where) {
  const double x = v.number_value();
  if (v.kind_case() != Value::kNumberValue || !(x >= 0) || x > 9007199254740992.0 ||
      std::floor(x) != x) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": expected a count (a non-negative integer)"));
  }
  return static_cast<uint64_t>(x);
}

absl::StatusOr<SparseHistogram> HistogramFromBase64(const Value& v, const std::string& where) {
  std::string bytes;
  v1::HistogramSnapshot snapshot;
  if (!absl::Base64Unescape(v.string_value(), &bytes) || !snapshot.ParseFromString(bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not a base64 histogram snapshot"));
  }
  absl::StatusOr<SparseHistogram> h = SparseHistogram::FromSnapshot(snapshot);
  if (!h.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", h.status().message()));
  return h;
}

absl::StatusOr<FlowInterval> FlowFromJson(const Struct& f, const std::string& where) {
  FlowInterval out;
  const auto& counts = Field(f, "n").list_value().values();
  if (counts.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".n: more than 4 counts"));
  }
  uint64_t* const fields[] = {&out.started, &out.succeeded, &out.failed, &out.aborted};
  for (int i = 0; i < counts.size(); ++i) {
    absl::StatusOr<uint64_t> n = CountValue(counts[i], absl::StrCat(where, ".n[", i, "]"));
    if (!n.ok()) return n.status();
    *fields[i] = *n;
  }
  if (Has(f, "h")) {
    absl::StatusOr<SparseHistogram> h =
        HistogramFromBase64(Field(f, "h"), absl::StrCat(where, ".h"));
    if (!h.ok()) return h.status();
    if (h->count() > out.succeeded) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".h: more values than succeeded iterations"));
    }
    out.duration = *std::move(h);
  }
  return out;
}

void WriteFlowJson(const FlowInterval& f, v1::HistogramSnapshot& snapshot, JsonWriter& json) {
  json.BeginObject();
  const uint64_t counts[] = {f.started, f.succeeded, f.failed, f.aborted};
  size_t last = 4;
  while (last > 0 && counts[last - 1] == 0) --last;
  if (last > 0) {
    json.Key("n").BeginArray();
    for (size_t i = 0; i < last; ++i) json.Uint(counts[i]);
    json.EndArray();
  }
  if (f.duration.count() > 0) {
    f.duration.ToSnapshot(&snapshot);
    json.Key("h").String(absl::Base64Escape(snapshot.SerializeAsString()));
  }
  json.EndObject();
}

absl::StatusOr<RequestInterval> RequestFromJson(const Struct& r, const std::string& where) {
  RequestInterval out;
  const auto& outcomes = Field(r, "o").list_value().values();
  if (static_cast<size_t>(outcomes.size()) > kOutcomeCount) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".o: more than ", kOutcomeCount,
                                                   " outcomes"));
  }
  for (int i = 0; i < outcomes.size(); ++i) {
    absl::StatusOr<uint64_t> n = CountValue(outcomes[i], absl::StrCat(where, ".o[", i, "]"));
    if (!n.ok()) return n.status();
    out.outcomes[i] = *n;
  }
  for (const auto& [key, v] : Obj(r, "s").fields()) {
    uint32_t status = 0;
    if (!absl::SimpleAtoi(key, &status) || status > 999) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".s: \"", key, "\" is not an HTTP status"));
    }
    absl::StatusOr<uint64_t> n = CountValue(v, absl::StrCat(where, ".s.", key));
    if (!n.ok()) return n.status();
    out.statuses[status] = *n;
  }
  if (Has(r, "h")) {
    absl::StatusOr<SparseHistogram> h =
        HistogramFromBase64(Field(r, "h"), absl::StrCat(where, ".h"));
    if (!h.ok()) return h.status();
    if (h->count() > out.outcomes[static_cast<size_t>(Outcome::kOk)]) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".h: more values than ok results"));
    }
    out.ok = *std::move(h);
  }
  return out;
}

}  // namespace

void FlowInterval::Add(const FlowInterval& other) {
  started += other.started;
  succeeded += other.succeeded;
  failed += other.failed;
  aborted += other.aborted;
  if (other.duration.count() > 0) duration.Merge(other.duration);
}

uint64_t RequestInterval::requests() const {
  uint64_t n = 0;
  for (uint64_t c : outcomes) n += c;
  return n;
}

uint64_t RequestInterval::errors() const {
  uint64_t n = 0;
  for (size_t o = 0; o < kOutcomeCount; ++o) {
    if (IsError(static_cast<Outcome>(o))) n += outcomes[o];
  }
  return n;
}

SparseHistogram SeriesInterval::MergedOk() const {
  SparseHistogram out;
  for (const RequestInterval& r : requests) out.Merge(r.ok);
  return out;
}

uint64_t SeriesInterval::Requests() const {
  uint64_t n = 0;
  for (const RequestInterval& r : requests) n += r.requests();
  return n;
}

uint64_t SeriesInterval::Errors() const {
  uint64_t n = 0;
  for (const RequestInterval& r : requests) n += r.errors();
  return n;
}

void WriteSeriesJson(const RunSeries& series, JsonWriter& json) {
  json.BeginObject();
  json.Key("interval_s").Double(series.interval_s, 3);
  json.Key("requests").BeginArray();
  for (const std::string& name : series.requests) json.String(name);
  json.EndArray();
  if (!series.flows.empty()) {
    json.Key("flows").BeginArray();
    for (const std::string& name : series.flows) json.String(name);
    json.EndArray();
  }
  json.Key("outcomes").BeginArray();
  for (size_t o = 0; o < kOutcomeCount; ++o) json.String(OutcomeName(static_cast<Outcome>(o)));
  json.EndArray();
  if (!series.monitor.empty()) {
    json.Key("monitor").BeginArray();
    for (const std::string& name : series.monitor) json.String(name);
    json.EndArray();
  }
  json.Key("coarsened").BeginArray();
  for (const SeriesCoarsening& c : series.coarsened) {
    json.BeginObject();
    json.Key("before_s").Double(c.before_s, 3);
    json.Key("length_s").Double(c.length_s, 3);
    json.Key("digits").Int(c.digits);
    json.Key("reason").String(c.reason);
    json.EndObject();
  }
  json.EndArray();
  json.Key("intervals").BeginArray();
  v1::HistogramSnapshot snapshot;
  for (const SeriesInterval& in : series.intervals) {
    json.BeginObject();
    json.Key("t").Double(in.start_s, 3);
    json.Key("len").Double(in.length_s, 3);
    json.Key("offered_rps").Double(in.offered_rps, 3);
    json.Key("achieved_rps").Double(in.achieved_rps, 3);
    json.Key("agents").Int(in.agents);
    json.Key("vus").Int(in.vus);
    if (in.warmup) json.Key("warmup").Bool(true);
    if (!series.monitor.empty() && !in.monitor.empty()) {
      json.Key("m").BeginArray();
      for (size_t q = 0; q < series.monitor.size(); ++q) {
        if (q < in.monitor.size() && in.monitor[q].samples > 0) {
          json.Double(in.monitor[q].mean(), 6);
        } else {
          json.Null();
        }
      }
      json.EndArray();
    }
    json.Key("r").BeginArray();
    for (const RequestInterval& r : in.requests) {
      json.BeginObject();
      size_t last = kOutcomeCount;
      while (last > 0 && r.outcomes[last - 1] == 0) --last;
      if (last > 0) {
        json.Key("o").BeginArray();
        for (size_t o = 0; o < last; ++o) json.Uint(r.outcomes[o]);
        json.EndArray();
      }
      if (!r.statuses.empty()) {
        json.Key("s").BeginObject();
        for (const auto& [status, n] : r.statuses) json.Key(absl::StrCat(status)).Uint(n);
        json.EndObject();
      }
      if (r.ok.count() > 0) {
        r.ok.ToSnapshot(&snapshot);
        json.Key("h").String(absl::Base64Escape(snapshot.SerializeAsString()));
      }
      json.EndObject();
    }
    json.EndArray();
    if (!series.flows.empty()) {
      json.Key("f").BeginArray();
      for (size_t f = 0; f < series.flows.size(); ++f) {
        static const FlowInterval kEmpty;
        WriteFlowJson(f < in.flows.size() ? in.flows[f] : kEmpty, snapshot, json);
      }
      json.EndArray();
    }
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

absl::StatusOr<RunSeries> SeriesFromJson(const Struct& series) {
  RunSeries out;
  out.interval_s = Num(series, "interval_s");
  if (!(out.interval_s > 0)) {
    return absl::InvalidArgumentError("series.interval_s: expected a positive number");
  }
  for (const Value& v : Field(series, "requests").list_value().values()) {
    out.requests.push_back(v.string_value());
  }
  for (const Value& v : Field(series, "flows").list_value().values()) {
    out.flows.push_back(v.string_value());
  }
  for (const Value& v : Field(series, "monitor").list_value().values()) {
    out.monitor.push_back(v.string_value());
  }
  for (const Value& v : Field(series, "coarsened").list_value().values()) {
    const Struct& c = v.struct_value();
    SeriesCoarsening sc;
    sc.before_s = Num(c, "before_s");
    sc.length_s = Num(c, "length_s");
    sc.digits = static_cast<int>(Num(c, "digits"));
    sc.reason = Field(c, "reason").string_value();
    out.coarsened.push_back(std::move(sc));
  }
  const auto& intervals = Field(series, "intervals").list_value().values();
  out.intervals.reserve(intervals.size());
  double end_s = -1e300;
  for (int i = 0; i < intervals.size(); ++i) {
    const Struct& in = intervals[i].struct_value();
    const std::string where = absl::StrCat("series.intervals[", i, "]");
    SeriesInterval si;
    si.start_s = Num(in, "t");
    si.length_s = Num(in, "len");
    if (!(si.length_s > 0) || !(si.start_s >= end_s - 1e-6)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": intervals must have a positive length and be in time order"));
    }
    end_s = si.start_s + si.length_s;
    si.offered_rps = Num(in, "offered_rps");
    si.achieved_rps = Num(in, "achieved_rps");
    si.agents = static_cast<int32_t>(Num(in, "agents"));
    si.vus = static_cast<int64_t>(Num(in, "vus"));
    si.warmup = Field(in, "warmup").bool_value();
    const auto& ms = Field(in, "m").list_value().values();
    if (static_cast<size_t>(ms.size()) > out.monitor.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".m: ", ms.size(),
                                                     " entries for ", out.monitor.size(),
                                                     " monitor queries"));
    }
    if (!out.monitor.empty()) si.monitor.resize(out.monitor.size());
    for (int q = 0; q < ms.size(); ++q) {
      if (ms[q].has_number_value()) si.monitor[q] = {ms[q].number_value(), 1};
    }
    const auto& rs = Field(in, "r").list_value().values();
    if (static_cast<size_t>(rs.size()) > out.requests.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".r: ", rs.size(),
                                                     " entries for ", out.requests.size(),
                                                     " requests"));
    }
    si.requests.resize(out.requests.size());
    for (int r = 0; r < rs.size(); ++r) {
      absl::StatusOr<RequestInterval> ri =
          RequestFromJson(rs[r].struct_value(), absl::StrCat(where, ".r[", r, "]"));
      if (!ri.ok()) return ri.status();
      si.requests[r] = *std::move(ri);
    }
    const auto& fs = Field(in, "f").list_value().values();
    if (static_cast<size_t>(fs.size()) > out.flows.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".f: ", fs.size(), " entries for ",
                                                     out.flows.size(), " flows"));
    }
    si.flows.resize(out.flows.size());
    for (int f = 0; f < fs.size(); ++f) {
      absl::StatusOr<FlowInterval> fi =
          FlowFromJson(fs[f].struct_value(), absl::StrCat(where, ".f[", f, "]"));
      if (!fi.ok()) return fi.status();
      si.flows[f] = *std::move(fi);
    }
    out.intervals.push_back(std::move(si));
  }
  return out;
}

absl::StatusOr<RunSeries> SeriesFromResultJson(const std::string& result_json) {
  absl::StatusOr<Struct> root = result_doc::ParseResultJson(result_json);
  if (!root.ok()) return root.status();
  if (!Has(*root, "series")) return absl::NotFoundError("the result has no time series");
  return SeriesFromJson(Obj(*root, "series"));
}

}  // namespace barrage
