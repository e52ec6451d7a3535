// Package queue makes a Go function consume messages from durable queues ([[queue]] triggers):
// the contract's queue-handler interface.
//
// Importing this package is what gives the component its queue-handler export, so only a
// function that handles queues imports it. Register the handler from an init function:
//
//	func init() {
//		queue.HandleEach(func(m queue.Message) queue.Result {
//			if err := record(m.Body); err != nil {
//				return queue.Retry() // again after the trigger's backoff
//			}
//			return queue.Ok()
//		})
//	}
//
// Messages arrive in batches, at least once: deduplicate with Message.ID, which is the same on
// every redelivery. A panic traps the instance, like an error from a [Handler]: the whole batch
// is delivered again.
package queue

import "wasmlet.dev/sdk/go/wasmlet/publish"

// Attribute is a pair of routing metadata; the same type as [publish.Attribute], so that a
// handler can forward a message's attributes.
type Attribute = publish.Attribute

// Message is one delivery of a queued message.
type Message struct {
	// The queue it came from (the same for the whole batch).
	Queue string
	// Unique within its queue, and the same on every redelivery.
	ID   string
	Body []byte
	// 1 on the first delivery, 2 on the first redelivery, …
	Attempt uint32
	// When the message was first sent, in milliseconds since the Unix epoch.
	EnqueuedAt uint64
	Attributes []Attribute
}

// Attribute returns the value of the first attribute called name, or "" when there is none.
func (m Message) Attribute(name string) string {
	value, _ := m.LookupAttribute(name)
	return value
}

// LookupAttribute is [Message.Attribute] that also reports whether there is one.
func (m Message) LookupAttribute(name string) (string, bool) {
	for _, a := range m.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// BodyText returns the body as a string (bytes as they are; check utf8.Valid to reject bad input).
func (m Message) BodyText() string {
	return string(m.Body)
}
