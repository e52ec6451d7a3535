#!/bin/sh
# Unit-tests greeting.c (greeting and query_param) with the machine's own C compiler and libc (not wasm): sh test.sh
# $CC picks the compiler; default cc, else clang.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-$(command -v cc || command -v clang || echo cc)}
"$cc" -std=c11 -Wall -Wextra -Werror -I. -o "$work/greeting_test" greeting.c tests/greeting_test.c
"$work/greeting_test"
