#!/usr/bin/env bash
# Builds and runs the C SDK's tests on this machine (not as wasm): each *-test.c includes the SDK
# file it tests (wasmlet-test.c ../wasmlet.c, queue-test.c ../wasmlet-queue.c, ...) with the host
# imports stubbed. Two builds of each when the compiler can make them:
#   native  the machine's word size, under AddressSanitizer + UBSan when available
#   32-bit  `cc -m32` (Debian: apt-get install gcc-multilib): pointers are 4 bytes as on wasm32,
#           which the canonical-ABI tests need; a failure when -m32 cannot link (WASMLET_ALLOW_NO_M32=1 skips)
# The last line is the total, "N passed, N failed"; the exit status is 1 on any failure.
#   sdk/c/test/run.sh          (CC=clang sdk/c/test/run.sh to pick the compiler)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "c sdk tests: $cc not found (set CC)" >&2; echo "0 passed, 1 failed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cflags=(-std=c11 -O1 -g -Wall -Wextra -I"$here/..")
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

# Prints the flags that link a trivial program with `$@`, or fails.
can_link() {
  printf 'int main(void){return 0;}\n' >"$work/probe.c"
  "$cc" "$@" "$work/probe.c" -o "$work/probe" 2>/dev/null && "$work/probe"
}

passed=0
failed=0
# run_suite BUILD FLAGS...: compiles every *-test.c, runs it, echoes the output but its summary
# line, adds up.
run_suite() {
  local build=$1 test_file
  shift
  for test_file in "$here"/*-test.c; do
    run_test "$build-$(basename "$test_file" .c)" "$test_file" "$@"
  done
}

# run_test NAME FILE FLAGS...: one test program of one build.
run_test() {
  local name=$1 file=$2
  shift 2
  if ! "$cc" "${cflags[@]}" "$@" "$file" -o "$work/$name" 2>"$work/$name.cc.log"; then
    cat "$work/$name.cc.log"
    echo "$name: does not compile"
    failed=$((failed + 1))
    return
  fi
  "$work/$name" >"$work/$name.out" 2>&1
  local status=$? summary
  summary=$(tail -n 1 "$work/$name.out")
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    sed '$d' "$work/$name.out"
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    [ "$status" -eq 0 ] || [ "${BASH_REMATCH[2]}" -gt 0 ] || { echo "$name: exited $status (sanitizer report above?)"; failed=$((failed + 1)); }
  else
    cat "$work/$name.out" # a crash or sanitizer abort before the summary
    echo "$name: crashed (exit $status) before finishing"
    failed=$((failed + 1))
  fi
}

if can_link "${sanitize[@]}"; then run_suite native "${sanitize[@]}"; else run_suite native; fi
if can_link -m32 "${sanitize[@]}"; then
  run_suite 32-bit -m32 "${sanitize[@]}"
elif can_link -m32; then
  run_suite 32-bit -m32
elif [ "${WASMLET_ALLOW_NO_M32:-}" = 1 ]; then
  echo "32-bit: skipped (WASMLET_ALLOW_NO_M32=1), \`$cc -m32\` cannot link; the canonical-ABI tests did not run"
else
  echo "32-bit: \`$cc -m32\` cannot link, so the canonical-ABI tests cannot run: apt-get install gcc-multilib (or set WASMLET_ALLOW_NO_M32=1 to skip them)" >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
