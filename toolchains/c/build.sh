#!/usr/bin/env bash
# Builds a C function folder into a component: every *.c in the folder plus
# the SDK's sdk/c/*.c, compiled as a wasm32-wasi reactor, then componentized.
# The linker drops SDK code the function does not use (e.g. the queue glue
# without WASMLET_QUEUE_HANDLER), so an HTTP-only function is unchanged by it.
#   toolchains/c/build.sh <function-dir> <out.wasm>
# Extra compiler arguments, in this order: the folder's optional `build.flags`
# (whitespace-separated, `#` starts a comment; kept with the source so every
# build of the folder is the same, e.g. `-I/usr/include/stb`), then the
# caller's $WASMLET_CFLAGS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:?usage: build.sh <function-dir> <out.wasm>}
out=${2:?usage: build.sh <function-dir> <out.wasm>}
command -v clang >/dev/null || { echo "c toolchain: clang not found; run toolchains/c/install.sh" >&2; exit 1; }
[ -f /usr/lib/wasm32-wasi/libc.a ] || { echo "c toolchain: wasi-libc not found; run toolchains/c/install.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
sources=("$dir"/*.c)
[ ${#sources[@]} -gt 0 ] || { echo "c build: no .c files in $dir" >&2; exit 1; }
# A standard wasi:http guest (it defines wit-bindgen's incoming-handler export) is built against
# wasi:http/proxy instead of the wasmlet SDK.
if grep -q 'exports_wasi_http_incoming_handler_handle' "${sources[@]}"; then
  exec "$root/toolchains/c-http/build.sh" "$dir" "$out"
fi
# wasmlet.c first, where it always was: the link order decides the layout of the output.
sdk_sources=("$root/sdk/c/wasmlet.c")
for file in "$root"/sdk/c/*.c; do [ "$file" = "$root/sdk/c/wasmlet.c" ] || sdk_sources+=("$file"); done
folder_flags=()
if [ -f "$dir/build.flags" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    read -ra words <<<"$line"
    folder_flags+=(${words[@]+"${words[@]}"})
  done <"$dir/build.flags"
fi
# -O2 and --strip-all keep the core small (the hello is ~30 KB); a reactor
# exports _initialize, which the component runs once per instance.
clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all \
  -I"$root/sdk/c" -I"$dir" -o "$work/core.wasm" "${sources[@]}" "${sdk_sources[@]}" \
  ${folder_flags[@]+"${folder_flags[@]}"} ${WASMLET_CFLAGS:-}
mkdir -p "$(dirname "$out")"
node "$root/toolchains/componentize.mjs" "$work/core.wasm" "$out"
