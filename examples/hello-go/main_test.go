package main

import (
	"testing"

	"wasmlet.dev/sdk/go/wasmlet"
)

func TestGreet(t *testing.T) {
	cases := []struct {
		name string
		req  wasmlet.Request
		want string
	}{
		{"query", wasmlet.Request{Method: "GET", Query: "name=Ada+L"}, "Hello, Ada L, from Go!\n"},
		{"direct invocation", wasmlet.Request{Method: "POST", Body: []byte(`{ "name" : "ada" }`)}, "Hello, ada, from Go!\n"},
		{"query wins over body", wasmlet.Request{Method: "POST", Query: "name=q", Body: []byte(`{"name":"b"}`)}, "Hello, q, from Go!\n"},
		{"default", wasmlet.Request{Method: "GET"}, "Hello, world, from Go!\n"},
		{"empty name", wasmlet.Request{Method: "GET", Query: "name="}, "Hello, world, from Go!\n"},
		{"empty JSON name", wasmlet.Request{Method: "POST", Body: []byte(`{"name":""}`)}, "Hello, world, from Go!\n"},
		{"not JSON", wasmlet.Request{Method: "POST", Body: []byte("name")}, "Hello, world, from Go!\n"},
		{"name not a string", wasmlet.Request{Method: "POST", Body: []byte(`{"name":7}`)}, "Hello, world, from Go!\n"},
		{"unterminated", wasmlet.Request{Method: "POST", Body: []byte(`{"name":"ada`)}, "Hello, world, from Go!\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := greet(c.req)
			if res.Status != 200 || string(res.Body) != c.want {
				t.Fatalf("got %d %q, want 200 %q", res.Status, res.Body, c.want)
			}
			want := []wasmlet.Header{{Name: "content-type", Value: "text/plain; charset=utf-8"}}
			if len(res.Headers) != 1 || res.Headers[0] != want[0] {
				t.Fatalf("got headers %v, want %v", res.Headers, want)
			}
		})
	}
}
