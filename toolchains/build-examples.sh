#!/usr/bin/env bash
# Rebuilds every example component from source with its language's recipe (`npm run examples`).
# Components whose bundle is < 1 MB are committed so `npm start` needs only Node and npm; this
# script is how they were made. Python and .NET components (tens of MB) are not committed: build
# them here, nor is http-proxy-js (a 14 MB StarlingMonkey wasi:http component). C, Rust and Go
# builds are bit-reproducible; QuickJS builds differ in ~170 bytes of snapshotted engine state.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build() {
  local lang=$1 dir=$2 name
  name=$(basename "$dir")
  echo "== $name ($lang)"
  "$root/toolchains/$lang/install.sh"
  "$root/toolchains/$lang/build.sh" "$dir" "$dir/$name.wasm"
}
build c "$root/examples/hello-c"
build rust "$root/examples/hello-rust"
build js "$root/examples/hello-js"
build go "$root/examples/hello-go"
build python "$root/examples/hello-python"
build dotnet "$root/examples/hello-dotnet"
build c "$root/examples/thumbnail"
build c "$root/examples/thumbnail-on-upload"
build js "$root/examples/json-api"
build js "$root/examples/welcome-email"
build js "$root/examples/http-proxy-js"
