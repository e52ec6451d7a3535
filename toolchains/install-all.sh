#!/usr/bin/env bash
# Installs every language toolchain the test suite builds with (`npm run toolchains`).
# Idempotent; Debian packages need root (CI runs as root). Each script says what it installs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for lang in c rust go js python dotnet; do
  echo "== $lang"
  bash "$root/toolchains/$lang/install.sh"
done
# The C SDK's ABI tests compile the glue natively as 32-bit code, as it runs in wasm32.
if ! dpkg -s gcc-multilib >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "C SDK tests: gcc-multilib missing; run as root: apt-get install -y gcc-multilib" >&2
    exit 1
  fi
  echo "== installing gcc-multilib (C SDK ABI tests)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-multilib >/dev/null
fi
