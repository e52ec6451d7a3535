#!/usr/bin/env bash
# Builds the thumbnail function for this machine (not as wasm) with the C SDK's glue, and runs its
# tests against ../testdata under AddressSanitizer + UBSan when the compiler has them.
# Needs Debian's libstb-dev. The last line is "N passed, N failed"; exit 1 on any failure.
#   examples/thumbnail/test/run.sh          (CC=clang ... to pick the compiler)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fn=$(cd "$here/.." && pwd)
sdk=$(cd "$here/../../../sdk/c" && pwd)
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f /usr/include/stb/stb_image.h ] || { echo "thumbnail tests: /usr/include/stb missing (apt-get install libstb-dev)"; echo "0 passed, 1 failed"; exit 1; }
flags=(-std=c11 -O1 -g -Wall -Wextra -I"$sdk" -I"$sdk/test" -I"$fn" -I/usr/include/stb)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
printf 'int main(void){return 0;}\n' >"$work/probe.c"
"$cc" "${sanitize[@]}" "$work/probe.c" -o "$work/probe" 2>/dev/null && "$work/probe" || sanitize=()
# image.c (stb's implementation) is compiled without -Wall -Wextra: its warnings are not ours.
if ! "$cc" -std=c11 -O1 -g -I"$fn" -I/usr/include/stb ${sanitize[@]+"${sanitize[@]}"} -c "$fn/image.c" -o "$work/image.o" 2>"$work/cc.log" ||
   ! "$cc" "${flags[@]}" ${sanitize[@]+"${sanitize[@]}"} "$here/thumbnail-test.c" "$fn/orientation.c" "$work/image.o" -lm -o "$work/thumbnail-test" 2>>"$work/cc.log"; then
  cat "$work/cc.log"
  echo "0 passed, 1 failed"
  exit 1
fi
"$work/thumbnail-test" "$fn/testdata"
