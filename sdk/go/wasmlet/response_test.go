package wasmlet

import (
	"reflect"
	"testing"
)

func TestTextSetsContentTypeAndBody(t *testing.T) {
	res := Text(404, "no such greeting")
	want := Response{Status: 404, Headers: []Header{{"content-type", "text/plain; charset=utf-8"}}, Body: []byte("no such greeting")}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Text = %+v", res)
	}
}

func TestJSONSetsContentType(t *testing.T) {
	res := JSON(201, []byte(`{"ok":true}`))
	if res.Status != 201 || res.Headers[0] != (Header{"content-type", "application/json"}) || string(res.Body) != `{"ok":true}` {
		t.Errorf("JSON = %+v", res)
	}
}

func TestBytesWithoutContentTypeSendsNone(t *testing.T) {
	if res := Bytes(204, "", nil); res.Headers != nil || res.Body != nil || res.Status != 204 {
		t.Errorf("Bytes = %+v", res)
	}
}

func TestWithHeaderAppendsAndNeverAliases(t *testing.T) {
	base := Text(200, "hi")
	base.Headers = append(make([]Header, 0, 8), base.Headers...) // spare capacity invites aliasing
	a := base.WithHeader("set-cookie", "a=1")
	b := base.WithHeader("set-cookie", "b=2").WithHeader("set-cookie", "c=3")
	if len(base.Headers) != 1 {
		t.Fatalf("WithHeader modified the receiver: %v", base.Headers)
	}
	if got := a.Headers[1]; got != (Header{"set-cookie", "a=1"}) {
		t.Errorf("a's header was overwritten: %v", a.Headers)
	}
	if len(b.Headers) != 3 || b.Headers[2].Value != "c=3" {
		t.Errorf("b.Headers = %v", b.Headers)
	}
}
