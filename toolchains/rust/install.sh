#!/usr/bin/env bash
# Installs the Rust → wasm32-wasi toolchain from Debian's packages (idempotent).
# bookworm's rustc 1.63 is the only one here with a wasm32-wasi std; see build.sh.
set -euo pipefail
packages=(rustc cargo libstd-rust-dev-wasm32 lld)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "rust toolchain: already installed (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "rust toolchain: missing Debian packages ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "rust toolchain: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "rust toolchain: installed"
