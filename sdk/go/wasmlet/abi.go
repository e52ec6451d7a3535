// Canonical-ABI lifting and lowering of handle (layout: sdk/wit/README.md),
// written against guestMemory so that it runs, and is tested, natively too;
// abi_wasip1.go supplies the real linear memory and the wasm exports.
package wasmlet

import "unsafe"

// guestMemory is linear memory as the glue needs it.
type guestMemory interface {
	// take returns the n bytes at ptr that the host allocated with
	// cabi_realloc and filled; from now on they belong to Go (the callee owns
	// its arguments) and the garbage collector frees them when unreachable.
	take(ptr, n uint32) []byte
	// addr is the linear-memory address of p, for the host to read.
	addr(p unsafe.Pointer) uint32
}

// Sizes on wasm32: tuple<string, string> is four u32 words; the result area
// of result<http-response, string> is six (sdk/wit/README.md).
const (
	headerWireBytes = 16
	resultAreaWords = 6
)

// handleArgs are handle's ten flattened parameters: method, path, query,
// headers and body, each as (ptr, len).
type handleArgs [10]uint32

// liftRequest builds the Request without copying: each string and the body
// are views of the buffers the host wrote, which they keep alive.
func liftRequest(mem guestMemory, a handleArgs) Request {
	req := Request{
		Method: liftString(mem, a[0], a[1]),
		Path:   liftString(mem, a[2], a[3]),
		Query:  liftString(mem, a[4], a[5]),
	}
	if count := a[7]; count > 0 {
		wire := mem.take(a[6], count*headerWireBytes)
		req.Headers = make([]Header, count)
		for i := range req.Headers {
			h := wire[i*headerWireBytes:]
			req.Headers[i] = Header{
				Name:  liftString(mem, le32(h[0:]), le32(h[4:])),
				Value: liftString(mem, le32(h[8:]), le32(h[12:])),
			}
		}
	}
	if a[9] > 0 {
		req.Body = mem.take(a[8], a[9])
	}
	return req
}

// liftString takes a host-written UTF-8 buffer as a string. The buffer is
// never written again (the host has let go of it), so the view is immutable.
func liftString(mem guestMemory, ptr, n uint32) string {
	if n == 0 {
		return "" // an empty string may point anywhere, even at 0: never take it
	}
	b := mem.take(ptr, n)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// le32 reads a little-endian u32 (encoding/binary would link reflect into every function).
func le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// pendingResult holds everything the result area points at, so that it stays
// reachable until the host has copied it out and called post-return.
type pendingResult struct {
	headers []Header // the strings the wire array points at
	wire    []uint32
	body    []byte
	message string
}

// lowerResult writes the handler's outcome in the layout of
// result<http-response, string>: tag at word 0; ok: status, headers ptr/len,
// body ptr/len; err: message ptr/len. Words are little-endian u32, so the u8
// tag and the u16 status sit in the low bytes of theirs.
func lowerResult(mem guestMemory, res Response, err error) ([resultAreaWords]uint32, pendingResult) {
	if err == nil && (res.Status < 0 || res.Status > 0xffff) {
		err = statusError(res.Status)
	}
	if err != nil {
		message := err.Error()
		if message == "" {
			message = "handler returned an error with an empty message"
		}
		area := [resultAreaWords]uint32{1, mem.addr(unsafe.Pointer(unsafe.StringData(message))), uint32(len(message))}
		return area, pendingResult{message: message}
	}
	keep := pendingResult{headers: res.Headers, body: res.Body}
	if len(res.Headers) > 0 {
		// []uint32, not []byte: the element array must be 4-aligned.
		keep.wire = make([]uint32, 0, 4*len(res.Headers))
		for _, h := range res.Headers {
			keep.wire = append(keep.wire,
				mem.addr(unsafe.Pointer(unsafe.StringData(h.Name))), uint32(len(h.Name)),
				mem.addr(unsafe.Pointer(unsafe.StringData(h.Value))), uint32(len(h.Value)))
		}
	}
	area := [resultAreaWords]uint32{
		0,
		uint32(res.Status),
		mem.addr(unsafe.Pointer(unsafe.SliceData(keep.wire))), uint32(len(res.Headers)),
		mem.addr(unsafe.Pointer(unsafe.SliceData(res.Body))), uint32(len(res.Body)),
	}
	return area, keep
}

type statusError int

func (s statusError) Error() string {
	return "wasmlet: response status " + itoa(int(s)) + " does not fit the contract's u16"
}

// itoa formats n in decimal (strconv is not worth its size for one message).
func itoa(n int) string {
	var digits [20]byte
	i := len(digits)
	u := uint64(n)
	if n < 0 {
		u = uint64(-n)
	}
	for {
		i--
		digits[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if n < 0 {
		i--
		digits[i] = '-'
	}
	return string(digits[i:])
}
