package schedule_test

import (
	"errors"
	"fmt"
	"time"

	"wasmlet.dev/sdk/go/wasmlet/schedule"
)

// A schedule handler is an ordinary function, so a native test calls it directly.
func ExampleHandle() {
	report := func(e schedule.Event) error {
		if e.Name != "daily-report" {
			return errors.New("unknown schedule " + e.Name) // retried with the schedule's backoff
		}
		fmt.Println("report for", time.UnixMilli(int64(e.ScheduledAt)).UTC().Format(time.DateOnly))
		return nil
	}
	schedule.Handle(report) // in a function: from init()

	fmt.Println(report(schedule.Event{Name: "daily-report", ScheduledAt: 1767225600000}))
	fmt.Println(report(schedule.Event{Name: "other"}))
	// Output:
	// report for 2026-01-01
	// <nil>
	// unknown schedule other
}
