#!/usr/bin/env bash
# A real run with a warm-up stage (`warmup: true`): the target comes up only
# during the warm-up, so the warm-up's first requests are refused; the
# error-rate threshold judges the measured stage alone and passes (exit 0),
# the totals hold the measured stage only, and the series keeps the warm-up,
# marked, with its errors.
#
# Usage: warmup_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port)
cat > "$WORK/s.yaml" <<YAML
name: warmup
target: http://127.0.0.1:$T
defaults: {timeout: 1s}
requests: [{name: a, path: /}]
stages:
  - {duration: 4s, rate: 50/s, warmup: true}
  - {duration: 2s, rate: 50/s}
thresholds:
  - {metric: error_rate, below: 1%}
YAML
set +e
timeout 60 "$BARRAGE" run "$WORK/s.yaml" --local 1 --workers 1 \
  --out "json=$WORK/r.json" --out "html=$WORK/r.html" > "$WORK/run.log" 2>&1 &
RUN=$!
PIDS+=($RUN)
set -e
# The run has begun once it prints; the warm-up has 4 s left to spare.
for _ in $(seq 100); do [ -s "$WORK/run.log" ] && break; sleep 0.05; done
sleep 0.3
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
set +e
wait "$RUN"
code=$?
set -e
[ "$code" = 0 ] || fail "exit $code, want 0 (the warm-up's errors must not count): $(tail -20 "$WORK/run.log")"
[ "$(json "$WORK/r.json" 'r["totals"]["errors"]')" = 0 ] || fail "warm-up errors in the totals"
[ "$(json "$WORK/r.json" 'r["totals"]["warmup_s"]')" = 4 ] || fail "no warmup_s in the totals"
requests=$(json "$WORK/r.json" 'r["totals"]["requests"]')
# The measured stage: 2 s at 50/s (the drain's late answers aside).
[ "$requests" -ge 95 ] && [ "$requests" -le 105 ] || fail "totals.requests $requests, want ~100"
warm=$(json "$WORK/r.json" 'sum(sum(sum(x.get("o", [])) for x in i["r"]) for i in r["series"]["intervals"] if i.get("warmup"))')
warm_errors=$(json "$WORK/r.json" 'sum(sum(x.get("o", [0])[1:]) for i in r["series"]["intervals"] if i.get("warmup") for x in i["r"])')
[ "$warm" -ge 190 ] || fail "the series' warm-up holds $warm results, want ~200"
[ "$warm_errors" -gt 0 ] || fail "the warm-up saw no refused connections (the target came up too early)"
grep -q 'band band-warmup' "$WORK/r.html" || fail "the HTML report does not shade the warm-up"
echo "ok: warm-up $warm results ($warm_errors errors) kept out; measured $requests, 0 errors"
