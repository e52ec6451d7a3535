#!/usr/bin/env bash
# Installs the Rust → wasm32-wasi toolchain from Debian's packages (idempotent).
# bookworm's rustc 1.63 is the only one here with a wasm32-wasi std; see build.sh.
set -euo pipefail
. "$(dirname "$0")/../lib/debian-packages.sh"
ensure_debian_packages "rust toolchain" rustc cargo libstd-rust-dev-wasm32 lld
