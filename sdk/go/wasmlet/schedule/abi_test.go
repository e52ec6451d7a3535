package schedule

import (
	"errors"
	"testing"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi/abitest"
)

func TestLiftEvent(t *testing.T) {
	mem := abitest.New(t)
	ptr, n := mem.WriteString("nightly")
	e := liftEvent(mem, ptr, n, 1<<63+7)
	if e != (Event{Name: "nightly", ScheduledAt: 1<<63 + 7}) || mem.Untaken() != 0 {
		t.Errorf("liftEvent = %+v", e)
	}
}

func TestLowerResult(t *testing.T) {
	mem := abitest.New(t)
	if area, kept := lowerResult(mem, nil); area != [3]uint32{} || kept != "" {
		t.Errorf("ok: area = %v", area)
	}
	area, kept := lowerResult(mem, errors.New("upstream down"))
	if area[0] != 1 || mem.ReadString(area[1], area[2]) != "upstream down" || kept != "upstream down" {
		t.Errorf("err: area = %v", area)
	}
}

func TestDispatch(t *testing.T) {
	saved := registered
	t.Cleanup(func() { registered = saved })
	registered = nil
	if err := dispatch(Event{}); err != errNoHandler {
		t.Errorf("no handler: %v", err)
	}
	boom := errors.New("boom")
	var seen Event
	Handle(func(e Event) error { seen = e; return boom })
	if err := dispatch(Event{Name: "n", ScheduledAt: 5}); err != boom || seen.Name != "n" || seen.ScheduledAt != 5 {
		t.Errorf("dispatch = %v, saw %+v", err, seen)
	}
}
