#!/usr/bin/env bash
# The image, built and run for real with podman: a Debian 12 base made with debootstrap
# (cached in the build tree), deploy/docker/Containerfile's "prebuilt" stage (the runtime
# stage plus this build's binaries); `ldd` finds every library in the image and no -dev
# package is in it; the runtime package list is what the binaries need; then a controller and
# two agent containers (--network=host, everything on 127.0.0.1, read-only root, all
# capabilities dropped, the image's numeric user) run a short scenario against `barrage
# target`, the image's HEALTHCHECK command (`barrage health`) passes in the controller's
# container, and `podman stop` ends each within 10 s with exit code 0 (SIGTERM handled as PID 1).
#
# Usage: image_test.sh BUILD_DIR   (exit 77: skipped, the reason printed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$1" && pwd)
BIN=$BUILD/bin
CACHE=$BUILD/deploy-tools/podman
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 5 "$f" >&2; }; done; exit 1; }
for tool in podman runc debootstrap; do
  command -v "$tool" > /dev/null || skip "$tool is not installed (deploy/local/setup-debian12.sh installs it)"
done
[ "$(id -u)" = 0 ] || skip "needs root (podman with private storage, debootstrap)"
mkdir -p "$CACHE"
WORK=$(mktemp -d)
NAMES=()
cleanup() {
  for n in "${NAMES[@]}"; do pod rm -f -t 0 "$n" > /dev/null 2>&1 || true; done
  [ -n "${TARGET_PID:-}" ] && kill "$TARGET_PID" 2>/dev/null; wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# podman 4.3 here: its default open-file limit is above this VM's hard limit, and crun
# refuses the hybrid cgroups, so: explicit ulimits and runc. Private storage in the cache.
cat > "$CACHE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$CACHE/containers.conf
pod() { podman --root "$CACHE/root" --runroot "$CACHE/runroot" --storage-driver overlay "$@"; }
BASE=localhost/barrage-test-base:bookworm
IMAGE=localhost/barrage:test
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The base: debootstrap's minimal bookworm, cached as a tarball and as an image.
if ! pod image exists "$BASE" 2>/dev/null; then
  if [ ! -f "$CACHE/bookworm-minbase.tar" ]; then
    debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian \
      > "$WORK/debootstrap.log" 2>&1 ||
      skip "debootstrap bookworm failed (no network to Debian's mirror?): $(tail -n 2 "$WORK/debootstrap.log")"
    tar -C "$WORK/rootfs" -cf "$CACHE/bookworm-minbase.tar.tmp" . && rm -rf "$WORK/rootfs"
    mv "$CACHE/bookworm-minbase.tar.tmp" "$CACHE/bookworm-minbase.tar"
  fi
  pod import "$CACHE/bookworm-minbase.tar" "$BASE" > /dev/null 2>&1 ||
    skip "podman cannot import an image here"
fi
pod run --rm --network=none "$BASE" true > "$WORK/probe.log" 2>&1 ||
  skip "podman cannot run containers here: $(tail -n 2 "$WORK/probe.log")"

# The image: the Containerfile's prebuilt stage on that base, with this build's binaries.
mkdir -p "$WORK/ctx/bin" "$WORK/ctx/deploy/docker"
cp "$BIN/barrage" "$BIN/barrage-controller" "$BIN/barrage-agent" "$WORK/ctx/bin/"
cp "$ROOT/deploy/docker/runtime-packages.txt" "$WORK/ctx/deploy/docker/"
t0=$(date +%s)
pod build --network=host --target prebuilt --build-arg BASE="$BASE" -t "$IMAGE" \
  -f "$ROOT/deploy/docker/Containerfile" "$WORK/ctx" > "$WORK/build.log" 2>&1 ||
  fail "podman build (see build.log): $(tail -n 5 "$WORK/build.log")"
echo "ok: image built from the Containerfile's prebuilt stage on a debootstrapped bookworm ($(( $(date +%s) - t0 )) s)"

# Libraries: the list is what the binaries link; ldd finds them all in the image.
bash "$ROOT/deploy/docker/runtime-packages.sh" "$BIN/barrage" "$BIN/barrage-controller" "$BIN/barrage-agent" |
  diff -u "$ROOT/deploy/docker/runtime-packages.txt" - ||
  fail "deploy/docker/runtime-packages.txt is stale (regenerate it with runtime-packages.sh)"
pod run --rm --network=none "$IMAGE" sh -c 'for b in /usr/local/bin/barrage*; do echo "$b:"; ldd "$b"; done' \
  > "$WORK/ldd.txt" 2>&1 || fail "ldd in the image: $(cat "$WORK/ldd.txt")"
grep -q 'libgrpc++' "$WORK/ldd.txt" || fail "ldd printed nothing useful: $(head "$WORK/ldd.txt")"
if grep 'not found' "$WORK/ldd.txt"; then fail "libraries missing in the image"; fi
dev=$(pod run --rm --network=none "$IMAGE" sh -c "dpkg-query -W -f '\${Package}\n' | grep -E -e '-dev\$' -e '^(gcc|g\+\+|cpp)(-[0-9]+)?\$' -e '^(cmake|make|ninja-build|binutils)\$' || true")
[ -z "$dev" ] || fail "build packages in the runtime image: $dev"
user=$(pod image inspect --format '{{.Config.User}}' "$IMAGE")
[ "$user" = 65532:65532 ] || fail "image user is '$user', want 65532:65532"
pod run --rm --network=none "$IMAGE" barrage-controller --version > "$WORK/version.txt"
echo "ok: ldd finds every library ($(grep -c '=>' "$WORK/ldd.txt") links), no build packages, user 65532; $(cat "$WORK/version.txt")"

# A run on loopback: target on the host, controller and two agents in containers.
T=$(port); G=$(port); H=$(port)
"$BIN/barrage" target --listen "127.0.0.1:$T" --delay 1ms > "$WORK/target.log" 2>&1 &
TARGET_PID=$!
mkdir -p "$WORK/data" && chown 65532:65532 "$WORK/data"
SAFE=(--network=host --read-only --tmpfs /tmp --cap-drop=ALL --security-opt no-new-privileges)
run_daemon() {  # run_daemon NAME ARGS...
  local name=barrage-test-$1-$$; shift
  NAMES+=("$name")
  pod run -d --name "$name" "${SAFE[@]}" "$@" > /dev/null || fail "podman run $name"
}
run_daemon controller -v "$WORK/data:/var/lib/barrage" "$IMAGE" \
  barrage-controller --grpc "127.0.0.1:$G" --http "127.0.0.1:$H" --data /var/lib/barrage
for i in 1 2; do
  run_daemon "agent-$i" "$IMAGE" barrage-agent --controller "127.0.0.1:$G" --id "agent-$i" \
    --http "" --workers 1 --allow-target 127.0.0.1
done
cat > "$WORK/s.yaml" <<YAML
name: image-test
target: http://127.0.0.1:$T
agents: {min: 2, wait: 20s}
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
YAML
chmod 644 "$WORK/s.yaml"; chmod 755 "$WORK"
pod run --rm "${SAFE[@]}" -v "$WORK/s.yaml:/scenario.yaml:ro" "$IMAGE" \
  sh -c "barrage run /scenario.yaml --controller 127.0.0.1:$G -q --out json=/tmp/r.json > /tmp/out 2>&1; c=\$?; cat /tmp/r.json; exit \$c" \
  > "$WORK/r.json" 2> "$WORK/run.log" || fail "barrage run in a container: $(cat "$WORK/r.json")"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['totals']['requests'] == 100 and len(r['agents']) == 2, r['totals']" "$WORK/r.json" ||
  fail "run result"
[ -f "$WORK/data/barrage.db" ] || fail "the controller wrote no store into its volume"
echo "ok: controller + 2 agent containers ran a scenario on loopback (100 requests from 2 agents; the store is in the volume)"

# The Containerfile's HEALTHCHECK command, run in the controller's container (its port moved
# from 7400 to this test's), and the same command with --http on its /healthz.
hc=$(python3 -c 'import json,re,sys
m=re.search(r"^HEALTHCHECK .*?CMD (\[.*?\])\s*$", open(sys.argv[1]).read().replace("\\\n", " "), re.M)
print(" ".join(json.loads(m.group(1))))' "$ROOT/deploy/docker/Containerfile") || fail "no HEALTHCHECK CMD [...] in the Containerfile"
[[ "$hc" == "barrage health 127.0.0.1:7400" ]] || fail "unexpected HEALTHCHECK: $hc"
pod exec "${NAMES[0]}" ${hc/7400/$G} > "$WORK/health.log" 2>&1 || fail "HEALTHCHECK ($hc) in the controller container: exit $?"
pod exec "${NAMES[0]}" barrage health --http "127.0.0.1:$H" >> "$WORK/health.log" 2>&1 ||
  fail "barrage health --http in the controller container: exit $?"
echo "ok: the image's HEALTHCHECK ($hc, on port $G) exits 0 in the controller container: $(head -1 "$WORK/health.log")"

for n in "${NAMES[@]}"; do
  s=$(date +%s%N)
  pod stop -t 10 "$n" > /dev/null || fail "podman stop $n"
  ms=$(( ($(date +%s%N) - s) / 1000000 ))
  code=$(pod inspect --format '{{.State.ExitCode}}' "$n")
  [ "$ms" -lt 10000 ] || fail "$n took $ms ms to stop"
  [ "$code" = 0 ] || fail "$n exited $code after SIGTERM (137: it ignored SIGTERM and was killed)"
  echo "ok: podman stop ended ${n%-*} in $ms ms, exit 0"
done
