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
# The export files (compiled into a component only for the handlers a function defines) must
# compile against every handler shape the SDK documents: each shape counts as one test.
exports="$here/../exports"
shapes_passed=0 shapes_failed=0
compiles() {
  local name=$1; shift
  if mcs -target:library -nologo -warnaserror+ -out:"$work/$name.dll" "$here"/../*.cs "$@" >"$work/$name.log" 2>&1; then
    shapes_passed=$((shapes_passed + 1))
  else
    shapes_failed=$((shapes_failed + 1))
    echo "FAIL the exports do not compile with test/exports/$name.cs:"
    cat "$work/$name.log"
  fi
}
compiles AllHandlers "$exports/HttpExport.cs" "$exports/QueueExport.cs" "$exports/ScheduleExport.cs" "$here/exports/AllHandlers.cs"
compiles EachWithResult "$exports/QueueEachExport.cs" "$here/exports/EachWithResult.cs"
compiles EachWithoutResult "$exports/QueueEachExport.cs" "$here/exports/EachWithoutResult.cs"
mono --debug "$work/sdk-tests.exe" >"$work/tests.out"
sed '$d' "$work/tests.out"
read -r passed _ failed _ < <(tail -1 "$work/tests.out")
echo "$((passed + shapes_passed)) passed, $((failed + shapes_failed)) failed"
[ $((failed + shapes_failed)) -eq 0 ]
