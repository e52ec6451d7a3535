package wasmlet

import (
	"reflect"
	"testing"
)

func sampleRequest() Request {
	return Request{
		Method: "POST",
		Path:   "/",
		Query:  "name=ada",
		Headers: []Header{
			{"content-type", "application/json"},
			{"accept", "a"},
			{"accept", "b"},
			{"x-wasmlet-invocation", "direct"},
		},
		Body: []byte(`{"name":"ada"}`),
	}
}

func TestRequestHeaderIsCaseInsensitiveAndFirstWins(t *testing.T) {
	req := sampleRequest()
	if got := req.Header("Content-Type"); got != "application/json" {
		t.Errorf("Header(Content-Type) = %q", got)
	}
	if got := req.Header("ACCEPT"); got != "a" {
		t.Errorf("Header(ACCEPT) = %q", got)
	}
	if got, found := req.LookupHeader("x-missing"); got != "" || found {
		t.Errorf("LookupHeader(x-missing) = %q, %v", got, found)
	}
	if got := req.HeaderValues("Accept"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("HeaderValues(Accept) = %q", got)
	}
	if got := req.HeaderValues("x-missing"); got != nil {
		t.Errorf("HeaderValues(x-missing) = %q", got)
	}
}

func TestRequestQueryParam(t *testing.T) {
	req := Request{Query: "name=Ada+L%C3%A9&debug"}
	if got := req.QueryParam("name"); got != "Ada Lé" {
		t.Errorf("QueryParam(name) = %q", got)
	}
	if got, found := req.LookupQueryParam("debug"); got != "" || !found {
		t.Errorf("LookupQueryParam(debug) = %q, %v", got, found)
	}
	if got, found := req.LookupQueryParam("missing"); got != "" || found {
		t.Errorf("LookupQueryParam(missing) = %q, %v", got, found)
	}
}

func TestRequestBodyTextReplacesInvalidUTF8(t *testing.T) {
	req := sampleRequest()
	if got := req.BodyText(); got != `{"name":"ada"}` {
		t.Errorf("BodyText() = %q", got)
	}
	req.Body = []byte{'o', 'k', 0xff}
	if got := req.BodyText(); got != "ok\uFFFD" {
		t.Errorf("BodyText() = %q", got)
	}
}

func TestRequestIsDirectInvocation(t *testing.T) {
	if !sampleRequest().IsDirectInvocation() {
		t.Error("a request with x-wasmlet-invocation: direct is a direct invocation")
	}
	if (Request{Method: "GET"}).IsDirectInvocation() {
		t.Error("a plain request is not a direct invocation")
	}
}

func TestEqualFoldASCII(t *testing.T) {
	if !equalFoldASCII("X-Request-ID", "x-request-id") || equalFoldASCII("a", "ab") || equalFoldASCII("a-", "a_") {
		t.Error("equalFoldASCII")
	}
}
