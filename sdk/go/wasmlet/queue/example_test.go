package queue_test

import (
	"fmt"
	"strings"

	"wasmlet.dev/sdk/go/wasmlet/queue"
)

// A per-message handler is an ordinary function, so a native test calls it directly.
func ExampleHandleEach() {
	resize := func(m queue.Message) queue.Result {
		switch {
		case m.Attribute("content-type") != "image/png":
			return queue.Fail("not a png") // straight to the dead-letter queue
		case strings.HasPrefix(m.BodyText(), "busy"):
			return queue.RetryAfter(5_000)
		}
		return queue.Ok()
	}
	queue.HandleEach(resize) // in a function: from init()

	png := []queue.Attribute{{Name: "content-type", Value: "image/png"}}
	fmt.Println(resize(queue.Message{Body: []byte("busy"), Attributes: png}))
	fmt.Println(resize(queue.Message{Body: []byte("…")}))
	fmt.Println(resize(queue.Message{Body: []byte("…"), Attributes: png}) == queue.Ok())
	// Output:
	// retry after 5000 ms
	// fail: not a png
	// true
}
