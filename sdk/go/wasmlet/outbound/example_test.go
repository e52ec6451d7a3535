package outbound_test

import (
	"errors"
	"fmt"

	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/outbound"
)

func ExampleGet() {
	res, err := outbound.Get("https://api.example.com/v1/rates", wasmlet.Header{Name: "accept", Value: "application/json"})
	var failed *outbound.Error
	if errors.As(err, &failed) {
		fmt.Println("no response:", failed.Code) // natively, with no NativeHandler: denied
		return
	}
	fmt.Println(res.Status, res.BodyText())
	// Output: no response: denied
}

func ExampleDo() {
	outbound.NativeHandler = func(req outbound.Request) (*outbound.Response, error) { // a stand-in host, for go test
		return &outbound.Response{Status: 201, Body: []byte(req.Method + " " + string(req.Body))}, nil
	}
	defer func() { outbound.NativeHandler = nil }()
	res, err := outbound.Do(outbound.Request{
		Method:  "POST",
		URL:     "https://api.example.com/v1/orders",
		Headers: []wasmlet.Header{{Name: "content-type", Value: "application/json"}},
		Body:    []byte(`{"sku":7}`),
	})
	fmt.Println(res.Status, res.BodyText(), err)
	// Output: 201 POST {"sku":7} <nil>
}
