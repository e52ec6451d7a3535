//go:build wasip1

// The raw wasmlet:function/publisher@0.1.0 import.
package publish

import (
	"runtime"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// Every parameter is an i32: queue (ptr, len), body (ptr, len), attributes (ptr, len), delay-ms,
// and where to write the result. A Go string crosses //go:wasmimport as (ptr, len).
//
//go:wasmimport wasmlet:function/publisher@0.1.0 send
func importSend(queue string, bodyPtr, bodyLen, attributesPtr, attributesLen, delayMs uint32, ret *[abi.ResultAreaWords]uint32)

// sendArea receives send's result<string, string>. A global, not a local: the host calls back
// into cabi_realloc (Go code) for the string before it writes the area, and a goroutine stack
// may move meanwhile.
var sendArea [abi.ResultAreaWords]uint32

func hostSend(queue string, msg Message) (id, reason string, ok bool) {
	mem := abi.Linear{}
	wire := lowerAttributes(mem, msg.Attributes)
	bodyPtr, bodyLen := bodyAddr(mem, msg.Body)
	wirePtr, _ := abi.WordsAddr(mem, wire)
	sendArea = [abi.ResultAreaWords]uint32{}
	importSend(queue, bodyPtr, bodyLen, wirePtr, uint32(len(msg.Attributes)), msg.DelayMs, &sendArea)
	// Only addresses crossed: keep what they point at until the host has copied it.
	runtime.KeepAlive(msg)
	runtime.KeepAlive(wire)
	return liftResult(mem, sendArea)
}
