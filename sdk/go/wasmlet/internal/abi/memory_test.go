package abi_test

import (
	"errors"
	"testing"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
	"wasmlet.dev/sdk/go/wasmlet/internal/abi/abitest"
)

func TestEmptyBuffersAreNeverTaken(t *testing.T) {
	mem := abitest.New(t) // Take fails the test on a buffer the host did not write
	if s := abi.String(mem, 0, 0); s != "" {
		t.Errorf("String = %q", s)
	}
	if b := abi.Bytes(mem, 1, 0); b != nil {
		t.Errorf("Bytes = %v", b)
	}
}

func TestStringTakesTheHostBuffer(t *testing.T) {
	mem := abitest.New(t)
	ptr, n := mem.WriteString("héllo")
	if s := abi.String(mem, ptr, n); s != "héllo" {
		t.Errorf("String = %q", s)
	}
	if mem.Untaken() != 0 {
		t.Error("the buffer was not taken")
	}
}

func TestLittleEndian(t *testing.T) {
	b := abitest.Le32(0x04030201, 0xf8f7f6f5)
	if got := abi.Le32(b); got != 0x04030201 {
		t.Errorf("Le32 = %#x", got)
	}
	if got := abi.Le64(b); got != 0xf8f7f6f5_04030201 {
		t.Errorf("Le64 = %#x", got)
	}
}

func TestErrAreaPointsAtTheMessage(t *testing.T) {
	mem := abitest.New(t)
	area, kept := abi.ErrArea(mem, errors.New("boom"))
	if area[0] != 1 || mem.ReadString(area[1], area[2]) != "boom" || kept != "boom" {
		t.Errorf("area = %v, kept %q", area, kept)
	}
	area, kept = abi.ErrArea(mem, errors.New(""))
	if kept == "" || mem.ReadString(area[1], area[2]) != kept {
		t.Errorf("an empty message reaches the host as an empty log line: %v %q", area, kept)
	}
}

func TestItoa(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 7: "7", 1700000000123: "1700000000123", 1<<64 - 1: "18446744073709551615"} {
		if got := abi.Itoa(n); got != want {
			t.Errorf("Itoa(%d) = %q", n, got)
		}
	}
}
