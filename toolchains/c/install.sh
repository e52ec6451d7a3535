#!/usr/bin/env bash
# Installs the C → wasm32-wasi toolchain from Debian's packages (idempotent).
set -euo pipefail
. "$(dirname "$0")/../lib/debian-packages.sh"
# libstb-dev: the stb single-header image libraries examples/thumbnail compiles in.
ensure_debian_packages "c toolchain" clang lld wasi-libc libclang-rt-14-dev-wasm32 libstb-dev
