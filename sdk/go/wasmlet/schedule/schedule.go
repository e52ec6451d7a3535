// Package schedule makes a Go function run on a schedule ([[schedule]] triggers, cron or rate):
// the contract's schedule-handler interface.
//
// Importing this package is what gives the component its schedule-handler export, so only a
// function run on a schedule imports it. Register the handler from an init function:
//
//	func init() {
//		schedule.Handle(func(e schedule.Event) error {
//			wasmlet.Info("tick " + e.Name)
//			return purgeExpired() // an error retries the event with the schedule's backoff
//		})
//	}
//
// Events are delivered at least once: a handler may see the same tick (Name, ScheduledAt) twice.
package schedule

import "errors"

// Event is one tick of a schedule.
type Event struct {
	// The schedule's name from the manifest.
	Name string
	// The tick this event is for, in milliseconds since the Unix epoch (not when it runs):
	// time.UnixMilli(int64(e.ScheduledAt)).
	ScheduledAt uint64
}

// Handler runs one event. A non-nil error (or a panic, or a timeout) retries the event with the
// schedule's backoff, and the message is logged.
type Handler func(e Event) error

// registered is the component's schedule handler, set while packages initialize.
var registered Handler

// Handle registers h as the component's schedule handler. Call it once, from an init function.
func Handle(h Handler) {
	registered = h
}

var errNoHandler = errors.New("wasmlet/schedule: no handler registered; call schedule.Handle from an init function")

// dispatch calls the registered handler.
func dispatch(e Event) error {
	if registered == nil {
		return errNoHandler
	}
	return registered(e)
}
