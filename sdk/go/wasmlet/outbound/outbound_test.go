package outbound

import (
	"errors"
	"testing"

	"wasmlet.dev/sdk/go/wasmlet"
)

func TestErrorCodesAreTheWITNamesInOrder(t *testing.T) {
	want := []string{"denied", "invalid-request", "dns-error", "connection-refused", "connection-timeout",
		"timeout", "tls-error", "response-too-large", "too-many-requests", "protocol-error"}
	for i, name := range want {
		if got := ErrorCode(i).String(); got != name {
			t.Errorf("ErrorCode(%d) = %q, want %q", i, got, name)
		}
		if codeFromWire(uint8(i)) != ErrorCode(i) {
			t.Errorf("codeFromWire(%d) = %v", i, codeFromWire(uint8(i)))
		}
	}
	if Denied != 0 || ProtocolError != 9 || TooManyRequests != 8 {
		t.Error("the constants are not in the WIT's order")
	}
	if ErrorCode(10).String() != "error-code(10)" || codeFromWire(200) != ProtocolError {
		t.Errorf("an unknown code: %q, %v", ErrorCode(10), codeFromWire(200))
	}
}

func TestErrorNamesTheCodeAndErrorsAsReachesIt(t *testing.T) {
	var err error = &Error{Code: DNSError, Message: "api.example.com did not resolve"}
	if err.Error() != "outbound http: dns-error: api.example.com did not resolve" {
		t.Errorf("Error() = %q", err)
	}
	var failed *Error
	if !errors.As(err, &failed) || failed.Code != DNSError {
		t.Error("errors.As reaches the code")
	}
}

func TestNativelyEveryRequestIsDeniedWithoutAHandler(t *testing.T) {
	_, err := Get("http://127.0.0.1/")
	var failed *Error
	if !errors.As(err, &failed) || failed.Code != Denied {
		t.Errorf("Get = %v", err)
	}
}

func TestGetAndDoReachTheNativeHandler(t *testing.T) {
	var seen []Request
	NativeHandler = func(req Request) (*Response, error) {
		seen = append(seen, req)
		return &Response{Status: 404, Headers: []wasmlet.Header{{Name: "content-type", Value: "text/plain"}}, Body: []byte("no")}, nil
	}
	defer func() { NativeHandler = nil }()
	res, err := Get("http://127.0.0.1/a", wasmlet.Header{Name: "x-probe", Value: "go"})
	if err != nil || res.Status != 404 || res.BodyText() != "no" || res.Header("Content-Type") != "text/plain" || res.Header("x-missing") != "" {
		t.Errorf("Get = %+v, %v", res, err)
	}
	if _, err := Do(Request{URL: "http://127.0.0.1/b", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Method != "GET" || seen[0].Headers[0].Value != "go" || seen[1].Method != "GET" || string(seen[1].Body) != "x" {
		t.Errorf("the handler saw %+v (an empty method is GET)", seen)
	}
}
