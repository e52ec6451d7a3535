// What becomes of each message of a batch: the contract's message-result.
package queue

import "wasmlet.dev/sdk/go/wasmlet/internal/abi"

// Result is the outcome of one message: [Ok], [Retry], [RetryAfter] or [Fail]. The zero Result
// is Ok. Results compare with ==, which makes handlers easy to test.
type Result struct {
	kind     resultKind
	hasDelay bool
	delayMs  uint32
	reason   string
}

// resultKind is the variant tag of message-result, in the contract's order.
type resultKind uint32

const (
	kindOk resultKind = iota
	kindRetry
	kindFail
)

// Ok means done: the message is deleted.
func Ok() Result { return Result{} }

// Retry delivers the message again after the trigger's backoff; after max_attempts deliveries
// it goes to the dead-letter queue instead.
func Retry() Result { return Result{kind: kindRetry} }

// RetryAfter delivers the message again after delayMs milliseconds (0: as soon as possible).
func RetryAfter(delayMs uint32) Result {
	return Result{kind: kindRetry, hasDelay: true, delayMs: delayMs}
}

// Fail is a permanent failure: the message goes to the dead-letter queue now, with reason.
func Fail(reason string) Result { return Result{kind: kindFail, reason: reason} }

// String is "ok", "retry", "retry after 500 ms" or "fail: reason", for test failure messages.
func (r Result) String() string {
	switch {
	case r.kind == kindFail:
		return "fail: " + r.reason
	case r.kind == kindRetry && r.hasDelay:
		return "retry after " + abi.Itoa(uint64(r.delayMs)) + " ms"
	case r.kind == kindRetry:
		return "retry"
	}
	return "ok"
}
