#!/usr/bin/env bash
# A run's outputs between real processes: `barrage run --local 2` against
# `barrage target` writes --out json, junit, csv and html (the html may be
# a clear error while its renderer is a stub: then exit 1 and the others
# still written); `barrage report FILE --format csv` is the --out csv; the
# result's series sums to its totals; the JUnit validates against
# tests/testdata/junit.xsd; and a remote run (controller and agent
# processes) stores the series, which `barrage report RUN --format json`
# shows.
#
# Usage: outputs_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
XSD="$(cd "$(dirname "$0")/.." && pwd)/testdata/junit.xsd"

T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening "$WORK/target.log" && break; sleep 0.05; done

cat > "$WORK/s.yaml" <<YAML
name: outputs & <more>
target: http://127.0.0.1:$T
requests:
  - {name: home, path: /}
  - {name: slow.one, path: /, weight: 2}
stages: [{duration: 3s, rate: 40/s}]
thresholds: [{metric: p99, below: 5s}, {metric: error_rate, below: 1%}]
YAML

# series_sums FILE: the series' results equal totals.requests, and each
# interval's achieved_rps is its results / length.
series_sums() {
  python3 - "$1" <<'PY' || fail "the series of $1 does not sum to its totals"
import json, sys
r = json.load(open(sys.argv[1]))
s = r["series"]
total = 0
for i in s["intervals"]:
    n = sum(sum(x.get("o", [])) for x in i["r"])
    assert abs(i["achieved_rps"] - n / i["len"]) < 0.01, i
    total += n
assert total == r["totals"]["requests"] > 0, (total, r["totals"])
assert s["requests"] == ["home", "slow.one"], s["requests"]
assert any(i["offered_rps"] > 0 for i in s["intervals"]), "no offered rate"
PY
}

set +e
"$BARRAGE" run "$WORK/s.yaml" --local 2 -q --out "json=$WORK/A.json" --out "junit=$WORK/B.xml" \
  --out "csv=$WORK/C.csv" --out "html=$WORK/D.html" > "$WORK/local.out" 2> "$WORK/local.err"
code=$?
set -e
if grep -q -- "--out html=" "$WORK/local.err"; then
  # The renderer failed: named on stderr, exit 1, the rest still written.
  [ "$code" = 1 ] || fail "a failed html output: exit $code, want 1"
  echo "note: html: $(grep -- '--out html=' "$WORK/local.err")"
else
  [ "$code" = 0 ] || fail "run --local 2 with every output: exit $code: $(cat "$WORK/local.err")"
  grep -qi "<html" "$WORK/D.html" || fail "D.html is not HTML"
fi
for f in A.json B.xml C.csv; do [ -s "$WORK/$f" ] || fail "--out did not write $f"; done
[ "$(json "$WORK/A.json" 'r["exit_code"]')" = 0 ] || fail "exit_code in A.json"
[ "$(json "$WORK/A.json" 'len(r["fingerprint"]["scenario_sha256"])')" = 64 ] || fail "no fingerprint"
[ "$(json "$WORK/A.json" 'r["fingerprint"]["file"]')" = "$WORK/s.yaml" ] || fail "fingerprint.file"
[ "$(json "$WORK/A.json" 'all(a.get("version") for a in r["agents"])')" = True ] \
  || fail "agents without a version"
series_sums "$WORK/A.json"
"$BARRAGE" report "$WORK/A.json" --format csv > "$WORK/C2.csv" || fail "report FILE --format csv"
cmp -s "$WORK/C.csv" "$WORK/C2.csv" || fail "report --format csv differs from --out csv"
head -1 "$WORK/C.csv" | grep -q "^time_s,length_s,request,requests," || fail "CSV header"
grep -q 'slow.one' "$WORK/C.csv" || fail "the CSV lacks a request"
"$BARRAGE" report "$WORK/A.json" --format junit -o "$WORK/B2.xml" || fail "report FILE -o"
cmp -s "$WORK/B.xml" "$WORK/B2.xml" || fail "report --format junit differs from --out junit"
xmllint --noout --schema "$XSD" "$WORK/B.xml" 2> "$WORK/xmllint.log" \
  || fail "B.xml is not valid JUnit: $(cat "$WORK/xmllint.log")"
grep -q 'testsuite name="outputs &amp; &lt;more&gt;" tests="3" failures="0"' "$WORK/B.xml" \
  || fail "the testsuite: $(grep testsuite "$WORK/B.xml")"
echo "ok: run --local 2 wrote json, junit, csv (and html or its error); report FILE matches"

set +e
"$BARRAGE" run "$WORK/s.yaml" --local 1 --out "xml=$WORK/x.xml" > "$WORK/bad.out" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "--out xml=F: exit $code, want 2"
grep -q -- "--out: 'xml=$WORK/x.xml' is not KIND=FILE" "$WORK/bad.out" || fail "$(cat "$WORK/bad.out")"
echo "ok: an unknown --out kind is a usage error naming the flag"

export BARRAGE_CONTROLLER="127.0.0.1:$G"
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" --data "$WORK/data" \
  > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "" --workers 1 \
  > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && break; sleep 0.1; done
"$BARRAGE" agents | grep -q '^1 agent' || fail "the agent did not connect"
"$BARRAGE" run "$WORK/s.yaml" -q --out "json=$WORK/remote.json" --out "csv=$WORK/remote.csv" \
  > "$WORK/remote.out" 2>&1 || fail "remote run: exit $?: $(cat "$WORK/remote.out")"
RUN=$(json "$WORK/remote.json" 'r["run"]')
"$BARRAGE" report "$RUN" --format json > "$WORK/stored.json" || fail "report RUN --format json"
series_sums "$WORK/stored.json"
cmp -s "$WORK/stored.json" "$WORK/remote.json" || fail "the stored result differs from --out json"
"$BARRAGE" report "$RUN" --format csv | cmp -s - "$WORK/remote.csv" \
  || fail "report RUN --format csv differs from --out csv"
echo "ok: a remote run stores its series; report RUN --format json|csv shows it"
