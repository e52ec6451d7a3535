package main

import (
	"testing"

	"wasmlet.dev/sdk/go/wasmlet"
)

func TestGreeting(t *testing.T) {
	for name, want := range map[string]string{"ada": "Hello, ada, from Go!\n", "": "Hello, world, from Go!\n"} {
		if got := greeting(name); got != want {
			t.Errorf("greeting(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestHandle(t *testing.T) {
	res := handle(wasmlet.Request{Method: "GET", Query: "name=Ada+L"})
	if res.Status != 200 || string(res.Body) != "Hello, Ada L, from Go!\n" {
		t.Fatalf("got %d %q", res.Status, res.Body)
	}
}
