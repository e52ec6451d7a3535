package main

import (
	"testing"

	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/outbound"
)

func TestOutboundGetsTheURLAndReportsTheResponseOrTheError(t *testing.T) {
	var seen []outbound.Request
	outbound.NativeHandler = func(req outbound.Request) (*outbound.Response, error) {
		seen = append(seen, req)
		if req.URL != "http://127.0.0.1:9/up?a=1&b=2" {
			return nil, &outbound.Error{Code: outbound.Denied, Message: req.URL + " is not granted"}
		}
		return &outbound.Response{Status: 404, Body: []byte("not here")}, nil
	}
	defer func() { outbound.NativeHandler = nil }()

	ok := handleHTTP(wasmlet.Request{Query: "outbound=http%3A%2F%2F127.0.0.1%3A9%2Fup%3Fa%3D1%26b%3D2"})
	if ok.Status != 200 || string(ok.Body) != "status=404 body=not here" || len(ok.Headers) != 0 {
		t.Errorf("ok: %d %q %v", ok.Status, ok.Body, ok.Headers)
	}
	if len(seen) != 1 || seen[0].Method != "GET" || len(seen[0].Headers) != 1 || seen[0].Headers[0] != (wasmlet.Header{Name: "x-probe", Value: "go"}) {
		t.Errorf("sent %+v", seen)
	}
	denied := handleHTTP(wasmlet.Request{Query: "outbound=http://example.com/"})
	if denied.Status != 502 || string(denied.Body) != "error=denied http://example.com/ is not granted" {
		t.Errorf("denied: %d %q", denied.Status, denied.Body)
	}
	if plain := handleHTTP(wasmlet.Request{}); plain.Status != 200 || string(plain.Body) != "probe go" {
		t.Errorf("plain: %d %q", plain.Status, plain.Body)
	}
}
