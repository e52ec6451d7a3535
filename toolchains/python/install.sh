#!/usr/bin/env bash
# Installs the Python toolchain (idempotent): componentize-py, pinned, from PyPI into a private
# virtualenv under toolchains/.cache/python-venv (gitignored; nothing touches the system Python).
# componentize-py ships CPython for wasm, its standard library and the WASI adapter inside its wheel:
# nothing else is downloaded, at install or at build time.
#   toolchains/python/install.sh [--check]    (--check: install nothing, fail when not installed)
# $WASMLET_PYTHON picks the Python that creates the virtualenv (default: python3, >= 3.9).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# The newest release on PyPI when this was written; it builds sdk/wit's world and its components
# run on wasmlet (measured in sdk/python/README.md). A new pin means re-measuring there.
version=0.25.1
venv=$root/toolchains/.cache/python-venv
tool=$venv/bin/componentize-py
mode=${1:-}

installed() { [ -x "$tool" ] && [ "$("$tool" --version 2>/dev/null)" = "componentize-py $version" ]; }

if installed; then
  [ "$mode" = "--check" ] || echo "python toolchain: ready (componentize-py $version in toolchains/.cache/python-venv)"
  exit 0
fi
if [ "$mode" = "--check" ]; then
  echo "python toolchain: componentize-py $version is not installed; run toolchains/python/install.sh" >&2
  exit 1
fi

python=${WASMLET_PYTHON:-python3}
command -v "$python" >/dev/null || {
  echo "python toolchain: $python not found; install Python >= 3.9 (Debian: apt-get install python3 python3-venv) or set WASMLET_PYTHON" >&2
  exit 1
}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || {
  echo "python toolchain: $python is $("$python" --version 2>&1); Python >= 3.9 is required (componentize-py's wheels are cp39-abi3)" >&2
  exit 1
}
"$python" -c 'import venv, ensurepip' 2>/dev/null || {
  echo "python toolchain: $python cannot create a virtualenv (the venv or ensurepip module is missing; Debian: apt-get install python3-venv)" >&2
  exit 1
}

echo "python toolchain: installing componentize-py $version into toolchains/.cache/python-venv (with $("$python" --version 2>&1))"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
pip_log=$(mktemp)
trap 'rm -f "$pip_log"' EXIT
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input "componentize-py==$version" >"$pip_log" 2>&1 || ! installed; then
  tail -n 15 "$pip_log" >&2
  rm -rf "$venv"
  echo "python toolchain: pip could not install componentize-py $version from PyPI (its wheels are for Linux x86_64/aarch64, macOS and Windows; pip's last lines are above)" >&2
  exit 1
fi
grep -E '^ *(Collecting|Downloading|Using cached|Successfully installed)' "$pip_log" | sed 's/^ */  pip: /'
echo "python toolchain: installed $("$tool" --version)"
