// The Go probe guest: exports all three handlers and behaves as the cross-language end-to-end
// script expects (HTTP sends on ?send=<queue> and makes an outbound GET on ?outbound=<url>;
// queue messages say what to do with themselves; the "failing" schedule fails).
package main

import (
	"errors"
	"strconv"
	"strings"

	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/outbound"
	"wasmlet.dev/sdk/go/wasmlet/publish"
	"wasmlet.dev/sdk/go/wasmlet/queue"
	"wasmlet.dev/sdk/go/wasmlet/schedule"
)

// outQueue receives what the probe did, for the test to read back.
const outQueue = "probe-out"

func init() {
	wasmlet.HandleHTTP(handleHTTP)
	queue.Handle(handleBatch)
	schedule.Handle(handleSchedule)
}

// main never runs: the component is a reactor.
func main() {}

// handleHTTP sends the body to the queue named by ?send=, else GETs the URL in ?outbound=, or
// says which probe this is.
func handleHTTP(req wasmlet.Request) wasmlet.Response {
	target, found := req.LookupQueryParam("send")
	if !found {
		if url, found := req.LookupQueryParam("outbound"); found {
			return fetch(url)
		}
		return wasmlet.Text(200, "probe go")
	}
	id, err := publish.Send(target, req.Body, publish.Attribute{Name: "from", Value: "http"})
	if err != nil {
		return wasmlet.Text(400, reasonOf(err))
	}
	return wasmlet.Text(202, id)
}

// fetch GETs url with x-probe: go and answers 200 "status=<status> body=<body>", or 502
// "error=<code> <message>" when there is no response (no content-type, like the other probes).
func fetch(url string) wasmlet.Response {
	res, err := outbound.Get(url, wasmlet.Header{Name: "x-probe", Value: "go"})
	var failed *outbound.Error
	if errors.As(err, &failed) {
		return wasmlet.Bytes(502, "", []byte("error="+failed.Code.String()+" "+failed.Message))
	}
	if err != nil {
		return wasmlet.Bytes(502, "", []byte("error="+err.Error()))
	}
	body := append([]byte("status="+strconv.Itoa(res.Status)+" body="), res.Body...)
	return wasmlet.Bytes(200, "", body)
}

// handleBatch settles the batch-wide commands first, so that nothing is sent for a batch that
// fails or traps, then answers each message by its body.
func handleBatch(name string, messages []queue.Message) ([]queue.Result, error) {
	for _, m := range messages {
		switch m.BodyText() {
		case "batch-error":
			return nil, errors.New("batch-error requested")
		case "trap":
			panic("trap requested")
		}
	}
	results := make([]queue.Result, len(messages))
	for i, m := range messages {
		result, err := handleMessage(name, m)
		if err != nil {
			return nil, err
		}
		results[i] = result
	}
	return results, nil
}

func handleMessage(name string, m queue.Message) (queue.Result, error) {
	body := m.BodyText()
	if reason, ok := strings.CutPrefix(body, "fail:"); ok {
		return queue.Fail(reason), nil
	}
	if body == "retry" {
		return queue.Retry(), nil
	}
	if ms, ok := numberAfter(body, "retry:"); ok {
		return queue.RetryAfter(uint32(ms)), nil
	}
	if n, ok := numberAfter(body, "retry-until:"); ok && uint64(m.Attempt) < n {
		return queue.RetryAfter(0), nil
	}
	report := name + " " + m.ID + " " + strconv.FormatUint(uint64(m.Attempt), 10) + " " + body
	enqueuedAt := strconv.FormatUint(m.EnqueuedAt, 10)
	if _, err := publish.Send(outQueue, []byte(report), publish.Attribute{Name: "enqueued-at", Value: enqueuedAt}); err != nil {
		return queue.Result{}, err
	}
	return queue.Ok(), nil
}

// numberAfter parses the u32 after prefix in body ("retry:250" -> 250).
func numberAfter(body, prefix string) (uint64, bool) {
	digits, ok := strings.CutPrefix(body, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	return n, err == nil
}

func handleSchedule(e schedule.Event) error {
	if e.Name == "failing" {
		return errors.New("failing schedule")
	}
	report := "schedule " + e.Name + " " + strconv.FormatUint(e.ScheduledAt, 10)
	_, err := publish.Send(outQueue, []byte(report))
	return err
}

// reasonOf is the host's own words for a refused send.
func reasonOf(err error) string {
	var refused *publish.Error
	if errors.As(err, &refused) {
		return refused.Reason
	}
	return err.Error()
}
