#!/usr/bin/env bash
# Checks the JavaScript toolchain: Node >= 20 and jco with its QuickJS backend and
# bundler, all installed by `npm ci` from package-lock.json (nothing else is downloaded).
#   toolchains/js/install.sh [--check]    (--check: quiet on success)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
quiet=${1:-}
command -v node >/dev/null || { echo "js toolchain: node not found; install Node >= 20" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "js toolchain: Node $(node --version) is too old; Node >= 20 is required" >&2; exit 1; }
# Resolved the way jco resolves them, so both hoisted and nested installs pass.
if ! (cd "$root" && node --input-type=module -e '
  import { createRequire } from "node:module";
  const jco = createRequire(process.cwd() + "/").resolve("@bytecodealliance/jco");
  const fromJco = createRequire(jco);
  for (const dep of ["componentize-qjs", "rolldown"]) await import(fromJco.resolve(dep));
' 2>/dev/null); then
  echo "js toolchain: @bytecodealliance/jco (with componentize-qjs and rolldown) is not installed in $root/node_modules; run \`npm ci\` in $root" >&2
  exit 1
fi
[ "$quiet" = "--check" ] || echo "js toolchain: ready (node $(node --version), jco $(node -p 'require(process.argv[1]).version' "$root/node_modules/@bytecodealliance/jco/package.json" 2>/dev/null || echo '?'))"
