#!/usr/bin/env bash
# Checks the Go → wasip1 toolchain: Go ≥ 1.24 (the first with //go:wasmexport and
# -buildmode=c-shared for wasip1). wasmlet's machines have Go 1.26 in /usr/local/go; nothing
# is downloaded here.
#
# Without it: install Go ≥ 1.24 from https://go.dev/dl/ (or your distribution), so that `go`
# is on PATH or at /usr/local/go/bin/go. On Debian bookworm, whose golang is 1.19, the fallback
# measured in the shared notes (toolchains.md, "Go") is Debian trixie's golang-1.24-go and
# golang-1.24-src: add a trixie suite pinned at priority 100, `apt-get download -t trixie` both
# packages and `dpkg -x` them into a private folder (never `apt-get install` from trixie), then
# put its usr/lib/go-1.24/bin first on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=find-go.sh
source "$here/find-go.sh"
echo "go toolchain: $go_bin ($go_version)"
