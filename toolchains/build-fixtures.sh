#!/usr/bin/env bash
# Rebuilds every test fixture under test/fixtures/ from source; the output is byte-for-byte
# reproducible, so a rebuild that changes a committed .wasm means its source (or a tool) changed.
#   toolchains/build-fixtures.sh [--wasi-http]
# Conventions, one folder per fixture:
#   <name>/<name>.c (+ wasmlet.toml)  an ordinary guest, built with the C recipe (toolchains/c/build.sh);
#                                     one that exports wasi:http's incoming-handler (http-probe) is handed
#                                     on to toolchains/c-http (wit-bindgen's bindings, no SDK), as hello-c-http
#   <name>/<name>.wit                 a guest of another world: its core module is componentized
#                                     against the first `world` in that file (componentize-world.mjs)
#   core-module/                      not a component at all: fx-echo's core module, left as is
#   <name>/handler.js (+ wasmlet.toml) a JavaScript guest (kv-probe), built with the JS recipe; QuickJS
#                                     builds are not byte-reproducible, so only these may differ on a rebuild
#   wasi-http/                        standard wasi:http guests (JS, Python) whose 14-22 MB components are
#                                     never committed: built only with --wasi-http, by wasi-http/build.sh
#                                     into wasi-http/build/ (tests build them on demand:
#                                     test/support/wasi-http-fixtures.ts)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/test/fixtures"
unset WASMLET_CFLAGS # extra flags would make the committed bytes depend on the caller's shell
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The C recipe's compile step (toolchains/c/build.sh), stopping at the core module.
compile_core() {
  local out=$1
  shift
  clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all -I"$root/sdk/c" -o "$out" "$@"
}

report() {
  local name=$1 file=$2
  printf '%-16s %7d bytes  sha256 %.16s  %s\n' "$name" "$(stat -c %s "$file")" \
    "$(sha256sum "$file" | cut -d' ' -f1)" "${file#"$root"/}"
}

for dir in "$fixtures"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  out="$dir/$name.wasm"
  if [ "$name" = wasi-http ]; then
    continue
  elif [ "$name" = core-module ]; then
    compile_core "$out" "$fixtures/echo/echo.c" "$root/sdk/c/wasmlet.c"
  elif [ -f "$dir/handler.js" ]; then
    "$root/toolchains/js/build.sh" "$dir" "$out" >/dev/null
  elif [ -f "$dir/$name.wit" ]; then
    world=$(sed -n 's/^world \([a-z0-9-]*\) *{.*/\1/p' "$dir/$name.wit" | head -n 1)
    [ -n "$world" ] || { echo "build-fixtures: no world in $dir/$name.wit" >&2; exit 1; }
    sources=("$dir"/*.c)
    # A guest that exports wasmlet's handler links the SDK glue; one of another world does not.
    grep -q '#include "wasmlet.h"' "${sources[@]}" && sources+=("$root/sdk/c/wasmlet.c")
    compile_core "$work/$name.core.wasm" "${sources[@]}"
    node "$fixtures/componentize-world.mjs" "$work/$name.core.wasm" "$dir/$name.wit" "$world" "$out" >/dev/null
  else
    "$root/toolchains/c/build.sh" "$dir" "$out" >/dev/null
  fi
  report "$name" "$out"
done

if [ "${1:-}" = --wasi-http ]; then
  "$fixtures/wasi-http/build.sh"
fi
