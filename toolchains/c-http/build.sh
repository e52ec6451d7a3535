#!/usr/bin/env bash
# Builds a C function folder into a standard wasi:http component (world wasi:http/proxy@0.2.12)
# instead of a wasmlet one: no wasmlet SDK. `wit-bindgen c` generates the bindings (proxy.h,
# proxy.c, proxy_component_type.o) at build time from jco's WASI WIT (proxy-wit.mjs); every *.c
# in the folder is compiled with them as a wasm32-wasi reactor (Debian clang + wasi-libc, as
# toolchains/c/build.sh) and the core module is wrapped with jco's preview1 reactor adapter
# (componentize.mjs). The folder implements
#   void exports_wasi_http_incoming_handler_handle(exports_wasi_http_incoming_handler_own_incoming_request_t,
#                                                  exports_wasi_http_incoming_handler_own_response_outparam_t);
# The output depends only on the sources and the pinned tools (no paths, no timestamps).
#   toolchains/c-http/build.sh <function-dir> <out.wasm>
# Extra compiler arguments, as in the C recipe: the folder's optional `build.flags`, then $WASMLET_CFLAGS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: toolchains/c-http/build.sh <function-dir> <out.wasm>" >&2; exit 2; }
dir=$(cd "$1" && pwd)
out=$2
"$here/install.sh" --check
command -v node >/dev/null || { echo "c-http toolchain: node not found (jco, in node_modules, makes the component)" >&2; exit 1; }
export LC_ALL=C # the glob's order is the link order
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
sources=("$dir"/*.c)
[ ${#sources[@]} -gt 0 ] || { echo "c-http build: no .c files in $dir" >&2; exit 1; }
folder_flags=()
if [ -f "$dir/build.flags" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    read -ra words <<<"$line"
    folder_flags+=(${words[@]+"${words[@]}"})
  done <"$dir/build.flags"
fi
world=$(node "$here/proxy-wit.mjs" "$work/wit")
if ! "$root/toolchains/.cache/wit-bindgen/bin/wit-bindgen" c --world "$world" --out-dir "$work/gen" "$work/wit" >"$work/wit-bindgen.log" 2>&1; then
  cat "$work/wit-bindgen.log" >&2
  echo "c-http build: wit-bindgen c failed for $world" >&2
  exit 1
fi
# The prefix maps keep the folder and the scratch path out of the output (__FILE__ in assert()).
clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all \
  -ffile-prefix-map="$dir"=. -ffile-prefix-map="$work"=. \
  -I"$work/gen" -I"$dir" -o "$work/core.wasm" "${sources[@]}" "$work/gen/proxy.c" "$work/gen/proxy_component_type.o" \
  ${folder_flags[@]+"${folder_flags[@]}"} ${WASMLET_CFLAGS:-}
mkdir -p "$(dirname "$out")"
node "$here/componentize.mjs" "$work/core.wasm" "$out"
