package wasmlet

import (
	"errors"
	"testing"
)

func withHandler(t *testing.T, register func()) {
	t.Helper()
	saved := registered
	t.Cleanup(func() { registered = saved })
	register()
}

func TestDispatchWithoutHandlerIsAGuestError(t *testing.T) {
	withHandler(t, func() { registered = nil })
	if _, err := dispatch(Request{}); err != errNoHandler {
		t.Errorf("dispatch = %v, want errNoHandler", err)
	}
}

func TestHandleHTTPNeverFails(t *testing.T) {
	withHandler(t, func() {
		HandleHTTP(func(req Request) Response { return Text(200, req.Method) })
	})
	res, err := dispatch(Request{Method: "GET"})
	if err != nil || string(res.Body) != "GET" {
		t.Errorf("dispatch = %+v, %v", res, err)
	}
}

func TestHandlePassesTheErrorOn(t *testing.T) {
	boom := errors.New("boom")
	withHandler(t, func() {
		Handle(func(Request) (Response, error) { return Response{}, boom })
	})
	if _, err := dispatch(Request{}); err != boom {
		t.Errorf("dispatch error = %v, want boom", err)
	}
}

func TestLevelsFollowTheContract(t *testing.T) {
	// enum log-level { debug, info, warn, error }: the host reads the ordinal.
	for level, want := range map[Level]uint32{LevelDebug: 0, LevelInfo: 1, LevelWarn: 2, LevelError: 3} {
		if uint32(level) != want {
			t.Errorf("%v = %d, want %d", level, level, want)
		}
	}
	if Level(9).String() != "unknown" || LevelWarn.String() != "warn" {
		t.Error("Level.String")
	}
}
