#!/usr/bin/env bash
# Builds a Go function folder (a main package using sdk/go) into a component: a wasip1 reactor
# (-buildmode=c-shared), the HTTP export dropped if no HTTP handler is registered, the
# adapter-arena patch, then componentized (the world follows the handler exports).
#   toolchains/go/build.sh <function-dir> <out.wasm>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:?usage: build.sh <function-dir> <out.wasm>}
out=${2:?usage: build.sh <function-dir> <out.wasm>}
dir=$(cd "$dir" && pwd -P)
# shellcheck source=find-go.sh
source "$here/find-go.sh"
[ -f "$dir/go.mod" ] || { echo "go build: no go.mod in $dir" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Everything Go writes stays in the gitignored toolchains/.cache/go, nothing in $HOME, and the
# user's go env file, GOFLAGS and workspace do not change the bytes. GOPROXY=off: the SDK has no
# dependencies and functions reach it through a `replace`, so a build never needs the network
# (and a module that would need one fails here rather than downloading). GOTOOLCHAIN=local: a
# go.mod asking for a newer Go fails instead of fetching one.
cache="$root/toolchains/.cache/go"
export GOENV=off GOFLAGS=-mod=readonly GOWORK=off GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local \
  GOCACHE="$cache/build" GOMODCACHE="$cache/mod" GOPATH="$cache/path" \
  GOOS=wasip1 GOARCH=wasm GOWASM= CGO_ENABLED=0
# c-shared: a reactor exporting _initialize (runtime + init functions, which register the
# handler), run by the component once per instance; main is never called. -trimpath and
# -buildvcs=false keep paths and VCS state out; -s -w drop the symbol table and DWARF (Go's
# own panic traces still name functions) and -buildid= an ID that is not needed.
(cd "$dir" && "$go_bin" build -buildmode=c-shared -trimpath -buildvcs=false \
  -ldflags='-s -w -buildid=' -o "$work/core.wasm" .)
# Package wasmlet always exports the HTTP handler; a function that registers none drops it.
node "$here/drop-unused-http-export.mjs" "$work/core.wasm" "$work/handlers.wasm"
node "$here/patch-adapter-arena.mjs" "$work/handlers.wasm" "$work/patched.wasm" >/dev/null
mkdir -p "$(dirname "$out")"
node "$root/toolchains/componentize.mjs" "$work/patched.wasm" "$out"
