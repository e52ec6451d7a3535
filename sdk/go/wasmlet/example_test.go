package wasmlet_test

import (
	"fmt"

	"wasmlet.dev/sdk/go/wasmlet"
)

func ExampleRequest_QueryParam() {
	req := wasmlet.Request{Method: "GET", Path: "/greet", Query: "name=Ada+L%C3%A9&debug"}
	_, debug := req.LookupQueryParam("debug")
	fmt.Println(req.QueryParam("name"), debug, req.QueryParam("missing") == "")
	// Output: Ada Lé true true
}

func ExampleResponse_WithHeader() {
	res := wasmlet.Text(201, "created\n").WithHeader("location", "/items/7")
	fmt.Println(res.Status, res.Headers)
	// Output: 201 [{content-type text/plain; charset=utf-8} {location /items/7}]
}

// A handler is an ordinary function, so a native test can call it directly.
func ExampleHandle() {
	greet := func(req wasmlet.Request) (wasmlet.Response, error) {
		if req.Method != "GET" {
			return wasmlet.Response{}, fmt.Errorf("unexpected method %s", req.Method)
		}
		return wasmlet.Text(200, "Hello, "+req.QueryParam("name")+"\n"), nil
	}
	wasmlet.Handle(greet) // in a function: from init()

	res, err := greet(wasmlet.Request{Method: "GET", Query: "name=ada"})
	fmt.Printf("%d %q %v\n", res.Status, res.Body, err)
	_, err = greet(wasmlet.Request{Method: "PUT"})
	fmt.Println(err)
	// Output:
	// 200 "Hello, ada\n" <nil>
	// unexpected method PUT
}
