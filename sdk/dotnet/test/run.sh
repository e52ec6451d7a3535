#!/usr/bin/env bash
# Builds and runs the C# SDK's tests on this machine with Mono (not as wasm): the SDK's *.cs and
# test/*.cs compile into one program, so the tests reach internals (Abi against a fake memory).
# The component runs on .NET 10, these run on Mono's class library: the SDK avoids APIs whose
# behaviour differs (QueryString.cs). The last line is "N passed, N failed"; exit 1 on any failure.
#   sdk/dotnet/test/run.sh          (needs mcs and mono: toolchains/dotnet/install.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for tool in mcs mono; do
  command -v "$tool" >/dev/null || { echo "dotnet sdk tests: $tool not found; run toolchains/dotnet/install.sh" >&2; echo "0 passed, 1 failed"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! mcs -target:exe -debug -nologo -warnaserror+ -out:"$work/sdk-tests.exe" "$here"/../*.cs "$here"/*.cs; then
  echo "dotnet sdk tests: do not compile"
  echo "0 passed, 1 failed"
  exit 1
fi
mono --debug "$work/sdk-tests.exe"
