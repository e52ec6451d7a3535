#!/usr/bin/env bash
# Installs the real S3 clients the object-storage tests drive (idempotent): the AWS CLI (v1, `awscli`)
# and boto3, pinned, from PyPI into a private virtualenv under toolchains/.cache/s3-clients-venv
# (gitignored; nothing touches the system Python). @aws-sdk/client-s3 comes from npm (package.json).
#   toolchains/s3-clients/install.sh [--check]    (--check: install nothing, fail when not installed)
# $WASMLET_PYTHON picks the Python that creates the virtualenv (default: python3, >= 3.9).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# The newest releases on PyPI when this was written (one botocore, 1.44.x, for both; its S3 behaviour:
# CRC32 checksums by default, aws-chunked uploads, multipart above 8 MiB for `aws s3 cp`).
awscli_version=1.46.3
boto3_version=1.44.18
venv=$root/toolchains/.cache/s3-clients-venv
mode=${1:-}

installed() {
  [ -x "$venv/bin/aws" ] && [ -x "$venv/bin/python" ] &&
    "$venv/bin/python" - "$awscli_version" "$boto3_version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if (version("awscli"), version("boto3")) == (sys.argv[1], sys.argv[2]) else 1)
PY
}

if installed; then
  [ "$mode" = "--check" ] || echo "s3 clients: ready (awscli $awscli_version, boto3 $boto3_version in toolchains/.cache/s3-clients-venv)"
  exit 0
fi
if [ "$mode" = "--check" ]; then
  echo "s3 clients: awscli $awscli_version and boto3 $boto3_version are not installed; run toolchains/s3-clients/install.sh" >&2
  exit 1
fi

python=${WASMLET_PYTHON:-python3}
command -v "$python" >/dev/null || {
  echo "s3 clients: $python not found; install Python >= 3.9 (Debian: apt-get install python3 python3-venv) or set WASMLET_PYTHON" >&2
  exit 1
}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || {
  echo "s3 clients: $python is $("$python" --version 2>&1); Python >= 3.9 is required" >&2
  exit 1
}
"$python" -c 'import venv, ensurepip' 2>/dev/null || {
  echo "s3 clients: $python cannot create a virtualenv (the venv or ensurepip module is missing; Debian: apt-get install python3-venv)" >&2
  exit 1
}

echo "s3 clients: installing awscli $awscli_version and boto3 $boto3_version into toolchains/.cache/s3-clients-venv (with $("$python" --version 2>&1))"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
pip_log=$(mktemp)
trap 'rm -f "$pip_log"' EXIT
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input "awscli==$awscli_version" "boto3==$boto3_version" >"$pip_log" 2>&1 || ! installed; then
  tail -n 15 "$pip_log" >&2
  rm -rf "$venv"
  echo "s3 clients: pip could not install awscli $awscli_version and boto3 $boto3_version from PyPI (pip's last lines are above)" >&2
  exit 1
fi
grep -E '^ *(Successfully installed)' "$pip_log" | sed 's/^ */  pip: /'
echo "s3 clients: installed $("$venv/bin/aws" --version 2>&1)"
