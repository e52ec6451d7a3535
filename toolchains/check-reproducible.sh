#!/usr/bin/env bash
# Rebuilds the C (both worlds), Rust and Go example components and every C fixture into a scratch folder and
# fails if any differs from the committed bytes (a stale or hand-edited .wasm).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
check() {
  local committed=$1 rebuilt=$2
  if cmp -s "$committed" "$rebuilt"; then
    echo "same  ${committed#"$root"/}"
  else
    echo "DIFFERENT  ${committed#$root/} (rebuild with its toolchains/ recipe and commit)" >&2
    status=1
  fi
}
"$root/toolchains/c/build.sh" "$root/examples/hello-c" "$scratch/hello-c.wasm" >/dev/null
check "$root/examples/hello-c/hello-c.wasm" "$scratch/hello-c.wasm"
# The recipe remaps the checkout path, so building in place gives the same bytes anywhere.
"$root/toolchains/rust/build.sh" "$root/examples/hello-rust" "$scratch/hello-rust.wasm" >/dev/null
check "$root/examples/hello-rust/hello-rust.wasm" "$scratch/hello-rust.wasm"
"$root/toolchains/go/build.sh" "$root/examples/hello-go" "$scratch/hello-go.wasm" >/dev/null
check "$root/examples/hello-go/hello-go.wasm" "$scratch/hello-go.wasm"
# The seed's example: a queue-only C function with stb and the objects binding.
"$root/toolchains/c/build.sh" "$root/examples/thumbnail-on-upload" "$scratch/thumbnail-on-upload.wasm" >/dev/null
check "$root/examples/thumbnail-on-upload/thumbnail-on-upload.wasm" "$scratch/thumbnail-on-upload.wasm"
# A standard wasi:http guest: the C recipe hands it to toolchains/c-http (wit-bindgen's bindings).
"$root/toolchains/c/build.sh" "$root/examples/hello-c-http" "$scratch/hello-c-http.wasm" >/dev/null
check "$root/examples/hello-c-http/hello-c-http.wasm" "$scratch/hello-c-http.wasm"
# Every C fixture, through the C recipe: a wasi:http one (http-probe) goes on to toolchains/c-http as above.
for dir in "$root"/test/fixtures/*/; do
  dir=${dir%/}/
  name=$(basename "$dir")
  compgen -G "${dir}*.c" >/dev/null || continue
  compgen -G "${dir}*.wit" >/dev/null && continue # other-world fixtures: see toolchains/build-fixtures.sh
  "$root/toolchains/c/build.sh" "$dir" "$scratch/$name.wasm" >/dev/null
  check "${dir}$name.wasm" "$scratch/$name.wasm"
done
exit $status
