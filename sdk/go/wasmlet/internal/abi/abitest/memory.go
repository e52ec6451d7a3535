// Package abitest plays the host's side of linear memory natively, for the trigger packages'
// ABI tests: buffers it "allocated with cabi_realloc" and wrote, and fake addresses for Go values.
package abitest

import (
	"testing"
	"unsafe"
)

// Memory implements abi.Memory over Go values.
type Memory struct {
	t       testing.TB
	next    uint32
	written map[uint32][]byte         // host-written buffers not yet taken
	objects map[uint32]unsafe.Pointer // addresses handed out by Addr
}

// New is an empty memory that fails t on a bad Take or Read.
func New(t testing.TB) *Memory {
	return &Memory{t: t, next: 0x1000, written: map[uint32][]byte{}, objects: map[uint32]unsafe.Pointer{}}
}

// Write is what the host does for a string or list argument: cabi_realloc, then copy.
func (m *Memory) Write(b []byte) (ptr, n uint32) {
	if len(b) == 0 {
		return 1, 0 // the canonical ABI may point an empty list anywhere
	}
	ptr = m.next
	m.next += uint32(len(b)+7) &^ 7
	m.written[ptr] = append([]byte(nil), b...)
	return ptr, uint32(len(b))
}

// WriteString writes s as a string argument.
func (m *Memory) WriteString(s string) (ptr, n uint32) { return m.Write([]byte(s)) }

// Untaken is the number of host-written buffers the glue has not taken (0 when it took them all).
func (m *Memory) Untaken() int { return len(m.written) }

func (m *Memory) Take(ptr, n uint32) []byte {
	buf, ok := m.written[ptr]
	if !ok || uint32(len(buf)) != n {
		m.t.Fatalf("Take(%#x, %d): no such host buffer (or taken twice)", ptr, n)
	}
	delete(m.written, ptr)
	return buf
}

func (m *Memory) Addr(p unsafe.Pointer) uint32 {
	if p == nil {
		return 0
	}
	m.next += 8
	m.objects[m.next] = p
	return m.next
}

// Read is what the host reads at an address the glue handed out.
func (m *Memory) Read(ptr, n uint32) []byte {
	if n == 0 {
		return nil
	}
	p, ok := m.objects[ptr]
	if !ok {
		m.t.Fatalf("Read(%#x): not an address the glue handed out", ptr)
	}
	return unsafe.Slice((*byte)(p), n)
}

// ReadString reads a string the glue lowered.
func (m *Memory) ReadString(ptr, n uint32) string { return string(m.Read(ptr, n)) }

// ReadWords reads n u32 words at an address the glue handed out.
func (m *Memory) ReadWords(ptr, n uint32) []uint32 {
	if n == 0 {
		return nil
	}
	p, ok := m.objects[ptr]
	if !ok {
		m.t.Fatalf("ReadWords(%#x): not an address the glue handed out", ptr)
	}
	return unsafe.Slice((*uint32)(p), n)
}

// Le32 lays words out little-endian, as the host writes a record.
func Le32(words ...uint32) []byte {
	out := make([]byte, 0, 4*len(words))
	for _, w := range words {
		out = append(out, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	return out
}
