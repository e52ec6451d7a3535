#!/usr/bin/env bash
# Installs wasmtime-cli, the peer `wasmlet bench` compares the per-request floor with (`wasmtime
# serve`: a fresh instance per request, copy-on-write heap images, a pooling allocator). Optional:
# no test needs it; the bench reports its rows as "not run" when it is absent. Idempotent.
# Built from crates.io with the host's Rust (rustup's): 48.0.8 is the newest release that builds
# with Rust 1.95 (later ones need a newer compiler); about 30 minutes on 2 cores.
#   toolchains/wasmtime/install.sh [--check]    (--check: install nothing, fail when not installed)
# Its last line of output is the path of the wasmtime binary. $CARGO picks the cargo (default: cargo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=48.0.8
prefix=$root/toolchains/.cache/wasmtime
tool=$prefix/bin/wasmtime

installed() { [ -x "$tool" ] && [ "$("$tool" --version 2>/dev/null | awk '{print $2}')" = "$version" ]; }

if [ "${1:-}" = "--check" ]; then
  installed || { echo "wasmtime $version is not installed; run npm run anchors" >&2; exit 1; }
  echo "$tool"
  exit 0
fi
if ! installed; then
  cargo=${CARGO:-cargo}
  command -v "$cargo" >/dev/null || { echo "wasmtime: cargo not found; install Rust (rustup) or set CARGO" >&2; exit 1; }
  echo "wasmtime: building wasmtime-cli $version from crates.io with $("$cargo" --version) (about 30 minutes on 2 cores)" >&2
  "$cargo" install wasmtime-cli --version "$version" --locked --root "$prefix" >&2
  installed || { echo "wasmtime: built, but $tool does not report version $version" >&2; exit 1; }
fi
echo "$tool"
