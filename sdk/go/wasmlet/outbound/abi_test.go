package outbound

import (
	"reflect"
	"testing"

	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/internal/abi/abitest"
)

// writeHeaders is what the host does for a list<tuple<string, string>> in a result: every
// non-empty string and the list allocated with cabi_realloc (an empty one is not: pointer 4).
func writeHeaders(mem *abitest.Memory, headers ...wasmlet.Header) (ptr, n uint32) {
	if len(headers) == 0 {
		return 4, 0
	}
	var words []uint32
	for _, h := range headers {
		namePtr, nameLen := mem.WriteString(h.Name)
		valuePtr, valueLen := mem.WriteString(h.Value)
		words = append(words, namePtr, nameLen, valuePtr, valueLen)
	}
	ptr, _ = mem.Write(abitest.Le32(words...))
	return ptr, uint32(len(headers))
}

// dirty is garbage in the padding bytes around the tag, status and code, as a host may leave it.
const dirty = 0xa5a5a500

func TestLiftResultOkTakesStatusHeadersAndBody(t *testing.T) {
	mem := abitest.New(t)
	headers := []wasmlet.Header{{Name: "content-type", Value: "text/plain"}, {Name: "x-empty", Value: ""}, {Name: "set-cookie", Value: "a=1"}}
	headersPtr, headersLen := writeHeaders(mem, headers...)
	bodyPtr, bodyLen := mem.Write([]byte("hi\x00there"))
	res, err := liftResult(mem, resultArea{dirty, 0xa5a50000 | 201, headersPtr, headersLen, bodyPtr, bodyLen})
	if err != nil {
		t.Fatal(err)
	}
	want := &Response{Status: 201, Headers: headers, Body: []byte("hi\x00there")}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("liftResult = %+v, want %+v", res, want)
	}
	if mem.Untaken() != 0 {
		t.Errorf("%d host buffers not taken", mem.Untaken())
	}
}

func TestLiftResultOkWithNoHeadersAndAnEmptyBody(t *testing.T) {
	mem := abitest.New(t) // Take fails the test on a buffer the host did not write
	res, err := liftResult(mem, resultArea{0, 204, 4, 0, 1, 0})
	if err != nil || res.Status != 204 || res.Headers != nil || res.Body != nil {
		t.Errorf("liftResult = %+v, %v", res, err)
	}
}

func TestLiftResultErrTakesEveryCodeAndItsMessage(t *testing.T) {
	for wire := range 10 {
		mem := abitest.New(t)
		ptr, n := mem.WriteString("origin not granted")
		res, err := liftResult(mem, resultArea{dirty | 1, dirty | uint32(wire), ptr, n, 0, 0})
		want := &Error{Code: ErrorCode(wire), Message: "origin not granted"}
		if res != nil || !reflect.DeepEqual(err, want) {
			t.Errorf("code %d: liftResult = %v, %#v", wire, res, err)
		}
		if mem.Untaken() != 0 {
			t.Errorf("code %d: the message was not taken", wire)
		}
	}
}

func TestLiftResultErrWithAnUnknownCodeOrAnEmptyMessage(t *testing.T) {
	mem := abitest.New(t)
	_, err := liftResult(mem, resultArea{1, 42, 1, 0, 0, 0})
	if want := (&Error{Code: ProtocolError}); !reflect.DeepEqual(err, want) {
		t.Errorf("unknown code: %#v, want %#v", err, want)
	}
}

func TestSendLowersTheRequestAndLiftsTheResult(t *testing.T) {
	mem := abitest.New(t)
	req := Request{
		Method:  "POST",
		URL:     "http://127.0.0.1:8080/echo?x=1",
		Headers: []wasmlet.Header{{Name: "x-probe", Value: "go"}, {Name: "x-empty", Value: ""}},
		Body:    []byte("a\x00b"),
	}
	var area resultArea
	var seen Request
	res, err := send(mem, req, &area, func(method, url string, headersPtr, headersLen, bodyPtr, bodyLen uint32, ret *resultArea) {
		seen = Request{Method: method, URL: url, Body: append([]byte(nil), mem.Read(bodyPtr, bodyLen)...)}
		words := mem.ReadWords(headersPtr, 4*headersLen)
		for i := 0; i < len(words); i += 4 {
			seen.Headers = append(seen.Headers, wasmlet.Header{Name: mem.ReadString(words[i], words[i+1]), Value: mem.ReadString(words[i+2], words[i+3])})
		}
		if ret != &area {
			t.Error("the result is not written to the area")
		}
		bodyPtr, bodyLen = mem.WriteString("ok")
		*ret = resultArea{0, 200, 4, 0, bodyPtr, bodyLen}
	})
	if !reflect.DeepEqual(seen, req) {
		t.Errorf("the host saw %+v, want %+v", seen, req)
	}
	if err != nil || res.Status != 200 || string(res.Body) != "ok" {
		t.Errorf("send = %+v, %v", res, err)
	}
}

func TestSendOfAnEmptyRequest(t *testing.T) {
	mem := abitest.New(t)
	var area resultArea
	_, err := send(mem, Request{}, &area, func(method, url string, headersPtr, headersLen, bodyPtr, bodyLen uint32, ret *resultArea) {
		if method != "" || url != "" || headersPtr != 0 || headersLen != 0 || bodyPtr != 0 || bodyLen != 0 {
			t.Errorf("arguments: %q %q %d %d %d %d", method, url, headersPtr, headersLen, bodyPtr, bodyLen)
		}
		ptr, n := mem.WriteString("empty method")
		*ret = resultArea{1, uint32(InvalidRequest), ptr, n, 0, 0}
	})
	if want := (&Error{Code: InvalidRequest, Message: "empty method"}); !reflect.DeepEqual(err, want) {
		t.Errorf("send = %#v, want %#v", err, want)
	}
}
