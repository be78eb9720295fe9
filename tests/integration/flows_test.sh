#!/usr/bin/env bash
# Flows end to end, against a shop written for the test (shop_server.py) that
# issues a token on /login and accepts it on /cart only once:
#   1. a login -> cart flow across 3 agents: 0 errors, every token issued is
#      used exactly once, the session cookie travels with it;
#   2. checks: a wrong status, a missing JSON field and a slow response each
#      give check_failed with the check's name, counted;
#   3. a capture that matches nothing fails its step and ends the flow;
#   4. bad input: an unknown ${var} and a ragged CSV are refused, naming the
#      line.
#
# Usage: flows_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

S=$(port); G=$(port)
python3 "$ROOT/tests/integration/shop_server.py" --port "$S" --log "$WORK/shop.txt" > "$WORK/shop.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
for id in a1 a2 a3; do
  "$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id "$id" --http "" --workers 1 > "$WORK/$id.log" 2>&1 &
  PIDS+=($!)
done
for _ in $(seq 100); do
  [ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] && break
  sleep 0.1
done
[ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] || fail "3 idle agents expected"

# 1. login -> cart across 3 agents.
cat > "$WORK/shop.yaml" <<YAML
name: shop-flow
target: http://127.0.0.1:$S
agents: {min: 3, wait: 10s}
flows:
  - name: shop
    cookies: true
    steps:
      - name: login
        method: POST
        path: /login
        body: '{"user": "u"}'
        capture: {token: {json: \$.token}}
      - name: cart
        path: /cart
        headers: {Authorization: "Bearer \${token}"}
        check: {status: [200], json: {\$.items: exists}, body_contains: "ok"}
stages: [{duration: 4s, rate: 30/s}]
thresholds:
  - {metric: error_rate, below: 0.1%, flow: shop}
YAML
: > "$WORK/shop.txt"
set +e
"$BARRAGE" run "$WORK/shop.yaml" -q --out "json=$WORK/shop.json" > "$WORK/run-shop.log" 2>&1; code=$?
set -e
[ "$code" = 0 ] || fail "flow run: exit $code ($(tail -3 "$WORK/run-shop.log"))"
python3 - "$WORK/shop.json" "$WORK/shop.txt" <<'PY' || fail "flow run: see above"
import collections, json, sys
r = json.load(open(sys.argv[1]))
lines = [l.split() for l in open(sys.argv[2])]
logins = [l[1] for l in lines if l[0] == "login"]
carts = [l for l in lines if l[0] == "cart"]
flow = [f for f in r["flows"] if f["name"] == "shop"][0]
errors = r["totals"]["errors"]
assert errors == 0, "errors: %s %s" % (errors, r["errors_by_reason"])
assert flow["started"] == 120 and flow["succeeded"] == 120, (flow, r["totals"], len(logins), len(carts), r["agents"])
assert len(logins) == 120 and len(set(logins)) == 120, len(logins)
used = collections.Counter(l[1] for l in carts)
assert set(used) == set(logins), "tokens issued but not used: %s" % (set(logins) - set(used))
assert all(n == 1 for n in used.values()), [t for t, n in used.items() if n > 1]
assert all(l[2] == "200" for l in carts), [l for l in carts if l[2] != "200"]
assert all(l[3] == "session=s-" + l[1] for l in carts), carts[:3]
agents = [a for a in r["agents"] if a["requests"] > 0]
assert len(agents) == 3, agents
print("ok: 120 flows across %d agents, 0 errors; 120 tokens each used once, with its cookie" % len(agents))
PY

# 2. Checks, 3. a capture that matches nothing.
cat > "$WORK/checks.yaml" <<YAML
name: shop-checks
target: http://127.0.0.1:$S
flows:
  - {name: wrong, steps: [{name: s, path: /status/201, check: {status: [200]}}]}
  - {name: missing, steps: [{name: s, path: /nofield, check: {json: {\$.items: exists}}}]}
  - {name: slow, steps: [{name: s, path: /slow, check: {max_duration: 100ms}}]}
  - name: nocapture
    steps:
      - {name: first, path: /nofield, capture: {token: {json: \$.token}}}
      - {name: cart, path: /cart, headers: {Authorization: "Bearer \${token}"}}
stages: [{duration: 2s, rate: 20/s}]
YAML
: > "$WORK/shop.txt"
set +e
"$BARRAGE" run "$WORK/checks.yaml" -q --out "json=$WORK/checks.json" > "$WORK/run-checks.log" 2>&1; code=$?
set -e
python3 - "$WORK/checks.json" "$WORK/shop.txt" <<'PY' || fail "checks: see above"
import json, sys
r = json.load(open(sys.argv[1]))
reqs = r["requests"]
def reasons(name):
    return {e["reason"]: e["count"] for e in reqs[name]["errors_by_reason"]}
for name, reason in (("wrong.s", "check status"), ("missing.s", "check json $.items exists"),
                     ("slow.s", "check max_duration"), ("nocapture.first", "capture token")):
    got = reasons(name)
    n = reqs[name]["requests"]
    assert n > 0 and got.get(reason) == n, (name, n, got)
assert r["outcomes"]["check_failed"] == sum(reqs[n]["requests"] for n in
    ("wrong.s", "missing.s", "slow.s", "nocapture.first")), r["outcomes"]
assert "nocapture.cart" not in reqs or reqs["nocapture.cart"]["requests"] == 0, reqs.get("nocapture.cart")
assert not [l for l in open(sys.argv[2]) if l.startswith("cart")], "a cart step ran after a failed capture"
flows = {f["name"]: f for f in r["flows"]}
assert flows["nocapture"]["failed"] == flows["nocapture"]["started"] > 0, flows["nocapture"]
print("ok: check_failed by check name for status, json, max_duration; a failed capture ends its flow")
PY
[ "$code" = 99 ] || [ "$code" = 0 ] || fail "checks: exit $code"
grep -q 'check status' "$WORK/run-checks.log" || "$BARRAGE" report "$WORK/checks.json" | grep -q 'check status' ||
  fail "checks: the summary does not name the failed check"
echo "ok: the summary names the failed checks"

# 4. Bad input.
cat > "$WORK/badvar.yaml" <<YAML
name: badvar
target: http://127.0.0.1:$S
flows:
  - name: f
    steps:
      - {name: login, path: /login, capture: {token: {json: \$.token}}}
      - {name: cart, path: /cart, headers: {Authorization: "Bearer \${tokn}"}}
stages: [{duration: 1s, rate: 1/s}]
YAML
set +e
out=$("$BARRAGE" validate "$WORK/badvar.yaml" 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "unknown variable: exit $code"
echo "$out" | grep -q 'badvar.yaml:7:.*tokn' || fail "unknown variable: no line: $out"
echo "ok: unknown \${tokn}: $(echo "$out" | grep tokn | head -1)"

printf 'id,email\n1,a@x\n2\n3,c@x\n' > "$WORK/ragged.csv"
cat > "$WORK/ragged.yaml" <<YAML
name: ragged
target: http://127.0.0.1:$S
data: {users: {file: ragged.csv}}
requests: [{name: item, path: "/item/\${users.id}"}]
stages: [{duration: 1s, rate: 1/s}]
YAML
set +e
out=$("$BARRAGE" validate "$WORK/ragged.yaml" 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "ragged csv: exit $code: $out"
echo "$out" | grep -q 'ragged.csv:3' || fail "ragged csv: no line: $out"
echo "ok: ragged CSV: $(echo "$out" | grep ragged.csv | head -1)"
