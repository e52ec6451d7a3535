package queue

import (
	"errors"
	"strconv"
	"testing"
)

func withHandler(t *testing.T, register func()) {
	t.Helper()
	saved := registered
	t.Cleanup(func() { registered = saved })
	register()
}

func TestDispatchWithoutHandlerFailsTheBatch(t *testing.T) {
	withHandler(t, func() { registered = nil })
	if _, err := dispatch("jobs", []Message{{}}); err != errNoHandler {
		t.Errorf("dispatch = %v, want errNoHandler", err)
	}
}

func TestHandleEachAnswersEveryMessageInOrder(t *testing.T) {
	withHandler(t, func() {
		HandleEach(func(m Message) Result {
			if m.Queue != "jobs" {
				return Fail("wrong queue " + m.Queue)
			}
			if m.Attempt > 1 {
				return Retry()
			}
			return Ok()
		})
	})
	results, err := dispatch("jobs", []Message{{Queue: "jobs", Attempt: 1}, {Queue: "jobs", Attempt: 2}})
	if err != nil || len(results) != 2 || results[0] != Ok() || results[1] != Retry() {
		t.Errorf("dispatch = %v, %v", results, err)
	}
}

func TestHandlePassesTheBatchErrorOn(t *testing.T) {
	boom := errors.New("boom")
	withHandler(t, func() {
		Handle(func(string, []Message) ([]Result, error) { return nil, boom })
	})
	if _, err := dispatch("jobs", []Message{{}}); err != boom {
		t.Errorf("dispatch error = %v, want boom", err)
	}
}

func TestTooFewOrTooManyResultsFailTheBatchSayingWhy(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		withHandler(t, func() {
			Handle(func(string, []Message) ([]Result, error) { return make([]Result, n), nil })
		})
		_, err := dispatch("jobs", make([]Message, 2))
		want := "wasmlet/queue: the handler returned " + strconv.Itoa(n) + " results for 2 messages"
		if err == nil || err.Error() != want {
			t.Errorf("%d results: err = %v, want %q", n, err, want)
		}
	}
}

func TestMessageAttributeLookup(t *testing.T) {
	m := Message{Attributes: []Attribute{{Name: "kind", Value: "a"}, {Name: "kind", Value: "b"}, {Name: "empty", Value: ""}}, Body: []byte("hi")}
	if m.Attribute("kind") != "a" || m.Attribute("Kind") != "" || m.BodyText() != "hi" {
		t.Error("Attribute: first match, exact name")
	}
	if v, ok := m.LookupAttribute("empty"); v != "" || !ok {
		t.Error("LookupAttribute(empty)")
	}
	if _, ok := m.LookupAttribute("missing"); ok {
		t.Error("LookupAttribute(missing)")
	}
}
