// GET /<route>?name=ada -> "Hello, ada, from Go!"
package main

import "wasmlet.dev/sdk/go/wasmlet"

func init() {
	// wasmlet.Handle takes a handler that may also return an error: a guest error, 500.
	wasmlet.HandleHTTP(handle)
}

// main never runs: the component is a reactor, the host calls handle.
func main() {}

func handle(req wasmlet.Request) wasmlet.Response {
	wasmlet.Info("greeted someone")
	return wasmlet.Text(200, greeting(req.QueryParam("name")))
}

// greeting is the function's logic, apart from the SDK so that it is easy to test.
func greeting(name string) string {
	if name == "" {
		name = "world"
	}
	return "Hello, " + name + ", from Go!\n"
}
