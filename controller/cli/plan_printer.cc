// Copyright 2026 The Barrage Authors.

#include "controller/cli/plan_printer.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/scenario/traffic_fields.h"

namespace barrage {
namespace {

// A table with left-aligned columns separated by two spaces.
class Table {
 public:
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string Render(const std::string& indent) const {
    std::vector<size_t> width;
    for (const auto& row : rows_) {
      width.resize(std::max(width.size(), row.size()), 0);
      for (size_t i = 0; i < row.size(); ++i) {
        width[i] = std::max(width[i], row[i].size());
      }
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line = indent;
      for (size_t i = 0; i < row.size(); ++i) {
        absl::StrAppend(&line, row[i]);
        if (i + 1 < row.size()) {
          line.append(width[i] - row[i].size() + 2, ' ');
        }
      }
      absl::StrAppend(&out, line, "\n");
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string DescribeStageLoad(const Stage& s) {
  switch (s.kind) {
    case Stage::Kind::kRate:
      return DescribeRate(s.rate_from);
    case Stage::Kind::kRateRamp:
      return absl::StrCat(DescribeRate(s.rate_from), " -> ",
                          DescribeRate(s.rate_to));
    case Stage::Kind::kVus:
      return absl::StrCat(s.vus_from, " VUs, think ", HumanDuration(s.think));
    case Stage::Kind::kVusRamp:
      return absl::StrCat(s.vus_from, " -> ", s.vus_to, " VUs, think ",
                          HumanDuration(s.think));
  }
  return "";
}

std::string DescribeExpect(const RequestSpec& r) {
  if (r.expect_status.empty()) return "2xx/3xx";
  std::vector<std::string> codes;
  for (int c : r.expect_status) codes.push_back(absl::StrCat(c));
  return absl::StrJoin(codes, ",");
}

std::string Percent(double fraction) {
  return absl::StrFormat("%.1f%%", fraction * 100.0);
}

// "latency 50ms +- 10ms, bandwidth 2Mbit/s"; "none" when it emulates nothing.
std::string DescribeNetwork(const NetworkProfile& n) {
  std::vector<std::string> parts;
  if (n.latency > absl::ZeroDuration() || n.jitter > absl::ZeroDuration()) {
    std::string latency = absl::StrCat("latency ", HumanDuration(n.latency));
    if (n.jitter > absl::ZeroDuration()) {
      absl::StrAppend(&latency, " +- ", HumanDuration(n.jitter));
    }
    parts.push_back(std::move(latency));
  }
  if (n.bandwidth_bps > 0) {
    parts.push_back(absl::StrCat("bandwidth ", FormatBandwidth(n.bandwidth_bps)));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

std::string DescribeCaptures(const FlowStep& st) {
  if (st.captures.empty()) return "-";
  std::vector<std::string> parts;
  for (const Capture& c : st.captures) {
    parts.push_back(c.kind == Capture::Kind::kStatus
                        ? absl::StrCat(c.var, "=status")
                        : absl::StrCat(c.var, "=", CaptureKindName(c.kind), " ", c.expr));
  }
  return absl::StrJoin(parts, "; ");
}

std::string DescribeChecks(const FlowStep& st) {
  if (st.checks.empty()) return "-";
  std::vector<std::string> parts;
  for (const Check& c : st.checks) {
    if (c.kind == Check::Kind::kStatus) {
      parts.push_back(absl::StrCat("status ", absl::StrJoin(c.statuses, ",")));
    } else if (c.kind == Check::Kind::kMaxDuration) {
      parts.push_back(absl::StrCat("max_duration ", HumanDuration(c.max_duration)));
    } else {
      parts.push_back(c.name);
    }
  }
  return absl::StrJoin(parts, "; ");
}

std::string RenderFlows(const Scenario& s) {
  std::string out = "\nflows\n";
  const double total_weight = static_cast<double>(s.TotalWeight());
  for (const FlowSpec& f : s.flows) {
    absl::StrAppend(&out, "  ", f.name, "  weight ", f.weight, " (",
                    Percent(static_cast<double>(f.weight) / total_weight), "), ",
                    f.steps.size(), f.steps.size() == 1 ? " step" : " steps",
                    f.cookies ? ", cookies" : "");
    if (f.network.has_value()) {
      absl::StrAppend(&out, ", network ", DescribeNetwork(*f.network));
    }
    absl::StrAppend(&out, "\n");
    Table steps;
    steps.Row({"#", "step", "method", "path", "timeout", "expect", "think", "capture",
               "check"});
    for (size_t j = 0; j < f.steps.size(); ++j) {
      const FlowStep& st = f.steps[j];
      steps.Row({absl::StrCat(j), st.step, st.request.method, st.request.path,
                 HumanDuration(st.request.timeout), DescribeExpect(st.request),
                 st.think.kind == ThinkTime::Kind::kNone ? "-" : FormatThink(st.think),
                 DescribeCaptures(st), DescribeChecks(st)});
    }
    absl::StrAppend(&out, steps.Render("    "));
  }
  return out;
}

std::string RenderData(const Scenario& s) {
  std::string out = "\ndata\n";
  Table data;
  data.Row({"name", "file", "format", "mode", "on_end", "rows"});
  for (const DataSource& d : s.data) {
    data.Row({d.name, d.file, DataFormatName(d.format), DataModeName(d.mode),
              DataOnEndName(d.on_end),
              d.rows > 0 || !d.columns.empty() ? absl::StrCat(d.rows) : "not read"});
  }
  absl::StrAppend(&out, data.Render("  "));
  return out;
}

}  // namespace

std::string DescribeRate(Rational per_second) {
  const Rational per_minute = per_second * Rational::FromInt(60);
  const Rational per_hour = per_second * Rational::FromInt(3600);
  if (per_second.den() == 1) return absl::StrCat(per_second.num(), "/s");
  if (per_minute.den() == 1) {
    return absl::StrCat(per_minute.num(), "/min (", FormatRate(per_second), ")");
  }
  if (per_hour.den() == 1) {
    return absl::StrCat(per_hour.num(), "/h (", FormatRate(per_second), ")");
  }
  return FormatRate(per_second);
}

std::string RenderPlan(const Scenario& s) {
  std::string out;
  int64_t planned = 0;
  for (const Stage& st : s.stages) planned += st.Arrivals();
  absl::StrAppend(&out, "scenario   ", s.name, "\n");
  if (!s.description.empty()) {
    absl::StrAppend(&out, "about      ", s.description, "\n");
  }
  absl::StrAppend(&out, "target     ", s.target.url, " (HTTP/",
                  s.http == HttpVersion::kHttp2 ? "2" : "1.1");
  if (s.h2_connections.has_value() || s.h2_max_streams.has_value()) {
    absl::StrAppend(&out, ", ",
                    s.h2_connections.has_value() ? absl::StrCat(*s.h2_connections) : "auto",
                    " connections x ", s.h2_max_streams.value_or(kDefaultH2MaxStreams),
                    " streams per worker");
  }
  absl::StrAppend(&out, ")\n");
  if (s.network.has_value()) {
    absl::StrAppend(&out, "network    ", DescribeNetwork(*s.network), "\n");
  }
  absl::StrAppend(&out, "agents     at least ", s.agents.min, ", wait up to ",
                  HumanDuration(s.agents.wait), ", on loss ",
                  OnLossName(s.agents.on_loss), "\n");
  absl::StrAppend(&out, "duration   ", HumanDuration(s.TotalDuration()), "\n");
  absl::StrAppend(&out, "load       ");
  std::vector<std::string> load;
  if (!s.PeakRate().is_zero()) {
    load.push_back(absl::StrCat(planned, " arrivals planned, peak ",
                                DescribeRate(s.PeakRate())));
  }
  if (s.PeakVus() > 0) {
    load.push_back(absl::StrCat("peak ", s.PeakVus(), " VUs"));
  }
  absl::StrAppend(&out, absl::StrJoin(load, "; "), "\n");

  if (!s.data.empty()) absl::StrAppend(&out, RenderData(s));
  if (!s.flows.empty()) absl::StrAppend(&out, RenderFlows(s));
  if (!s.requests.empty() || s.flows.empty()) absl::StrAppend(&out, "\nrequests\n");
  Table requests;
  requests.Row({"name", "method", "path", "weight", "share", "timeout",
                "expect", "body"});
  const double total_weight = static_cast<double>(s.TotalWeight());
  for (const RequestSpec& r : s.requests) {
    requests.Row({r.name, r.method, r.path, absl::StrCat(r.weight),
                  Percent(static_cast<double>(r.weight) / total_weight),
                  HumanDuration(r.timeout), DescribeExpect(r),
                  r.body.empty() ? "-" : absl::StrCat(r.body.size(), " B")});
  }
  if (!s.requests.empty() || s.flows.empty()) absl::StrAppend(&out, requests.Render("  "));

  absl::StrAppend(&out, "\nstages\n");
  Table stages;
  stages.Row({"#", "start", "duration", "model", "load", "arrivals"});
  absl::Duration start;
  for (size_t i = 0; i < s.stages.size(); ++i) {
    const Stage& st = s.stages[i];
    stages.Row({absl::StrCat(i), HumanDuration(start),
                HumanDuration(st.duration), st.is_open() ? "open" : "closed",
                DescribeStageLoad(st),
                st.is_open() ? absl::StrCat(st.Arrivals())
                             : "-"});
    start += st.duration;
  }
  absl::StrAppend(&out, stages.Render("  "));

  absl::StrAppend(&out, "\nthresholds\n");
  if (s.thresholds.empty()) absl::StrAppend(&out, "  (none)\n");
  for (const Threshold& t : s.thresholds) {
    absl::StrAppend(&out, "  ", t.Expression(), "\n");
  }
  return out;
}

std::string RenderSplit(const Scenario& s, const SplitPlan& plan, int64_t max_in_flight) {
  std::string out = absl::StrCat(
      "split of '", s.name, "' across ", plan.shares.size(),
      " agent(s); arrivals dealt in a period of ", plan.period,
      " so that the merged stream equals one generator's\n\n");
  Table t;
  std::vector<std::string> header = {"stage", "plan"};
  for (const Share& sh : plan.shares) header.push_back(sh.agent_id);
  header.push_back("sum");
  t.Row(header);
  for (size_t i = 0; i < s.stages.size(); ++i) {
    const Stage& st = s.stages[i];
    std::vector<std::string> row = {
        absl::StrCat(i), absl::StrCat(DescribeStageLoad(st), " for ",
                                      HumanDuration(st.duration))};
    if (st.is_open()) {
      int64_t sum = 0;
      for (const Share& sh : plan.shares) {
        const StageShare& ss = sh.stages[i];
        std::string rate = FormatRate(ss.rate_from);
        if (ss.rate_to != ss.rate_from) {
          absl::StrAppend(&rate, "->", FormatRate(ss.rate_to));
        }
        row.push_back(absl::StrCat(rate, " ", ss.arrivals, " req"));
        sum += ss.arrivals;
      }
      row.push_back(absl::StrCat(sum, " req"));
    } else {
      int64_t from = 0;
      int64_t to = 0;
      for (const Share& sh : plan.shares) {
        const StageShare& ss = sh.stages[i];
        row.push_back(ss.vus_from == ss.vus_to
                          ? absl::StrCat(ss.vus_from, " VUs")
                          : absl::StrCat(ss.vus_from, "->", ss.vus_to, " VUs"));
        from += ss.vus_from;
        to += ss.vus_to;
      }
      row.push_back(from == to ? absl::StrCat(from, " VUs")
                               : absl::StrCat(from, "->", to, " VUs"));
    }
    t.Row(row);
  }
  std::vector<std::string> totals = {"total", "open-model arrivals"};
  int64_t sum = 0;
  for (const Share& sh : plan.shares) {
    totals.push_back(absl::StrCat(sh.total_arrivals, " req (",
                                  Percent(sh.fraction.ToDouble()), ")"));
    sum += sh.total_arrivals;
  }
  totals.push_back(absl::StrCat(sum, " req"));
  t.Row(totals);
  if (s.PeakVus() > 0) {
    std::vector<std::string> peak = {"peak", "VUs at once (connections)"};
    for (const Share& sh : plan.shares) {
      peak.push_back(absl::StrCat(PeakVusOf(plan, sh.index, s), " VUs"));
    }
    peak.push_back(absl::StrCat(s.PeakVus(), " VUs"));
    t.Row(peak);
  }
  absl::StrAppend(&out, t.Render(""));
  if (max_in_flight > 0 && s.PeakVus() > 0) {
    absl::StrAppend(&out, "\nevery VU has its connection: each agent holds at most ",
                    max_in_flight, " (--max-in-flight)\n");
  }
  return out;
}

}  // namespace barrage
