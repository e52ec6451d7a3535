// Canonical-ABI lifting of handle(queue, messages) and lowering of its
// result<list<message-result>, string> (layout: sdk/wit/README.md), against abi.Memory so that
// it runs, and is tested, natively too.
package queue

import "wasmlet.dev/sdk/go/wasmlet/internal/abi"

// Sizes on wasm32: a message record is 40 bytes (8-aligned: it holds a u64), a message-result
// three u32 words (u8 tag, then the payload's two words).
const (
	messageWireBytes = 40
	resultWireWords  = 3
)

// handleArgs are handle's four flattened parameters: queue (ptr, len), messages (ptr, len).
type handleArgs [4]uint32

// liftMessages builds the batch without copying: every string and body is a view of the buffer
// the host wrote, which it keeps alive.
func liftMessages(mem abi.Memory, a handleArgs) (string, []Message) {
	name := abi.String(mem, a[0], a[1])
	count := a[3]
	if count == 0 {
		return name, nil
	}
	wire := mem.Take(a[2], count*messageWireBytes)
	messages := make([]Message, count)
	for i := range messages {
		w := wire[i*messageWireBytes:]
		messages[i] = Message{
			Queue:      name,
			ID:         abi.String(mem, abi.Le32(w[0:]), abi.Le32(w[4:])),
			Body:       abi.Bytes(mem, abi.Le32(w[8:]), abi.Le32(w[12:])),
			Attempt:    abi.Le32(w[16:]),
			EnqueuedAt: abi.Le64(w[24:]),
			Attributes: liftAttributes(mem, abi.Le32(w[32:]), abi.Le32(w[36:])),
		}
	}
	return name, messages
}

// liftAttributes reads a list<tuple<string, string>>.
func liftAttributes(mem abi.Memory, ptr, count uint32) []Attribute {
	if count == 0 {
		return nil
	}
	wire := mem.Take(ptr, count*abi.PairBytes)
	attributes := make([]Attribute, count)
	for i := range attributes {
		p := wire[i*abi.PairBytes:]
		attributes[i] = Attribute{
			Name:  abi.String(mem, abi.Le32(p[0:]), abi.Le32(p[4:])),
			Value: abi.String(mem, abi.Le32(p[8:]), abi.Le32(p[12:])),
		}
	}
	return attributes
}

// pendingResult holds everything the result area points at, so that it stays reachable until
// the host has copied it out and called post-return.
type pendingResult struct {
	results []Result // the fail reasons the wire points at
	wire    []uint32
	message string
}

// lowerResult writes the batch's outcome as result<list<message-result>, string>: tag at word
// 0; ok: the results' ptr and len; err: the message's ptr and len. Each message-result is
// three words: the tag; for retry the option's tag and the delay; for fail the reason's ptr, len.
func lowerResult(mem abi.Memory, results []Result, err error) ([abi.ResultAreaWords]uint32, pendingResult) {
	if err != nil {
		area, message := abi.ErrArea(mem, err)
		return area, pendingResult{message: message}
	}
	wire := make([]uint32, 0, resultWireWords*len(results))
	for _, r := range results {
		switch r.kind {
		case kindRetry:
			wire = append(wire, uint32(kindRetry), boolWord(r.hasDelay), r.delayMs)
		case kindFail:
			ptr, n := abi.StringAddr(mem, r.reason)
			wire = append(wire, uint32(kindFail), ptr, n)
		default:
			wire = append(wire, uint32(kindOk), 0, 0)
		}
	}
	ptr, _ := abi.WordsAddr(mem, wire)
	return [abi.ResultAreaWords]uint32{0, ptr, uint32(len(results))}, pendingResult{results: results, wire: wire}
}

func boolWord(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
