//go:build wasip1

// The queue-handler core export and its post-return. They exist in a component exactly when
// the function imports this package (toolchains/componentize.mjs picks the world from them).
package queue

import (
	"unsafe"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// resultArea is handle's return area (12 bytes, 4-aligned); pending keeps what it points at
// alive. A wasm instance is single-threaded and the host calls post-return before the next
// handle, so one of each is enough.
var (
	resultArea [abi.ResultAreaWords]uint32
	pending    pendingResult
)

//go:wasmexport wasmlet:function/queue-handler@0.1.0#handle
func exportHandle(queuePtr, queueLen, messagesPtr, messagesLen uint32) uint32 {
	mem := abi.Linear{}
	name, messages := liftMessages(mem, handleArgs{queuePtr, queueLen, messagesPtr, messagesLen})
	results, err := dispatch(name, messages)
	resultArea, pending = lowerResult(mem, results, err)
	return uint32(uintptr(unsafe.Pointer(&resultArea)))
}

//go:wasmexport cabi_post_wasmlet:function/queue-handler@0.1.0#handle
func exportPostHandle(uint32) {
	// The host has copied the result out: let the collector have it.
	resultArea, pending = [abi.ResultAreaWords]uint32{}, pendingResult{}
}
