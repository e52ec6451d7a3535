// Canonical-ABI lowering of send's arguments and lifting of its result (layout:
// sdk/wit/README.md), against abi.Memory so that it is tested natively.
package publish

import (
	"unsafe"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// lowerAttributes lays attributes out as list<tuple<string, string>>: four u32 words each (name
// ptr, len, value ptr, len). []uint32, not []byte: the list must be 4-aligned. The strings are
// the caller's, who keeps attributes reachable during the call.
func lowerAttributes(mem abi.Memory, attributes []Attribute) []uint32 {
	if len(attributes) == 0 {
		return nil
	}
	wire := make([]uint32, 0, 4*len(attributes))
	for _, a := range attributes {
		namePtr, nameLen := abi.StringAddr(mem, a.Name)
		valuePtr, valueLen := abi.StringAddr(mem, a.Value)
		wire = append(wire, namePtr, nameLen, valuePtr, valueLen)
	}
	return wire
}

// liftResult reads the result<string, string> send wrote: tag u8 at word 0 (0 ok: the message
// id; 1 err: the reason), the string's ptr and len at words 1 and 2. The host allocated the
// string with cabi_realloc: it is Go's now.
func liftResult(mem abi.Memory, area [abi.ResultAreaWords]uint32) (id, reason string, ok bool) {
	text := abi.String(mem, area[1], area[2])
	if area[0]&0xff != 0 {
		if text == "" {
			text = "the host refused the message without a reason"
		}
		return "", text, false
	}
	return text, "", true
}

// bodyAddr is (ptr, len) of body for the host to read.
func bodyAddr(mem abi.Memory, body []byte) (ptr, n uint32) {
	return mem.Addr(unsafe.Pointer(unsafe.SliceData(body))), uint32(len(body))
}
