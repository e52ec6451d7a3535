//go:build wasip1

// The schedule-handler core export and its post-return. They exist in a component exactly when
// the function imports this package (toolchains/componentize.mjs picks the world from them).
package schedule

import (
	"unsafe"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// resultArea is handle's return area (12 bytes, 4-aligned); pendingMessage keeps the error
// message it points at alive until post-return.
var (
	resultArea     [abi.ResultAreaWords]uint32
	pendingMessage string
)

// The event record flattens to (name ptr, name len, scheduled-at): i32, i32, i64.
//
//go:wasmexport wasmlet:function/schedule-handler@0.1.0#handle
func exportHandle(namePtr, nameLen uint32, scheduledAt uint64) uint32 {
	mem := abi.Linear{}
	err := dispatch(liftEvent(mem, namePtr, nameLen, scheduledAt))
	resultArea, pendingMessage = lowerResult(mem, err)
	return uint32(uintptr(unsafe.Pointer(&resultArea)))
}

//go:wasmexport cabi_post_wasmlet:function/schedule-handler@0.1.0#handle
func exportPostHandle(uint32) {
	resultArea, pendingMessage = [abi.ResultAreaWords]uint32{}, ""
}
