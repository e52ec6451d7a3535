#!/usr/bin/env bash
# Builds a JavaScript function folder (entry handler.js or index.js, which exports
# `handle(request)`, `handleMessage(message, queue)` or `handleBatch(queue, messages)`,
# and/or `handleSchedule(event)`) into a component with jco's QuickJS backend; see build.mjs.
# An entry that registers `addEventListener('fetch', …)` becomes a standard wasi:http/proxy
# component instead, built with StarlingMonkey (build-wasi-http.mjs).
#   toolchains/js/build.sh <function-dir> <out.wasm>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: toolchains/js/build.sh <function-dir> <out.wasm>" >&2; exit 2; }
command -v node >/dev/null || { echo "js toolchain: node not found (Node >= 20 is required)" >&2; exit 1; }
"$here/install.sh" --check
exec node "$here/build.mjs" "$1" "$2"
