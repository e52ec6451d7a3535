// Registering the function's queue handler; the exported glue (export_wasip1.go) calls it.
package queue

import (
	"errors"

	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// Handler handles one batch: one Result per message, in the order given. A non-nil error
// fails the whole batch, which is delivered again (after the trigger's backoff); the results
// are then ignored.
type Handler func(queue string, messages []Message) ([]Result, error)

// registered is the component's queue handler, set while packages initialize.
var registered Handler

// Handle registers h as the component's queue handler. Call it once, from an init function.
//
//	func init() { queue.Handle(importBatch) }
//
//	func importBatch(name string, messages []queue.Message) ([]queue.Result, error) {
//		tx, err := begin()
//		if err != nil {
//			return nil, err // the whole batch again, later
//		}
//		results := make([]queue.Result, len(messages))
//		for i, m := range messages {
//			if !tx.Insert(m.Body) {
//				results[i] = queue.Fail("not a row")
//			}
//		}
//		return results, tx.Commit()
//	}
func Handle(h Handler) {
	registered = h
}

// HandleEach registers a handler called once per message, in order, whose Result is that
// message's; see [Handle] for one that sees (and may fail) the whole batch.
func HandleEach(h func(m Message) Result) {
	Handle(func(_ string, messages []Message) ([]Result, error) {
		results := make([]Result, len(messages))
		for i, m := range messages {
			results[i] = h(m)
		}
		return results, nil
	})
}

var errNoHandler = errors.New("wasmlet/queue: no handler registered; call queue.Handle or queue.HandleEach from an init function")

// dispatch calls the registered handler and checks that it answered every message: the host
// would retry a batch with too few or too many results anyway, but without saying why.
func dispatch(name string, messages []Message) ([]Result, error) {
	if registered == nil {
		return nil, errNoHandler
	}
	results, err := registered(name, messages)
	if err == nil && len(results) != len(messages) {
		err = countError{results: len(results), messages: len(messages)}
	}
	return results, err
}

type countError struct{ results, messages int }

func (e countError) Error() string {
	return "wasmlet/queue: the handler returned " + abi.Itoa(uint64(e.results)) + " results for " + abi.Itoa(uint64(e.messages)) + " messages"
}
