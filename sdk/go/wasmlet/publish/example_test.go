package publish_test

import (
	"errors"
	"fmt"

	"wasmlet.dev/sdk/go/wasmlet/publish"
)

func ExampleSend() {
	id, err := publish.Send("signups", []byte(`{"email":"ada@example.com"}`),
		publish.Attribute{Name: "content-type", Value: "application/json"})
	var refused *publish.Error
	if errors.As(err, &refused) {
		fmt.Println("refused:", refused.Reason)
		return
	}
	fmt.Println(id != "", err) // natively every send succeeds
	// Output: true <nil>
}
