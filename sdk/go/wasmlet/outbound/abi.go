// Canonical-ABI lowering of send's arguments and lifting of its result (layout:
// sdk/wit/README.md), against abi.Memory so that it is tested natively.
package outbound

import (
	"runtime"
	"unsafe"

	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// resultAreaWords is the size of result<response, http-error> on wasm32: 24 bytes, six u32 words.
const resultAreaWords = 6

// resultArea is what send writes: tag (u8) in word 0; ok: status (u16) in word 1, headers ptr/len
// in 2/3, body ptr/len in 4/5; err: code (u8) in word 1, message ptr/len in 2/3. Words are
// little-endian, so the u8 and u16 fields are their words' low bytes; the rest is padding.
type resultArea [resultAreaWords]uint32

// importFunc is the signature of the host's send: method and url as (ptr, len) strings, headers
// and body as (ptr, len), and where to write the result.
type importFunc func(method, url string, headersPtr, headersLen, bodyPtr, bodyLen uint32, ret *resultArea)

// send lowers req, calls the import and lifts what it wrote into area. The host copies the
// arguments during the call, so nothing needs to outlive it.
func send(mem abi.Memory, req Request, area *resultArea, importSend importFunc) (*Response, error) {
	wire := lowerHeaders(mem, req.Headers)
	headersPtr, _ := abi.WordsAddr(mem, wire)
	bodyPtr := mem.Addr(unsafe.Pointer(unsafe.SliceData(req.Body)))
	*area = resultArea{}
	importSend(req.Method, req.URL, headersPtr, uint32(len(req.Headers)), bodyPtr, uint32(len(req.Body)), area)
	// Only addresses crossed: keep what they point at until the host has copied it.
	runtime.KeepAlive(req)
	runtime.KeepAlive(wire)
	return liftResult(mem, *area)
}

// lowerHeaders lays headers out as list<tuple<string, string>>: four u32 words each (name ptr,
// len, value ptr, len). []uint32, not []byte: the list must be 4-aligned. The strings are the
// caller's, who keeps headers reachable during the call.
func lowerHeaders(mem abi.Memory, headers []wasmlet.Header) []uint32 {
	if len(headers) == 0 {
		return nil
	}
	wire := make([]uint32, 0, 4*len(headers))
	for _, h := range headers {
		namePtr, nameLen := abi.StringAddr(mem, h.Name)
		valuePtr, valueLen := abi.StringAddr(mem, h.Value)
		wire = append(wire, namePtr, nameLen, valuePtr, valueLen)
	}
	return wire
}

// liftResult takes what the host wrote: the header list, its strings and the body, or the
// message, each allocated with cabi_realloc and Go's from now on (an empty one is not taken).
func liftResult(mem abi.Memory, area resultArea) (*Response, error) {
	if area[0]&0xff != 0 {
		return nil, &Error{Code: codeFromWire(uint8(area[1])), Message: abi.String(mem, area[2], area[3])}
	}
	return &Response{
		Status:  int(area[1] & 0xffff),
		Headers: liftHeaders(mem, area[2], area[3]),
		Body:    abi.Bytes(mem, area[4], area[5]),
	}, nil
}

// liftHeaders takes a host-written list<tuple<string, string>>.
func liftHeaders(mem abi.Memory, ptr, count uint32) []wasmlet.Header {
	if count == 0 {
		return nil
	}
	wire := mem.Take(ptr, count*abi.PairBytes)
	headers := make([]wasmlet.Header, count)
	for i := range headers {
		p := wire[i*abi.PairBytes:]
		headers[i] = wasmlet.Header{
			Name:  abi.String(mem, abi.Le32(p[0:]), abi.Le32(p[4:])),
			Value: abi.String(mem, abi.Le32(p[8:]), abi.Le32(p[12:])),
		}
	}
	return headers
}
