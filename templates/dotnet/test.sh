#!/bin/sh
# Unit-tests the function natively with Mono (not wasm): sh test.sh
# Compiles the C# SDK of the wasmlet checkout, the *.cs here and tests/*.cs into one program.
set -eu
cd "$(dirname "$0")"
sdk="{{wasmlet_root}}/sdk/dotnet"
for tool in mcs mono; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool not found; run {{wasmlet_root}}/toolchains/dotnet/install.sh" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mcs -target:exe -nologo -out:"$work/tests.exe" "$sdk"/*.cs ./*.cs tests/*.cs
mono "$work/tests.exe"
