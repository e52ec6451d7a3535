// Canonical-ABI lifting of handle(event) and lowering of its result<_, string> (layout:
// sdk/wit/README.md), against abi.Memory so that it runs, and is tested, natively too.
package schedule

import "wasmlet.dev/sdk/go/wasmlet/internal/abi"

// liftEvent builds the event; the name is a view of the buffer the host wrote.
func liftEvent(mem abi.Memory, namePtr, nameLen uint32, scheduledAt uint64) Event {
	return Event{Name: abi.String(mem, namePtr, nameLen), ScheduledAt: scheduledAt}
}

// lowerResult writes result<_, string>: tag 0 for ok; tag 1 and the message's ptr and len for
// err. The message is returned too: it must stay reachable until post-return.
func lowerResult(mem abi.Memory, err error) ([abi.ResultAreaWords]uint32, string) {
	if err != nil {
		return abi.ErrArea(mem, err)
	}
	return [abi.ResultAreaWords]uint32{}, ""
}
