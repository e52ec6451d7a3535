#!/usr/bin/env bash
# Installs the C → standard wasi:http component toolchain (idempotent): the C toolchain
# (toolchains/c/install.sh: Debian clang + wasi-libc) plus wit-bindgen-cli, pinned, built from
# crates.io with the host's Rust (rustup's; >= 1.88) into toolchains/.cache/wit-bindgen
# (gitignored). Only its C generator is built (--no-default-features --features c).
#   toolchains/c-http/install.sh [--check]    (--check: install nothing, fail when not installed)
# $CARGO picks the cargo that builds it (default: cargo on PATH).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# A new pin means re-checking that examples/hello-c-http still builds to the committed bytes
# (toolchains/check-reproducible.sh): the generated glue is part of the component.
version=0.63.0
prefix=$root/toolchains/.cache/wit-bindgen
tool=$prefix/bin/wit-bindgen
mode=${1:-}

installed() { [ -x "$tool" ] && [ "$("$tool" --version 2>/dev/null | awk '{print $2}')" = "$version" ]; }
c_ready() { command -v clang >/dev/null && [ -f /usr/lib/wasm32-wasi/libc.a ]; }

if [ "$mode" = "--check" ]; then
  c_ready || { echo "c-http toolchain: clang or wasi-libc not found; run toolchains/c/install.sh" >&2; exit 1; }
  installed || { echo "c-http toolchain: wit-bindgen $version is not installed; run toolchains/c-http/install.sh" >&2; exit 1; }
  exit 0
fi

bash "$root/toolchains/c/install.sh"
if installed; then
  echo "c-http toolchain: ready (wit-bindgen $version in toolchains/.cache/wit-bindgen)"
  exit 0
fi
cargo=${CARGO:-cargo}
command -v "$cargo" >/dev/null || { echo "c-http toolchain: cargo not found; install Rust >= 1.88 (rustup) or set CARGO" >&2; exit 1; }
rust=$("$cargo" --version | awk '{print $2}')
if [ "$(printf '%s\n1.88.0\n' "${rust%%-*}" | sort -V | head -n1)" != 1.88.0 ]; then
  echo "c-http toolchain: $cargo is $rust; wit-bindgen-cli $version needs Rust >= 1.88 (rustup's, not Debian's /usr/bin/cargo)" >&2
  exit 1
fi
echo "c-http toolchain: building wit-bindgen-cli $version from crates.io with cargo $rust (a few minutes)"
"$cargo" install wit-bindgen-cli --version "$version" --locked --no-default-features --features c \
  --root "$prefix" --quiet
installed || { echo "c-http toolchain: cargo install finished but $tool is not wit-bindgen $version" >&2; exit 1; }
echo "c-http toolchain: installed $("$tool" --version)"
