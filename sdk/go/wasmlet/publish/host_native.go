//go:build !wasip1

// A native stand-in for send, so that a handler that sends runs under go test.
package publish

import (
	"os"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// nativeSends numbers the ids of the messages "sent" outside wasip1.
var nativeSends uint64

func hostSend(queue string, msg Message) (id, reason string, ok bool) {
	nativeSends++
	os.Stderr.WriteString("[publish] " + queue + ": " + abi.Itoa(uint64(len(msg.Body))) + " bytes\n")
	return "native-" + abi.Itoa(nativeSends), "", true
}
