package wasmlet

import (
	"errors"
	"testing"
	"unsafe"
)

// fakeMemory plays the host's side of linear memory natively: buffers it
// "allocated with cabi_realloc" and wrote, and fake addresses for Go values.
type fakeMemory struct {
	t       *testing.T
	next    uint32
	written map[uint32][]byte         // host-written buffers not yet taken
	objects map[uint32]unsafe.Pointer // addresses handed out by addr
}

func newFakeMemory(t *testing.T) *fakeMemory {
	return &fakeMemory{t: t, next: 0x1000, written: map[uint32][]byte{}, objects: map[uint32]unsafe.Pointer{}}
}

func (m *fakeMemory) write(b []byte) (ptr, n uint32) {
	if len(b) == 0 {
		return 1, 0 // the canonical ABI may point an empty buffer anywhere
	}
	ptr = m.next
	m.next += uint32(len(b)+7) &^ 7
	m.written[ptr] = append([]byte(nil), b...)
	return ptr, uint32(len(b))
}

func (m *fakeMemory) writeString(s string) (ptr, n uint32) { return m.write([]byte(s)) }

func (m *fakeMemory) take(ptr, n uint32) []byte {
	buf, ok := m.written[ptr]
	if !ok || uint32(len(buf)) != n {
		m.t.Fatalf("take(%#x, %d): no such host buffer (or taken twice)", ptr, n)
	}
	delete(m.written, ptr)
	return buf
}

func (m *fakeMemory) addr(p unsafe.Pointer) uint32 {
	if p == nil {
		return 0
	}
	m.next += 8
	m.objects[m.next] = p
	return m.next
}

func (m *fakeMemory) read(ptr, n uint32) []byte {
	if n == 0 {
		return nil
	}
	p, ok := m.objects[ptr]
	if !ok {
		m.t.Fatalf("read(%#x): not an address the glue handed out", ptr)
	}
	return unsafe.Slice((*byte)(p), n)
}

func (m *fakeMemory) readWords(ptr, n uint32) []uint32 {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(m.objects[ptr]), n)
}

func le32Bytes(words ...uint32) []byte {
	out := make([]byte, 0, 4*len(words))
	for _, w := range words {
		out = append(out, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	return out
}

func TestLiftRequestTakesEveryHostBuffer(t *testing.T) {
	mem := newFakeMemory(t)
	var a handleArgs
	a[0], a[1] = mem.writeString("POST")
	a[2], a[3] = mem.writeString("/hello/go")
	a[4], a[5] = mem.writeString("") // no query
	n1, l1 := mem.writeString("content-type")
	v1, vl1 := mem.writeString("application/json")
	n2, l2 := mem.writeString("x-empty")
	v2, vl2 := mem.writeString("")
	a[6], _ = mem.write(le32Bytes(n1, l1, v1, vl1, n2, l2, v2, vl2))
	a[7] = 2
	a[8], a[9] = mem.write([]byte(`{"name":"ada"}`))

	req := liftRequest(mem, a)
	if req.Method != "POST" || req.Path != "/hello/go" || req.Query != "" || string(req.Body) != `{"name":"ada"}` {
		t.Errorf("liftRequest = %+v", req)
	}
	want := []Header{{"content-type", "application/json"}, {"x-empty", ""}}
	if len(req.Headers) != 2 || req.Headers[0] != want[0] || req.Headers[1] != want[1] {
		t.Errorf("headers = %v, want %v", req.Headers, want)
	}
	if len(mem.written) != 0 {
		t.Errorf("buffers left to the host: %v", mem.written)
	}
}

func TestLiftRequestEmpty(t *testing.T) {
	req := liftRequest(newFakeMemory(t), handleArgs{0, 0, 1, 0, 1, 0, 4, 0, 1, 0})
	if req.Method != "" || req.Headers != nil || req.Body != nil {
		t.Errorf("liftRequest = %+v", req)
	}
}

func TestLowerResultOk(t *testing.T) {
	mem := newFakeMemory(t)
	res := Text(201, "created").WithHeader("location", "/items/7")
	area, keep := lowerResult(mem, res, nil)
	if area[0] != 0 || area[1] != 201 || area[3] != 2 || area[5] != uint32(len("created")) {
		t.Fatalf("area = %v", area)
	}
	if got := string(mem.read(area[4], area[5])); got != "created" {
		t.Errorf("body = %q", got)
	}
	wire := mem.readWords(area[2], 4*area[3])
	var headers []Header
	for i := 0; i < len(wire); i += 4 {
		headers = append(headers, Header{string(mem.read(wire[i], wire[i+1])), string(mem.read(wire[i+2], wire[i+3]))})
	}
	if len(headers) != 2 || headers[0] != res.Headers[0] || headers[1] != res.Headers[1] {
		t.Errorf("headers = %v", headers)
	}
	if len(keep.wire) != 8 || len(keep.headers) != 2 || string(keep.body) != "created" {
		t.Errorf("pending result does not hold what the area points at: %+v", keep)
	}
}

func TestLowerResultEmptyResponse(t *testing.T) {
	area, _ := lowerResult(newFakeMemory(t), Response{Status: 204}, nil)
	if area != [resultAreaWords]uint32{0, 204, 0, 0, 0, 0} {
		t.Errorf("area = %v", area)
	}
}

func TestLowerResultErr(t *testing.T) {
	mem := newFakeMemory(t)
	area, keep := lowerResult(mem, Text(200, "ignored"), errors.New("no such order"))
	if area[0] != 1 || string(mem.read(area[1], area[2])) != "no such order" || area[3] != 0 {
		t.Errorf("area = %v", area)
	}
	if keep.message != "no such order" || keep.body != nil {
		t.Errorf("pending = %+v", keep)
	}

	area, _ = lowerResult(mem, Response{}, errors.New(""))
	if got := string(mem.read(area[1], area[2])); got == "" {
		t.Error("an empty error message reaches the host as an empty log line")
	}
}

func TestLowerResultStatusOutOfRangeIsAGuestError(t *testing.T) {
	mem := newFakeMemory(t)
	for _, status := range []int{-1, 70000} {
		area, _ := lowerResult(mem, Response{Status: status}, nil)
		want := "wasmlet: response status " + itoa(status) + " does not fit the contract's u16"
		if area[0] != 1 || string(mem.read(area[1], area[2])) != want {
			t.Errorf("status %d: area = %v", status, area)
		}
	}
}

func TestItoa(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 70000: "70000", -1: "-1", -9223372036854775808: "-9223372036854775808"} {
		if got := itoa(n); got != want {
			t.Errorf("itoa(%d) = %q", n, got)
		}
	}
}
