package publish

import (
	"errors"
	"strings"
	"testing"
)

func TestSendNativelySucceedsWithAFreshID(t *testing.T) {
	first, err := Send("jobs", []byte("a"), Attribute{"k", "v"})
	if err != nil || !strings.HasPrefix(first, "native-") {
		t.Fatalf("Send = %q, %v", first, err)
	}
	second, _ := SendMessage("jobs", Message{Body: []byte("b"), DelayMs: 10})
	if second == first {
		t.Errorf("two sends, one id: %q", first)
	}
}

func TestErrorNamesQueueAndReason(t *testing.T) {
	var err error = &Error{Queue: "audit", Reason: "not in publish"}
	if err.Error() != "publish to queue audit: not in publish" {
		t.Errorf("Error() = %q", err)
	}
	var refused *Error
	if !errors.As(err, &refused) || refused.Reason != "not in publish" {
		t.Error("errors.As reaches the reason")
	}
}
