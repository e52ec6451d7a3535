//go:build wasip1

// The raw wasmlet:function/outbound-http@0.1.0 import.
package outbound

import "wasmlet.dev/sdk/go/wasmlet/internal/abi"

// Every parameter is an i32: method (ptr, len), url (ptr, len), headers (ptr, len), body (ptr,
// len), and where to write the result. A Go string crosses //go:wasmimport as (ptr, len).
//
//go:wasmimport wasmlet:function/outbound-http@0.1.0 send
func importSend(method, url string, headersPtr, headersLen, bodyPtr, bodyLen uint32, ret *resultArea)

// sendArea receives send's result. A global, not a local: the host calls back into cabi_realloc
// (Go code) for every string and list before it writes the area, and a goroutine stack may move
// meanwhile.
var sendArea resultArea

func hostSend(req Request) (*Response, error) {
	return send(abi.Linear{}, req, &sendArea, func(method, url string, headersPtr, headersLen, bodyPtr, bodyLen uint32, ret *resultArea) {
		importSend(method, url, headersPtr, headersLen, bodyPtr, bodyLen, ret)
	})
}
