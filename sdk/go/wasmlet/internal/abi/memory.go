// Canonical-ABI helpers shared by the trigger packages (wasmlet/queue, wasmlet/schedule), written
// against Memory so that their lifting and lowering run, and are tested, natively too.
package abi

import "unsafe"

// Memory is linear memory as the glue needs it: Linear on wasip1, abitest.Memory under test.
type Memory interface {
	// Take returns the n bytes at ptr that the host allocated with cabi_realloc and filled;
	// from now on they belong to Go (the callee owns its arguments).
	Take(ptr, n uint32) []byte
	// Addr is the linear-memory address of p, for the host to read.
	Addr(p unsafe.Pointer) uint32
}

// Sizes on wasm32 (sdk/wit/README.md): tuple<string, string> is four u32 words, and a
// result<_, string> or result<list<…>, string> area is three (a u8 tag, padded, then ptr, len).
const (
	PairBytes       = 16
	ResultAreaWords = 3
)

// Bytes takes a host-written list<u8>; nil when empty (an empty list may point anywhere, even at
// 0: it is never taken).
func Bytes(mem Memory, ptr, n uint32) []byte {
	if n == 0 {
		return nil
	}
	return mem.Take(ptr, n)
}

// String takes a host-written UTF-8 buffer as a string. The host has let go of the buffer, so
// the string is a view of it, never written again.
func String(mem Memory, ptr, n uint32) string {
	b := Bytes(mem, ptr, n)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// StringAddr is (ptr, len) of s for the host to read; s must stay reachable until post-return.
func StringAddr(mem Memory, s string) (ptr, n uint32) {
	return mem.Addr(unsafe.Pointer(unsafe.StringData(s))), uint32(len(s))
}

// WordsAddr is (ptr, len) of words for the host to read; words must stay reachable until it has.
func WordsAddr(mem Memory, words []uint32) (ptr, n uint32) {
	return mem.Addr(unsafe.Pointer(unsafe.SliceData(words))), uint32(len(words))
}

// Le32 reads a little-endian u32 (encoding/binary would link reflect into every function).
func Le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// Le64 reads a little-endian u64.
func Le64(b []byte) uint64 {
	return uint64(Le32(b)) | uint64(Le32(b[4:]))<<32
}

// ErrArea lowers err into a result area's err case: tag 1, then the message's ptr and len. The
// message is returned too: it must stay reachable until post-return. An empty message is
// replaced, so that the host never logs an empty line for a failure.
func ErrArea(mem Memory, err error) ([ResultAreaWords]uint32, string) {
	message := err.Error()
	if message == "" {
		message = "handler returned an error with an empty message"
	}
	ptr, n := StringAddr(mem, message)
	return [ResultAreaWords]uint32{1, ptr, n}, message
}

// Itoa formats n in decimal (strconv is not worth its size for a few messages).
func Itoa(n uint64) string {
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(digits[i:])
		}
	}
}
