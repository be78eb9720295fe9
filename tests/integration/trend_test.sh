#!/usr/bin/env bash
# Run history between processes: six short runs of one scenario against
# `barrage target --delay 5ms`, then four with the target restarted at
# --delay 15ms; `barrage runs --scenario` lists that scenario's runs (and no
# other's) with their numbers, and `barrage trend` flags a change at the
# first slow run (text and JSON), and so does the HTML report of the last
# run (`barrage report RUN --format html`): its trend chart has a point per
# kept run, the trend's p50s, and the change point marked at that run.
#
# Usage: trend_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
start_target() {
  "$BARRAGE" target --listen "127.0.0.1:$T" --delay "$1" > "$WORK/target-$1.log" 2>&1 &
  TARGET=$!
  PIDS+=($TARGET)
  for _ in $(seq 100); do grep -q listening "$WORK/target-$1.log" && break; sleep 0.05; done
  grep -q listening "$WORK/target-$1.log" || fail "the target ($1) did not start"
}
start_target 5ms
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" --data "$WORK/data" \
  > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "" --workers 1 > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && break; sleep 0.1; done
"$BARRAGE" agents | grep -q '^1 agent' || fail "the agent did not connect"

cat > "$WORK/shop.yaml" <<YAML
name: shop
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 40/s}]
YAML
cat > "$WORK/other.yaml" <<YAML
name: other
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 10/s}]
YAML
RUNS=()
run_shop() {
  "$BARRAGE" run "$WORK/shop.yaml" -q --out "json=$WORK/shop-$1.json" > "$WORK/shop-$1.out" 2>&1 \
    || fail "run $1: exit $?: $(cat "$WORK/shop-$1.out")"
  RUNS+=("$(json "$WORK/shop-$1.json" 'r["run"]')")
}
for i in 1 2 3 4 5 6; do run_shop "$i"; done
"$BARRAGE" run "$WORK/other.yaml" -q > "$WORK/other.out" 2>&1 || fail "the other scenario's run"
kill "$TARGET"
wait "$TARGET" 2>/dev/null || true
start_target 15ms
for i in 7 8 9 10; do run_shop "$i"; done
FIRST_SLOW=${RUNS[6]}

"$BARRAGE" runs --scenario shop > "$WORK/runs.txt" || fail "barrage runs --scenario"
[ "$(grep -c ' shop ' "$WORK/runs.txt")" = 10 ] || fail "not 10 shop runs: $(cat "$WORK/runs.txt")"
grep -q " other " "$WORK/runs.txt" && fail "another scenario's run is listed: $(cat "$WORK/runs.txt")"
head -1 "$WORK/runs.txt" | grep -q "ERRORS  *P95  *P50  *P99  *RATE" || fail "runs header: $(head -1 "$WORK/runs.txt")"
# Newest first: the last slow run heads the list, with its numbers.
sed -n 2p "$WORK/runs.txt" | grep -q "^${RUNS[9]}  *passed  *shop .* 40  *0.00%  *1[5-9]\.[0-9]*ms .*/s$" \
  || fail "the newest run's row: $(sed -n 2p "$WORK/runs.txt")"
grep -q "^${RUNS[0]}  *passed .* [5-9]\.[0-9]*ms  *[5-9]\.[0-9]*ms  *[0-9.]*ms  *[34][0-9]\.[0-9]/s$" "$WORK/runs.txt" \
  || fail "the first run's row: $(grep "${RUNS[0]}" "$WORK/runs.txt")"
[ "$("$BARRAGE" runs --scenario shop --limit 3 | wc -l)" = 4 ] || fail "--limit 3 does not list 3 runs"
echo "ok: barrage runs --scenario lists that scenario's runs, newest first, with p50/p95/p99 and the rate"

"$BARRAGE" trend shop > "$WORK/trend.txt" || fail "barrage trend: exit $?"
grep -q "^trend of shop: 10 runs (passed or failed), oldest first$" "$WORK/trend.txt" \
  || fail "trend header: $(head -1 "$WORK/trend.txt")"
grep -q "^${RUNS[0]} " <(sed -n 3p "$WORK/trend.txt") || fail "not oldest first: $(cat "$WORK/trend.txt")"
grep -q "^$FIRST_SLOW .*<- change: p50" "$WORK/trend.txt" || fail "no change at $FIRST_SLOW: $(cat "$WORK/trend.txt")"
[ "$(grep -c '<- change' "$WORK/trend.txt")" = 1 ] || fail "changes at other runs: $(cat "$WORK/trend.txt")"
grep -q "^  $FIRST_SLOW (run 7 of 10): p50 " "$WORK/trend.txt" || fail "change list: $(cat "$WORK/trend.txt")"
"$BARRAGE" trend shop --format json > "$WORK/trend.json" || fail "barrage trend --format json"
python3 - "$WORK/trend.json" "$FIRST_SLOW" <<'PY' || fail "trend JSON: $(cat "$WORK/trend.json")"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["scenario"] == "shop" and len(t["runs"]) == 10 and t["enough_runs"], t
assert {c["run"] for c in t["changes"]} == {sys.argv[2]}, t["changes"]
p50 = [c for c in t["changes"] if c["metric"] == "p50"][0]
assert p50["after"] > 2 * p50["before"], p50
PY
"$BARRAGE" trend shop --last 4 > "$WORK/trend4.txt" || fail "barrage trend --last 4"
grep -q "not enough runs to look for changes: 4 (at least 6)" "$WORK/trend4.txt" \
  || fail "--last 4: $(cat "$WORK/trend4.txt")"
echo "ok: barrage trend flags the change at the first slow run ($FIRST_SLOW)"

"$BARRAGE" report "${RUNS[9]}" --format html -o "$WORK/last.html" > "$WORK/report.out" 2>&1 \
  || fail "barrage report --format html: $(cat "$WORK/report.out")"
python3 - "$WORK/last.html" "$WORK/trend.json" <<'PY' || fail "the report's trend chart"
import html.parser, json, sys
t = json.load(open(sys.argv[2]))
class Trend(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.lines, self.markers = False, {}, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.inside = a.get("id") == "chart-trend"
        elif self.inside and tag == "polyline":
            self.lines[a["data-name"]] = a
        elif self.inside and tag == "g" and "marker" in a.get("class", ""):
            self.markers.append((a["data-kind"], float(a["data-t"])))
    def handle_endtag(self, tag):
        if tag == "svg":
            self.inside = False
p = Trend()
p.feed(open(sys.argv[1], encoding="utf-8").read())
assert set(p.lines) == {"p50", "p95", "p99", "error_rate"}, f"trend lines: {list(p.lines)}"
runs = t["runs"]
for name, line in p.lines.items():
    assert int(line["data-points"]) == len(runs) == 10, f"{name}: {line['data-points']} points"
    assert [float(x) for x in line["data-t"].split()] == list(range(10)), f"{name}: {line['data-t']}"
got = [float(v) for v in p.lines["p50"]["data-v"].split()]
want = [r["p50_ms"] for r in runs]
assert all(abs(g - w) <= 0.0005 + 1e-9 * w for g, w in zip(got, want)), f"p50s {got} != {want}"
changed = [i for i, r in enumerate(runs) if r["change_point"]]
assert changed == [6], f"change points in the trend JSON: {changed}"
assert p.markers == [("change-point", 6.0)], f"trend chart markers: {p.markers}"
print(f"ok: the trend chart: {len(runs)} points per line, the change point at run 7")
PY
echo "ok: barrage report --format html of the last run charts the trend with its change point"
