#!/usr/bin/env python3
"""Checks a browser's DOM of the capacity report against its capacity JSON:
capacity_html_check.py DOM.html CAPACITY.json [--probe]

The answer; the charts (capacity_html.h) with as many points per line as the
JSON implies and the SLO's limits as 2-point lines at their values; the N*
marker; one resource chart per monitor query; the step table's raw numbers
equal to the JSON's. --probe: the test's probe (capacity_html_test.sh) left
<pre id="probe"> with every chart's rendered size and the page's errors:
every chart must be larger than 100 x 50 px and there must be no error."""
import html.parser
import json
import math
import sys

dom_path, json_path = sys.argv[1], sys.argv[2]
want_probe = "--probe" in sys.argv[3:]
r = json.load(open(json_path))


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id, self.charts, self.rows = {}, {}, []
        self.chart = self.in_table = self.row = self.cell = None
        self.probe, self.in_probe = "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.by_id[a["id"]] = a
        if tag == "svg" and "chart" in a.get("class", ""):
            self.chart = a["id"]
            self.charts[self.chart] = {"lines": {}, "markers": [], "dots": 0}
        elif self.chart and tag == "polyline":
            self.charts[self.chart]["lines"][a["data-name"]] = a
        elif self.chart and tag == "circle":
            self.charts[self.chart]["dots"] += 1
        elif self.chart and tag == "g" and "marker" in a.get("class", ""):
            self.charts[self.chart]["markers"].append(a)
        elif tag == "table" and a.get("id") == "table-steps":
            self.in_table = True
        elif self.in_table and tag == "tr" and "data-step" in a:
            self.row = {"class": a.get("class", "")}
            self.rows.append(self.row)
        elif self.row is not None and tag == "td":
            self.row[a.get("data-key")] = a
        elif tag == "pre" and a.get("id") == "probe":
            self.in_probe = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None
        elif tag == "table":
            self.in_table = False
        elif tag == "tr":
            self.row = None
        elif tag == "pre":
            self.in_probe = False

    def handle_data(self, data):
        if self.in_probe:
            self.probe += data


dom = Dom()
dom.feed(open(dom_path).read())
errors = []


def check(ok, what):
    if not ok:
        errors.append(what)


def close(a, b):
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def points(chart, name):
    line = dom.charts.get(chart, {}).get("lines", {}).get(name)
    check(line is not None, f"{chart}: no line {name}")
    if line is None:
        return 0, [], []
    t = [float(v) for v in line["data-t"].split()]
    v = [float(x) for x in line["data-v"].split()]
    check(int(line["data-points"]) == len(t) == len(v), f"{chart} {name}: data-points")
    return len(t), t, v


answer = dom.by_id.get("answer")
check(answer is not None, "no answer")
if answer:
    cap, shown = r["capacity_rps"], answer["data-capacity-rps"]
    check(shown == "" if cap is None else shown != "" and close(shown, cap),
          f"answer: capacity {shown!r} != {cap}")
    check(answer["data-limited-by"] == r["limited_by"], "answer: limited_by")

usl = r.get("usl") or {}
n, t, v = points("chart-throughput", "steps")
if usl.get("points"):
    check(n == len(usl["points"]), f"throughput: {n} points, want {len(usl['points'])}")
    check(t == sorted(p["n"] for p in usl["points"]), "throughput: the points' N")
    check(dom.charts["chart-throughput"]["dots"] == n, "throughput: a dot per point")
    if "sigma" in usl:
        n, t, v = points("chart-throughput", "usl")
        check(n == 200, f"usl curve: {n} points")
        s, k, lam = usl["sigma"], usl["kappa"], usl["lambda"]
        for x, y in list(zip(t, v))[1::40]:
            want = lam * x / (1 + s * (x - 1) + k * x * (x - 1))
            check(abs(y - want) <= 1e-6 * want, f"usl curve at {x}: {y} != {want}")
    if usl.get("n_star") is not None:
        m = [float(x["data-t"]) for x in dom.charts["chart-throughput"]["markers"]
             if x.get("data-kind") == "n-star"]
        check(len(m) == 1 and close(m[0], usl["n_star"]), f"N* marker {m}")
else:
    check(n == len(r["steps"]), "throughput: a point per step")
if r["capacity_rps"] is not None:
    check(points("chart-throughput", "capacity")[2] == [r["capacity_rps"]] * 2, "capacity line")

for name in ("p50", "p95", "p95 lo", "p95 hi", "p99"):
    check(points("chart-latency", name)[0] == len(r["steps"]), f"latency {name}: points")
check(points("chart-latency", "p95")[2] == [s["p95_ms"] for s in sorted(r["steps"], key=lambda s: s["load"])],
      "latency p95: the steps' p95 by load")
for limit in r["slo"]["limits"]:
    if "limit_ms" in limit:
        n, t, v = points("chart-latency", "slo " + limit["metric"])
        check(n == 2 and v == [limit["limit_ms"]] * 2, f"slo {limit['metric']}: {v}")

monitors = sorted({k for s in r["steps"] for k in s.get("monitors", {})},
                  key=lambda k: (k != "cpu", k))
for name in monitors:
    n = points("chart-monitor-" + name, "mean")[0]
    check(n == sum(1 for s in r["steps"] if name in s.get("monitors", {})), f"monitor {name}")
if "bottleneck" in r:
    check("bottleneck" in dom.by_id, "no bottleneck sentence")
if isinstance(r.get("projection"), dict) and "months" in r["projection"]:
    check(points("chart-projection", "projected peak")[0] == 61, "projection: points")
    check("projection" in dom.by_id, "no projection sentence")
if isinstance(r.get("baseline"), dict) and "verdict" in r["baseline"]:
    check(dom.by_id.get("baseline", {}).get("data-verdict") == r["baseline"]["verdict"], "baseline")

want_rows = r["steps"] + ([r["confirmation"]] if r.get("confirmation") else [])
check(len(dom.rows) == len(want_rows), f"table-steps: {len(dom.rows)} rows, want {len(want_rows)}")
for row, s in zip(dom.rows, want_rows):
    for key in ("step", "load", "offered_rps", "achieved_rps", "p50_ms", "p95_ms", "p99_ms",
                "error_rate"):
        check(close(row[key]["data-value"], s[key]), f"step {s['step']} {key}")
    check(close(row["p95_ms"]["data-lower"], s["p95_lower_ms"]), f"step {s['step']} p95 lower")
    for name, mean in s.get("monitors", {}).items():
        check(close(row["monitor." + name]["data-value"], mean), f"step {s['step']} {name}")
if r.get("confirmation"):
    check("confirmation" in dom.rows[-1]["class"], "the confirmation row")

if want_probe:
    check(dom.probe != "", "no probe output")
    if dom.probe:
        probe = json.loads(dom.probe)
        check(probe["errors"] == [], f"page errors: {probe['errors']}")
        check(set(probe["charts"]) == set(dom.charts), f"probed charts {sorted(probe['charts'])}")
        for id, (w, h) in probe["charts"].items():
            check(w > 100 and h > 50, f"{id}: rendered {w} x {h} px")

if errors:
    sys.exit("\n".join(errors[:20]))
print(f"ok: {dom_path}: {len(dom.charts)} charts, {len(dom.rows)} step rows" +
      (f", sizes {sorted((k, round(w), round(h)) for k, (w, h) in json.loads(dom.probe)['charts'].items())}"
       if want_probe and dom.probe else ""))
