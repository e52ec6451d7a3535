//go:build !wasip1

// A native stand-in for send, so that a handler that makes requests runs under go test.
package outbound

// NativeHandler answers requests outside wasip1 (go test) in place of the host. nil, the
// default, refuses every request with [Denied], as a host that grants nothing does:
//
//	outbound.NativeHandler = func(req outbound.Request) (*outbound.Response, error) {
//		return &outbound.Response{Status: 200, Body: []byte(`{"eur":1}`)}, nil
//	}
//	defer func() { outbound.NativeHandler = nil }()
//
// It does not exist in a wasip1 build: set it only from _test.go files.
var NativeHandler func(Request) (*Response, error)

func hostSend(req Request) (*Response, error) {
	if NativeHandler == nil {
		return nil, &Error{Code: Denied, Message: req.Method + " " + req.URL + ": no outbound HTTP outside wasip1 (set outbound.NativeHandler)"}
	}
	return NativeHandler(req)
}
