#!/usr/bin/env bash
# Installs every Debian 12 (bookworm) package Barrage needs to build, test and
# benchmark. Idempotent: when everything is present it only runs dpkg-query
# and exits in well under a second. Needs root (or sudo) only when something
# is missing.
set -euo pipefail

# Packages from bookworm main. --no-install-recommends keeps prometheus from
# pulling node-exporter, smartmontools and friends.
MAIN_PKGS=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libcurl4-openssl-dev libyaml-cpp-dev libssl-dev libcpp-httplib-dev
  libbenchmark-dev libsqlite3-dev libnghttp2-dev nghttp2-client
  # controller/capacity/: the USL fit (nonlinear least squares) and the resource model.
  libgsl-dev
  # the HTML report test opens the report in headless Chromium; xmllint checks JUnit XML.
  chromium libxml2-utils
  prometheus yamllint iproute2 curl openssl ca-certificates
  nginx-light wrk procps util-linux time python3 python3-yaml
  clang libclang-rt-14-dev
  # tests/deploy/: unzip (helm comes from an npm package at test time), and podman with
  # runc and debootstrap for the image test.
  unzip binutils podman runc debootstrap uidmap
)
# node and npm for tests/deploy/ (the Kubernetes schemas and helm come from npm): Debian's,
# unless some node is already there (another npm package would conflict with it).
if ! command -v npm > /dev/null 2>&1; then
  MAIN_PKGS+=(nodejs npm)
fi
# Catch2 3 exists only in bookworm-backports (main has 2.13).
BACKPORTS_PKGS=(catch2)

missing=()
for p in "${MAIN_PKGS[@]}" "${BACKPORTS_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# catch2 from main is version 2: treat it as missing so the backport replaces it.
if dpkg-query -W -f='${Version}' catch2 2>/dev/null | grep -q '^2\.'; then
  missing+=(catch2)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
APT=($SUDO apt-get -o DPkg::Lock::Timeout=600 -y -q)

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' |
    $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi
"${APT[@]}" update
"${APT[@]}" install --no-install-recommends "${MAIN_PKGS[@]}"
"${APT[@]}" install --no-install-recommends -t bookworm-backports "${BACKPORTS_PKGS[@]}"

# Debian enables services on install; where systemd runs, keep them from
# squatting on 0.0.0.0:9090 and :80. Tests start their own instances.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus nginx >/dev/null 2>&1 || true
fi
