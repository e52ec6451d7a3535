#!/usr/bin/env bash
# Builds a Rust function folder (a cdylib crate using sdk/rust) into a
# component: cargo for wasm32-wasi with Debian's rustc 1.63, then componentized.
#   toolchains/rust/build.sh <function-dir> <out.wasm>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:?usage: build.sh <function-dir> <out.wasm>}
out=${2:?usage: build.sh <function-dir> <out.wasm>}
dir=$(cd "$dir" && pwd -P)
# Absolute paths: rustup's rustc/cargo usually come first on PATH and have no
# wasm32-wasi std ("could not find specification for target"), and rustup's
# cargo cannot drive rustc 1.63.
rustc=/usr/bin/rustc cargo=/usr/bin/cargo
for tool in "$rustc" "$cargo"; do
  [ -x "$tool" ] || { echo "rust toolchain: $tool not found; run toolchains/rust/install.sh" >&2; exit 1; }
done
[ -d /usr/lib/rustlib/wasm32-wasi/lib ] || { echo "rust toolchain: wasm32-wasi std not found; run toolchains/rust/install.sh" >&2; exit 1; }
[ -f "$dir/Cargo.toml" ] || { echo "rust build: no Cargo.toml in $dir" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The recipe owns the release profile, whatever the crate says: size over speed
# (opt-level s, fat LTO, one codegen unit, stripped) and panic=abort, which makes
# a panic a trap (the host answers 502) and drops the unwinding code.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_LTO=true \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_PROFILE_RELEASE_STRIP=true
# Cargo hashes the absolute path of a path dependency outside the crate (sdk/rust) into every
# symbol name, and symbol names order the functions in the output: built in place, the bytes would
# depend on where the checkout is (measured: /tmp/ci-x and /work/main agree, /tmp/ci-y does not).
# So a function inside this checkout is built from a copy at a fixed place, with the same relative
# layout and a lock against concurrent builds; one outside the checkout is built in place.
stage=/tmp/wasmlet-rust-stage
src_dir=$dir
case "$dir/" in
  "$root"/*)
    exec 9>"$stage.lock"
    flock 9
    rel=${dir#"$root"/}
    rm -rf "$stage"
    mkdir -p "$stage/sdk" "$stage/$rel"
    # Modification times are kept, so cargo's fingerprints in $dir/target stay valid between builds.
    (cd "$root/sdk" && tar --exclude=./rust/target -cf - ./rust) | (cd "$stage/sdk" && tar -xpf -)
    (cd "$dir" && tar --exclude=./target -cf - .) | (cd "$stage/$rel" && tar -xpf -)
    src_dir="$stage/$rel"
    ;;
esac
# target/ inside the function folder is gitignored and keeps incremental rebuilds warm.
export CARGO_TARGET_DIR="$dir/target" RUSTC="$rustc" RUSTDOC=/usr/bin/rustdoc
# Panic locations embed source paths: remapped, so no build machine's paths end up in the bytes.
export RUSTFLAGS="--remap-path-prefix=$stage=wasmlet --remap-path-prefix=$root=wasmlet ${RUSTFLAGS:-}"
# --offline: the SDK has no dependencies, and build machines need no registry.
"$cargo" build --manifest-path "$src_dir/Cargo.toml" --release --target wasm32-wasi --lib --offline \
  --message-format=json-render-diagnostics >"$work/cargo.jsonl"

# The crate's own cdylib artifact is the core module (names may differ from the folder's).
core=$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const manifest = process.argv[2];
  const files = lines.map((line) => JSON.parse(line))
    .filter((m) => m.reason === "compiler-artifact" && m.manifest_path === manifest && m.target.crate_types.includes("cdylib"))
    .flatMap((m) => m.filenames.filter((f) => f.endsWith(".wasm")));
  if (files.length !== 1) { console.error(`rust build: expected one cdylib .wasm, got ${files.length}; set [lib] crate-type = ["cdylib"]`); process.exit(1); }
  console.log(files[0]);
' "$work/cargo.jsonl" "$src_dir/Cargo.toml")
mkdir -p "$(dirname "$out")"
node "$root/toolchains/componentize.mjs" "$core" "$out"
