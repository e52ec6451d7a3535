#!/usr/bin/env bash
# Installs nats-server for the JetStream backend's tests and docs (idempotent): the Go module
# github.com/nats-io/nats-server/v2, pinned, built with `go install` into toolchains/.cache/nats/bin
# (gitignored). Nothing is downloaded from a website: the Go module proxy serves the source.
# Debian bookworm's nats-server (2.9.10) is too old: Jepsen's 2025 analysis of NATS needs
# `sync_interval: always` (2.10+) and the crash fixes of 2.10.23.
#   toolchains/nats/install.sh [--check]   (--check: build nothing, fail when not installed)
# The LAST LINE of the output is the path of the nats-server binary (test/support reads it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nats_version=v2.15.3
bin_dir=$root/toolchains/.cache/nats/bin
binary=$bin_dir/nats-server
mode=${1:-}

installed() {
  [ -x "$binary" ] && "$binary" --version 2>/dev/null | grep -qx "nats-server: $nats_version"
}

if installed; then
  [ "$mode" = "--check" ] || echo "nats-server: ready ($nats_version)"
  echo "$binary"
  exit 0
fi
if [ "$mode" = "--check" ]; then
  echo "nats-server: $nats_version is not installed; run toolchains/nats/install.sh" >&2
  exit 1
fi

# shellcheck source=../go/find-go.sh
source "$root/toolchains/go/find-go.sh"
echo "nats-server: building $nats_version with $go_bin ($go_version) into toolchains/.cache/nats/bin (about 90 s)"
mkdir -p "$bin_dir"
GOTOOLCHAIN=local GOBIN="$bin_dir" "$go_bin" install "github.com/nats-io/nats-server/v2@$nats_version"
installed || {
  echo "nats-server: go install finished but $binary does not report $nats_version" >&2
  exit 1
}
echo "nats-server: installed $("$binary" --version)"
echo "$binary"
