# Shared by the headless Chromium tests (html_report_test.sh,
# capacity_html_test.sh), sourced after lib.sh: `chromium_run NAME URL
# ARGS...` runs Chromium on one page with no network and fails unless its
# net log holds no request but file://.
# chromium NAME URL ARGS...: headless Chromium without network; its net log
# in WORK/NAME.netlog.json must hold no request but file://.
ISOLATE=()
if unshare -rn true 2> /dev/null; then ISOLATE=(unshare -rn); fi
chromium_run() {
  local name=$1 url=$2
  shift 2
  timeout 60 "${ISOLATE[@]}" chromium --headless=new --no-sandbox --disable-gpu \
    --no-first-run --disable-extensions --disable-background-networking --disable-sync \
    --disable-component-update --disable-features=NetworkTimeServiceQuerying \
    --proxy-server=127.0.0.1:9 \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$WORK/profile-$name" \
    --log-net-log="$WORK/$name.netlog.json" "$@" "$url" 2> "$WORK/$name.chromium.log"
  python3 - "$WORK/$name.netlog.json" <<'PY' || fail "$name: a network request"
import json, re, sys
text = open(sys.argv[1]).read()
try:
    log = json.loads(text)
except ValueError:  # an unterminated log: close it
    log = json.loads(text.rstrip().rstrip(",") + "]}")
urls = set()
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("url", "original_url", "host", "origin") and isinstance(v, str):
                urls.add(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(log.get("events", []))
# Chromium's own background services (the component updater, network time)
# ask these hosts whatever page is open; "~notfound" is the resolver rule's
# answer. Anything else (the page's requests) must be file://.
browser = re.compile(r"^((https?://)?(clients2\.google\.com|update\.googleapis\.com|~notfound))"
                     r"([:/?].*)?$")
bad = sorted(u for u in urls if u and not browser.match(u) and
             not re.match(r"^(file|data|about|chrome|blob):", u))
if bad:
    sys.exit(f"non-file requests: {bad[:10]}")
print(f"ok: net log: {len(log.get('events', []))} events, no request but file://")
PY
}
