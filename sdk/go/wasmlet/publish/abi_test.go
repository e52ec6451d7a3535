package publish

import (
	"testing"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi/abitest"
)

func TestLowerAttributesIsFourWordsPerPair(t *testing.T) {
	mem := abitest.New(t)
	attributes := []Attribute{{"from", "http"}, {"empty", ""}}
	wire := lowerAttributes(mem, attributes)
	if len(wire) != 8 {
		t.Fatalf("wire = %v", wire)
	}
	var got []Attribute
	for i := 0; i < len(wire); i += 4 {
		got = append(got, Attribute{mem.ReadString(wire[i], wire[i+1]), mem.ReadString(wire[i+2], wire[i+3])})
	}
	if got[0] != attributes[0] || got[1] != attributes[1] || wire[7] != 0 {
		t.Errorf("lowered %v, want %v", got, attributes)
	}
	if lowerAttributes(mem, nil) != nil {
		t.Error("no attributes: an empty list (ptr 0)")
	}
}

func TestLiftResultOkIsTheID(t *testing.T) {
	mem := abitest.New(t)
	ptr, n := mem.WriteString("01HV-7")
	id, reason, ok := liftResult(mem, [3]uint32{0, ptr, n})
	if !ok || id != "01HV-7" || reason != "" || mem.Untaken() != 0 {
		t.Errorf("liftResult = %q, %q, %v", id, reason, ok)
	}
}

func TestLiftResultErrIsTheReason(t *testing.T) {
	mem := abitest.New(t)
	ptr, n := mem.WriteString(`queue "x" is not in publish`)
	// Only the low byte is the tag: the rest of the word is padding the host may leave dirty.
	id, reason, ok := liftResult(mem, [3]uint32{0xabcd01, ptr, n})
	if ok || id != "" || reason != `queue "x" is not in publish` {
		t.Errorf("liftResult = %q, %q, %v", id, reason, ok)
	}
	if _, reason, _ := liftResult(mem, [3]uint32{1, 0, 0}); reason == "" {
		t.Error("a refusal without a reason must still say something")
	}
}
