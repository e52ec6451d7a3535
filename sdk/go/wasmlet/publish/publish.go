// Package publish sends messages to durable queues: the contract's publisher interface.
//
// A function may send only to the queues its manifest lists in publish = [...]. Messages are
// buffered and published when the invocation returns, in one transaction (after a queue batch,
// together with the batch's results); an invocation that traps or times out publishes nothing.
//
//	id, err := publish.Send("signups", body, publish.Attribute{Name: "content-type", Value: "application/json"})
//
// Importing this package adds no export: an HTTP, queue or schedule function can send.
// Outside wasip1 (go test) a message is written to stderr and every send succeeds.
package publish

// Attribute is one pair of a message's routing metadata, e.g. {"content-type", "application/json"}.
// A name may repeat; names are compared exactly (unlike header names).
type Attribute struct {
	Name, Value string
}

// Message is a message to send with [SendMessage].
type Message struct {
	Body []byte
	// Routing metadata; the host refuses more than 32 pairs.
	Attributes []Attribute
	// Hidden from consumers for this many milliseconds after publishing; 0 for none.
	DelayMs uint32
}

// Error is the host refusing a message: the queue is not in the manifest's publish list, or the
// message is too large or malformed. Reason is the host's own words.
type Error struct {
	Queue, Reason string
}

func (e *Error) Error() string {
	return "publish to queue " + e.Queue + ": " + e.Reason
}

// Send buffers a message with body (and attributes) for queue and returns its id; a refusal is
// an *[Error]. Nothing is published before the invocation returns.
//
//	if _, err := publish.Send("audit", []byte("signed in"), publish.Attribute{Name: "user", Value: id}); err != nil {
//		return wasmlet.Response{}, err // a guest error: 500, and the reason in the log
//	}
func Send(queue string, body []byte, attributes ...Attribute) (id string, err error) {
	return SendMessage(queue, Message{Body: body, Attributes: attributes})
}

// SendMessage is [Send] with every field of the message, e.g. a delay:
//
//	publish.SendMessage("reminders", publish.Message{Body: body, DelayMs: 60_000})
func SendMessage(queue string, msg Message) (id string, err error) {
	id, reason, ok := hostSend(queue, msg)
	if !ok {
		return "", &Error{Queue: queue, Reason: reason}
	}
	return id, nil
}
