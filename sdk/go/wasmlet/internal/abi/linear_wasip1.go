//go:build wasip1

// The component's own linear memory, whose allocator (cabi_realloc) lives in package wasmlet.
package abi

import (
	"unsafe"

	// cabiRealloc's body is in package wasmlet: linking it needs the package linked.
	_ "wasmlet.dev/sdk/go/wasmlet"
)

// Linear is Memory on wasm32, where an address is a Go pointer.
type Linear struct{}

// Take hands a buffer that package wasmlet's cabi_realloc allocated, and pinned, over to Go: the
// slice made here keeps the buffer alive, so it is unpinned by reallocating it to size 0, which
// is how the canonical ABI frees (cabiRealloc deletes the pin and allocates nothing).
// The address-to-pointer conversion (which go vet's unsafeptr check flags as possible misuse) is
// sound here: ptr is a Go heap object that the pin keeps alive at this moment, Go's collector
// never moves heap objects, and on wasm32 an address is the pointer.
func (Linear) Take(ptr, n uint32) []byte {
	b := unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n)
	cabiRealloc(ptr, n, 1, 0)
	return b
}

func (Linear) Addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// cabiRealloc is package wasmlet's cabi_realloc export (wasmlet/abi_wasip1.go). The queue,
// schedule and publish glue lives in packages of their own, so that only a function importing
// them links them (a core export that exists is a handler the host believes in), and package
// wasmlet itself cannot gain an exported bridge without changing the bytes of every Go
// component already built (toolchains/check-reproducible.sh). Its signature is the canonical
// ABI's, so it cannot drift.
//
//go:linkname cabiRealloc wasmlet.dev/sdk/go/wasmlet.cabiRealloc
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32
