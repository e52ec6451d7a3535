// Package wasmlet writes a wasmlet function in plain Go: it speaks the guest
// contract (sdk/wit/function.wit, layout in sdk/wit/README.md) by hand, with no
// code generator and no dependency outside the standard library.
//
// Register the handler in an init function; main stays empty because a
// function is a reactor (-buildmode=c-shared): the host calls the handler,
// main is never run.
//
//	package main
//
//	import "wasmlet.dev/sdk/go/wasmlet"
//
//	func init() {
//		wasmlet.HandleHTTP(func(req wasmlet.Request) wasmlet.Response {
//			return wasmlet.Text(200, "Hello, "+req.QueryParam("name")+"\n")
//		})
//	}
//
//	func main() {}
//
// A handler registered with [Handle] may also fail: a non-nil error is a
// guest error (the host answers 500 and logs the message). A panic, running
// out of memory or os.Exit trap the instance: the host answers 502.
//
// Outside wasip1 (go test on the build machine) nothing is exported, [Log]
// writes to stderr and [Config] finds no key, so handlers can be unit-tested
// natively.
package wasmlet
