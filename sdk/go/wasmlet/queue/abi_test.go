package queue

import (
	"errors"
	"testing"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi/abitest"
)

// writeMessage lays out one 40-byte message record as the host does.
func writeMessage(mem *abitest.Memory, id, body string, attempt uint32, enqueuedAt uint64, attributes ...string) []byte {
	idPtr, idLen := mem.WriteString(id)
	bodyPtr, bodyLen := mem.WriteString(body)
	attrPtr, attrLen := uint32(4), uint32(0)
	if len(attributes) > 0 {
		var words []uint32
		for _, s := range attributes {
			p, n := mem.WriteString(s)
			words = append(words, p, n)
		}
		attrPtr, _ = mem.Write(abitest.Le32(words...))
		attrLen = uint32(len(attributes) / 2)
	}
	return abitest.Le32(idPtr, idLen, bodyPtr, bodyLen, attempt, 0xdeadbeef /* padding */, uint32(enqueuedAt), uint32(enqueuedAt>>32), attrPtr, attrLen)
}

func TestLiftMessagesReadsEveryFieldAndTakesEveryBuffer(t *testing.T) {
	mem := abitest.New(t)
	var a handleArgs
	a[0], a[1] = mem.WriteString("jobs")
	records := append(
		writeMessage(mem, "m1", "hello", 1, 1700000000123, "from", "http", "empty", ""),
		writeMessage(mem, "m2", "", 3, 1<<40+5)...)
	a[2], _ = mem.Write(records)
	a[3] = 2

	name, messages := liftMessages(mem, a)
	if name != "jobs" || len(messages) != 2 {
		t.Fatalf("liftMessages = %q, %d messages", name, len(messages))
	}
	m := messages[0]
	if m.Queue != "jobs" || m.ID != "m1" || string(m.Body) != "hello" || m.Attempt != 1 || m.EnqueuedAt != 1700000000123 {
		t.Errorf("message 0 = %+v", m)
	}
	if len(m.Attributes) != 2 || m.Attributes[0] != (Attribute{Name: "from", Value: "http"}) || m.Attributes[1] != (Attribute{Name: "empty", Value: ""}) {
		t.Errorf("attributes = %v", m.Attributes)
	}
	m = messages[1]
	if m.ID != "m2" || m.Body != nil || m.Attempt != 3 || m.EnqueuedAt != 1<<40+5 || m.Attributes != nil {
		t.Errorf("message 1 = %+v", m)
	}
	if mem.Untaken() != 0 {
		t.Errorf("%d buffers left to the host", mem.Untaken())
	}
}

func TestLiftMessagesEmptyBatch(t *testing.T) {
	mem := abitest.New(t)
	name, messages := liftMessages(mem, handleArgs{0, 0, 8, 0})
	if name != "" || messages != nil {
		t.Errorf("liftMessages = %q, %v", name, messages)
	}
}

func TestLowerResultWritesOneRecordPerResult(t *testing.T) {
	mem := abitest.New(t)
	results := []Result{Ok(), Retry(), RetryAfter(250), RetryAfter(0), Fail("no good")}
	area, keep := lowerResult(mem, results, nil)
	if area[0] != 0 || area[2] != 5 {
		t.Fatalf("area = %v", area)
	}
	wire := mem.ReadWords(area[1], 3*area[2])
	want := [][3]uint32{{0, 0, 0}, {1, 0, 0}, {1, 1, 250}, {1, 1, 0}}
	for i, w := range want {
		if got := [3]uint32(wire[3*i : 3*i+3]); got != w {
			t.Errorf("result %d (%v) = %v, want %v", i, results[i], got, w)
		}
	}
	if wire[12] != 2 || mem.ReadString(wire[13], wire[14]) != "no good" {
		t.Errorf("fail = %v", wire[12:15])
	}
	if len(keep.wire) != 15 || len(keep.results) != 5 {
		t.Errorf("pending result does not hold what the area points at: %+v", keep)
	}
}

func TestLowerResultEmptyOk(t *testing.T) {
	area, _ := lowerResult(abitest.New(t), []Result{}, nil)
	if area[0] != 0 || area[2] != 0 {
		t.Errorf("area = %v", area)
	}
}

func TestLowerResultErr(t *testing.T) {
	mem := abitest.New(t)
	area, keep := lowerResult(mem, []Result{Ok()}, errors.New("database down"))
	if area[0] != 1 || mem.ReadString(area[1], area[2]) != "database down" || keep.message != "database down" {
		t.Errorf("area = %v, pending %+v", area, keep)
	}
}
