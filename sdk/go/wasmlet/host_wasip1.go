//go:build wasip1

// The raw wasmlet:function/host@0.1.0 imports.
package wasmlet

// A string parameter crosses //go:wasmimport as (ptr, len), as the canonical
// ABI flattens it.
//
//go:wasmimport wasmlet:function/host@0.1.0 log
func importLog(level uint32, msg string)

//go:wasmimport wasmlet:function/host@0.1.0 get-config
func importGetConfig(key string, ret *[3]uint32)

// configArea receives get-config's option<string>: tag u8 at 0, ptr at 4, len
// at 8. A global, not a local: the host calls back into cabi_realloc (Go code)
// before it writes the area, and a goroutine stack may move meanwhile.
var configArea [3]uint32

func hostLog(level Level, msg string) {
	importLog(uint32(level), msg)
}

func hostGetConfig(key string) (string, bool) {
	configArea = [3]uint32{}
	importGetConfig(key, &configArea)
	if configArea[0]&0xff == 0 {
		return "", false
	}
	// The host allocated the string with our cabi_realloc: it is ours now.
	return liftString(linearMemory{}, configArea[1], configArea[2]), true
}
