#!/usr/bin/env bash
# Checks the JavaScript toolchain: Node >= 20 and jco with its QuickJS backend, its
# StarlingMonkey backend (componentize-js + wizer, for wasi:http guests) and its bundler, all
# installed by `npm ci` from package-lock.json (nothing else is downloaded).
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
  // Found, not imported: importing componentize-js compiles its splicer (seconds), and its
  // package exports no require() entry to resolve.
  const { existsSync } = await import("node:fs");
  const find = (from, name, file) => {
    const dir = createRequire(from).resolve.paths(name).map((p) => `${p}/${name}`).find((d) => existsSync(`${d}/${file}`));
    if (!dir) throw new Error(`${name} not found`);
    return dir;
  };
  const cjs = find(jco, "@bytecodealliance/componentize-js", "lib/starlingmonkey_embedding.wasm");
  find(`${cjs}/package.json`, "@bytecodealliance/wizer", "package.json");
' 2>/dev/null); then
  echo "js toolchain: @bytecodealliance/jco (with componentize-qjs, componentize-js, wizer and rolldown) is not installed in $root/node_modules; run \`npm ci\` in $root" >&2
  exit 1
fi
[ "$quiet" = "--check" ] || echo "js toolchain: ready (node $(node --version), jco $(node -p 'require(process.argv[1]).version' "$root/node_modules/@bytecodealliance/jco/package.json" 2>/dev/null || echo '?'))"
