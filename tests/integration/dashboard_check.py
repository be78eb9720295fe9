#!/usr/bin/env python3
"""Checks deploy/grafana/barrage.json: it parses, panel ids are unique, every
panel and query uses the DS_PROMETHEUS datasource variable, no quantile gauge
is averaged or aggregated, and queries.txt holds exactly its expressions
(with Grafana variables substituted), which the Prometheus integration test
evaluates against a real server."""
import json
import re
import sys

root = sys.argv[1]
d = json.load(open(f"{root}/deploy/grafana/barrage.json"))
assert any(v["name"] == "DS_PROMETHEUS" and v["type"] == "datasource"
           for v in d["templating"]["list"]), "no DS_PROMETHEUS variable"

panels, exprs = [], []
def walk(o):
    if isinstance(o, dict):
        if "gridPos" in o and "type" in o:
            panels.append(o)
        for k, v in o.items():
            if k == "expr" and isinstance(v, str):
                exprs.append(v)
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(d)  # panels, and the expressions of annotations and variables too
ids = [p["id"] for p in panels]
assert len(ids) == len(set(ids)), f"duplicate panel ids: {ids}"
for p in panels:
    if p["type"] in ("text", "row"):
        continue
    assert p.get("datasource", {}).get("uid") == "${DS_PROMETHEUS}", f"panel {p['id']} datasource"
for e in exprs:
    # Never average (or sum, or max) exact quantile gauges across series.
    assert not re.search(r"(avg|sum|max|min)\s*(by\s*\([^)]*\)\s*)?\(\s*barrage_request_duration_quantile", e), e
subs = {"$run": ".*", "$request": ".*", "$scenario": ".*", "$__rate_interval": "1m", "$__interval": "15s"}
want = []
for e in exprs:
    for k, v in subs.items():
        e = e.replace(k, v)
    e = " ".join(e.split())
    if e not in want:
        want.append(e)
have = [l for l in open(f"{root}/deploy/grafana/queries.txt").read().splitlines() if l]
assert have == want, "queries.txt is stale: regenerate it from barrage.json"
print(f"ok: {len(panels)} panels, {len(want)} distinct expressions")
