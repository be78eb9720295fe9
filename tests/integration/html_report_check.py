#!/usr/bin/env python3
"""Checks a browser's DOM of the HTML report against its result JSON:
html_report_check.py DOM.html RESULT.json [--baseline] [--series]

The verdict; every chart with one polyline per name in its data-series and,
when the result has a series, as many points as intervals (rates; latency:
intervals with an ok result; at most 1000); stage bands and event markers on
every time chart; the requests, totals, thresholds and agents tables' raw
numbers equal to the JSON's. --series: the result must have a non-empty series
(at most 1000 intervals, so nothing is decimated) and the rate chart's
achieved_rps line must be its intervals' achieved_rps, in order (within the
JSON's rounding, 3 decimals)."""
import html.parser
import json
import sys

dom_path, json_path = sys.argv[1], sys.argv[2]
want_baseline = "--baseline" in sys.argv[3:]
want_series = "--series" in sys.argv[3:]
r = json.load(open(json_path))


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id, self.charts, self.rows = {}, {}, {}
        self.chart = self.table = self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.by_id[a["id"]] = (tag, a)
        if tag == "svg" and "chart" in a.get("class", ""):
            self.chart = a["id"]
            self.charts[self.chart] = {"attrs": a, "lines": {}, "bands": 0, "markers": []}
        elif self.chart and tag == "polyline":
            self.charts[self.chart]["lines"][a["data-name"]] = a
        elif self.chart and tag == "rect" and "band" in a.get("class", ""):
            self.charts[self.chart]["bands"] += 1
        elif self.chart and tag == "g" and "marker" in a.get("class", ""):
            self.charts[self.chart]["markers"].append(a["data-kind"])
        elif tag == "table":
            self.table = a.get("id")
            self.rows[self.table] = []
        elif tag == "tr" and self.table:
            self.row = {"attrs": a, "cells": {}}
            self.rows[self.table].append(self.row)
        elif tag == "td" and self.row is not None and "data-value" in a:
            self.row["cells"][a["data-key"]] = float(a["data-value"])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        elif tag == "table":
            self.table = None
        elif tag == "tr":
            self.row = None


d = Dom()
d.feed(open(dom_path, encoding="utf-8").read())


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


tag, verdict = d.by_id.get("verdict", (None, {}))
status = r.get("status") if r.get("status") in ("passed", "failed", "aborted") else "error"
check(verdict.get("data-status") == status, f"verdict {verdict} for status {r.get('status')}")
if "exit_code" in r:
    check(verdict.get("data-exit-code") == str(r["exit_code"]), "the exit code")

series = r.get("series")
intervals = series["intervals"] if series else []
time_charts = ["chart-rate", "chart-latency", "chart-errors", "chart-fleet"]
for cid in time_charts + ["chart-distribution"]:
    check(cid in d.charts, f"{cid} is missing")
    c = d.charts[cid]
    names = c["attrs"]["data-series"].split(",")
    check(set(names) == set(c["lines"]), f"{cid}: lines {list(c['lines'])} for {names}")
    for name, line in c["lines"].items():
        n = int(line["data-points"])
        t = line["data-t"].split()
        check(len(t) == n and len(line["data-v"].split()) == n, f"{cid}/{name}: {n} points")
        check(n <= 1000, f"{cid}/{name}: {n} points")
        if not series or cid == "chart-distribution":
            continue
        if cid == "chart-latency":
            want = sum(1 for i in intervals
                       if any(x.get("h") for x in i["r"])) if len(intervals) <= 1000 else None
        else:
            want = len(intervals) if len(intervals) <= 1000 else None
        check(n > 0 and (want is None or n == want), f"{cid}/{name}: {n} points, want {want}")
for cid in time_charts:
    c = d.charts[cid]
    check(c["bands"] == len(r.get("stages", [])), f"{cid}: {c['bands']} stage bands")
    kinds = sorted(e["kind"] for e in r.get("events", []))
    check(sorted(c["markers"]) == kinds, f"{cid}: markers {c['markers']} for events {kinds}")
if series:
    check(int(d.charts["chart-distribution"]["lines"]["run"]["data-points"]) == 61,
          "the distribution's points")
if want_series:
    check(0 < len(intervals) <= 1000, f"a series of {len(intervals)} intervals")
    achieved = d.charts["chart-rate"]["lines"].get("achieved_rps")
    check(achieved is not None, "the rate chart has no achieved_rps line")
    values = [float(v) for v in achieved["data-v"].split()]
    want = [i["achieved_rps"] for i in intervals]
    check(len(values) == len(want), f"achieved_rps: {len(values)} points for {len(want)} intervals")
    for k, (got, exp) in enumerate(zip(values, want)):
        check(abs(got - exp) <= 0.0005 + 1e-9 * abs(exp),
              f"achieved_rps of interval {k}: {got} in the chart, {exp} in the series")
    check(sum(want) > 0, "the real run's achieved rate is all zero")
if want_baseline:
    check("baseline" in d.charts["chart-distribution"]["lines"], "the baseline line")

# Tables: the raw numbers equal the JSON's.
rows = {row["attrs"].get("data-request"): row["cells"] for row in d.rows["table-requests"]}
order = r.get("request_order") or sorted(r["requests"])
for name in order:
    q = r["requests"][name]
    cells = rows.get(name)
    check(cells is not None, f"no row for request {name!r}")
    for key in ("requests", "ok", "errors"):
        check(cells[key] == q[key], f"{name}.{key}: {cells[key]} != {q[key]}")
    for key in ("p50", "p90", "p95", "p99", "p999", "max"):
        check(cells[key] == q["latency_ms"][key], f"{name}.{key}")
totals = {k: v for row in d.rows["table-totals"] for k, v in row["cells"].items()}
for key in ("requests", "errors", "error_rate", "rps"):
    check(totals[key] == r["totals"][key], f"totals.{key}: {totals[key]} != {r['totals'][key]}")
for name, n in r["outcomes"].items():
    check(totals["outcome_" + name] == n, f"outcomes.{name}")
thresholds = [row for row in d.rows["table-thresholds"] if row["attrs"].get("class")]
check(len(thresholds) == len(r.get("thresholds", [])), "threshold rows")
for row, t in zip(thresholds, r.get("thresholds", [])):
    check(row["attrs"]["class"] == ("pass" if t["passed"] else "fail"), f"threshold {t['expr']}")
    key = "value_ms" if "value_ms" in t else "value"
    if t.get(key) is not None:
        check(row["cells"][key] == t[key], f"threshold {t['expr']} value")
agents = {row["attrs"]["data-agent"]: row["cells"] for row in d.rows["table-agents"]
          if "data-agent" in row["attrs"]}
for a in r.get("agents", []):
    cells = agents.get(a["id"])
    check(cells is not None, f"no row for agent {a['id']!r}")
    for key in ("requests", "errors", "cpu_seconds", "schedule_lag_p99_ms", "saturated_intervals"):
        check(cells[key] == a[key], f"agent {a['id']}.{key}")
print(f"ok: {dom_path}: verdict, {len(d.charts)} charts, {len(order)} requests, "
      f"{len(agents)} agents, {len(intervals)} intervals")
