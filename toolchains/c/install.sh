#!/usr/bin/env bash
# Installs the C → wasm32-wasi toolchain from Debian's packages (idempotent).
set -euo pipefail
# libstb-dev: the stb single-header image libraries examples/thumbnail compiles in.
packages=(clang lld wasi-libc libclang-rt-14-dev-wasm32 libstb-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "c toolchain: already installed (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "c toolchain: missing Debian packages ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "c toolchain: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "c toolchain: installed"
