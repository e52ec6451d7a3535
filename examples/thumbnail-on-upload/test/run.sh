#!/usr/bin/env bash
# Builds thumbnail-on-upload for this machine (not as wasm) with the C SDK's glue and stubs of the
# host's imports, and runs its tests against ../testdata and ../../thumbnail/testdata, under ASan + UBSan
# when the compiler has them; the handler's cases need pointers of wasm32's size, so they run in a
# 32-bit build too (`cc -m32`, Debian's gcc-multilib) when it links.
# The last line is "N passed, N failed"; exit 1 on any failure.
#   examples/thumbnail-on-upload/test/run.sh          (CC=clang ... to pick the compiler)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fn=$(cd "$here/.." && pwd)
thumbnail=$(cd "$here/../../thumbnail" && pwd)
sdk=$(cd "$here/../../../sdk/c" && pwd)
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f /usr/include/stb/stb_image.h ] || { echo "thumbnail-on-upload tests: /usr/include/stb missing (apt-get install libstb-dev)"; echo "0 passed, 1 failed"; exit 1; }
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
can_link() {
  printf 'int main(void){return 0;}\n' >"$work/probe.c"
  "$cc" "$@" "$work/probe.c" -o "$work/probe" 2>/dev/null && "$work/probe"
}
passed=0
failed=0
# build NAME FLAGS...: stb's implementation without -Wall (its warnings are not ours), then the tests.
build_and_run() {
  local name=$1
  shift
  local flags=(-std=c11 -O1 -g -Wall -Wextra -DWASMLET_NO_HTTP_HANDLER -I"$sdk" -I"$sdk/test" -I"$fn" -I/usr/include/stb "$@")
  if ! "$cc" -std=c11 -O1 -g -I"$fn" -I/usr/include/stb "$@" -c "$fn/image.c" -o "$work/$name-image.o" 2>"$work/cc.log" ||
     ! "$cc" "${flags[@]}" "$here/on-upload-test.c" "$fn/orientation.c" "$fn/thumbnail-key.c" "$work/$name-image.o" -lm -o "$work/$name" 2>>"$work/cc.log"; then
    cat "$work/cc.log"
    echo "$name: does not compile"
    failed=$((failed + 1))
    return
  fi
  "$work/$name" "$thumbnail/testdata" "$fn/testdata" >"$work/$name.out" 2>&1
  local status=$? summary
  summary=$(tail -n 1 "$work/$name.out")
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    sed '$d' "$work/$name.out"
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    [ "$status" -eq 0 ] || [ "${BASH_REMATCH[2]}" -gt 0 ] || { echo "$name: exited $status"; failed=$((failed + 1)); }
  else
    cat "$work/$name.out"
    echo "$name: crashed (exit $status) before finishing"
    failed=$((failed + 1))
  fi
}
# image.{c,h} and orientation.{c,h} are examples/thumbnail's, copied so this folder builds on its
# own: a copy that drifted from the original fails here.
for file in image.c image.h orientation.c orientation.h; do
  if ! cmp -s "$fn/$file" "$thumbnail/$file"; then
    echo "$file differs from examples/thumbnail/$file: change both, or copy it again"
    failed=$((failed + 1))
  fi
done
if can_link "${sanitize[@]}"; then build_and_run native "${sanitize[@]}"; else build_and_run native; fi
if can_link -m32 "${sanitize[@]}"; then build_and_run 32-bit -m32 "${sanitize[@]}"
elif can_link -m32; then build_and_run 32-bit -m32
else echo "32-bit: \`$cc -m32\` cannot link (apt-get install gcc-multilib): the handler's cases did not run"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
