//go:build wasip1

// The component's core exports: cabi_realloc, handle and its post-return.
// The host calls them directly; only scalar types cross //go:wasmexport, so
// buffers travel as u32 addresses of linear memory.
package wasmlet

import "unsafe"

// linearMemory is guestMemory on wasm32, where an address is a Go pointer.
type linearMemory struct{}

// pinned holds every buffer cabi_realloc handed to the host, by address, until
// Go takes it: the host writes into it through memory the garbage collector
// knows nothing about, so without this reference the collector would free it
// (or reuse it) while the host still fills it or before handle reads it.
var pinned = map[uint32][]byte{}

func (linearMemory) take(ptr, n uint32) []byte {
	if buf, ok := pinned[ptr]; ok {
		delete(pinned, ptr)
		return buf[:n:n]
	}
	// The canonical ABI allocates every non-empty argument with cabi_realloc;
	// anything else is a host bug, and reading it would be a guess. A panic
	// traps this instance only (the host answers 502).
	panic("wasmlet: the host passed a buffer that cabi_realloc did not allocate")
}

func (linearMemory) addr(p unsafe.Pointer) uint32 {
	return uint32(uintptr(p))
}

// maxWordAlign is the largest alignment a []uint64 gives for free; the
// canonical ABI never asks for more (its widest type is 8 bytes).
const maxWordAlign = 8

//go:wasmexport cabi_realloc
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if newSize == 0 {
		delete(pinned, oldPtr)
		return align // any aligned pointer will do for an empty buffer
	}
	buf := alignedBytes(newSize, align)
	if oldSize != 0 {
		copy(buf, pinned[oldPtr])
		delete(pinned, oldPtr)
	}
	ptr := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
	pinned[ptr] = buf
	return ptr
}

// alignedBytes allocates n zeroed bytes at an address that is a multiple of
// align. A make([]byte) of a few bytes may come from the tiny allocator at any
// odd address, so the memory is allocated as 8-byte words.
func alignedBytes(n, align uint32) []byte {
	extra := uint32(0)
	if align > maxWordAlign {
		extra = align
	}
	words := make([]uint64, (n+extra+7)/8)
	base := uintptr(unsafe.Pointer(unsafe.SliceData(words)))
	skip := 0
	if extra != 0 {
		skip = int((uintptr(align) - base%uintptr(align)) % uintptr(align))
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(words)*8)[skip : skip+int(n)]
}

// resultArea is handle's return area (24 bytes, 4-aligned); pending keeps what
// it points at alive. A wasm instance is single-threaded and the host calls
// post-return before the next handle, so one of each is enough.
var (
	resultArea [resultAreaWords]uint32
	pending    pendingResult
)

//go:wasmexport wasmlet:function/http-handler@0.1.0#handle
func exportHandle(methodPtr, methodLen, pathPtr, pathLen, queryPtr, queryLen, headersPtr, headersLen, bodyPtr, bodyLen uint32) uint32 {
	req := liftRequest(linearMemory{}, handleArgs{
		methodPtr, methodLen, pathPtr, pathLen, queryPtr, queryLen, headersPtr, headersLen, bodyPtr, bodyLen,
	})
	res, err := dispatch(req)
	resultArea, pending = lowerResult(linearMemory{}, res, err)
	return uint32(uintptr(unsafe.Pointer(&resultArea)))
}

//go:wasmexport cabi_post_wasmlet:function/http-handler@0.1.0#handle
func exportPostHandle(uint32) {
	// The host has copied the result out: let the collector have it.
	resultArea, pending = [resultAreaWords]uint32{}, pendingResult{}
}
