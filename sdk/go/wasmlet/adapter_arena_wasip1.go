//go:build wasip1

// Memory for the WASI preview1 adapter, which must not come from Go.
//
// The adapter allocates its state and its stack once per instance. Without a
// cabi_realloc meant for it, it calls the module's cabi_realloc (Go code
// re-entered while the runtime is still initializing: "table index is out of
// bounds"), or grows memory itself, which breaks Go's assumption that it owns
// every page it grew. So the adapter gets this static array instead:
// toolchains/go/patch-adapter-arena.mjs finds it in the linked module by its
// 16-byte magic and adds a raw-wasm bump allocator over it, exported as
// cabi_realloc_adapter, which wit-component hands to the adapter in place of
// cabi_realloc. The adapter takes 128 KiB of the 192 (measured with Go 1.26
// and jco 1.35's adapter); the allocator traps if it ever runs out.
package wasmlet

import "unsafe"

// adapterArenaBytes must match ARENA_BYTES in patch-adapter-arena.mjs.
const adapterArenaBytes = 3 << 16

var adapterArena = [16 + adapterArenaBytes]byte{'W', 'A', 'S', 'I', '-', 'A', 'D', 'A', 'P', 'T', 'E', 'R', '-', 'A', 'R', 'N'}

// adapterArenaKeep references the arena so that the linker keeps it although
// no Go code uses it.
var adapterArenaKeep unsafe.Pointer

func init() {
	adapterArenaKeep = unsafe.Pointer(&adapterArena)
}
