#!/bin/sh
# Prints the Debian packages that provide the shared libraries the given binaries link
# directly (their ELF NEEDED entries), one per line, sorted; apt brings the rest. Run where
# the binaries were built (the builder stage, or a Debian 12 machine with the -dev packages).
# deploy/docker/runtime-packages.txt is its output for barrage, barrage-controller and
# barrage-agent; the Containerfile's builder stage fails when the two differ.
# Usage: runtime-packages.sh BINARY...
set -eu
for bin in "$@"; do
  needed=$(objdump -p "$bin" | awk '/NEEDED/ {print $2}')
  for lib in $needed; do
    path=$(ldd "$bin" | awk -v l="$lib" '$1 == l {print $3}')
    [ -n "$path" ] || { echo "runtime-packages: $bin: $lib not found" >&2; exit 1; }
    real=$(readlink -f "$path")
    # usrmerge: dpkg may know the file under /lib or /usr/lib.
    dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null ||
      { echo "runtime-packages: no package owns $path" >&2; exit 1; }
  done
done | cut -d: -f1 | sort -u
