#!/bin/sh
# Unit-tests Function.cs natively with Mono (not wasm): sh test.sh
# The last line is "N passed, N failed"; the exit status is 1 on any failure.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mcs -target:exe -nologo -warnaserror+ -out:"$work/tests.exe" ../../sdk/dotnet/*.cs ./*.cs tests/*.cs
mono "$work/tests.exe"
