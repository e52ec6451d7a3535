// The request a handler receives: http-request from the contract.
package wasmlet

import "strings"

// Header is one header line. Request header names are lower-case; a repeated
// header appears once per value, in order.
type Header struct {
	Name, Value string
}

// Request is an HTTP request as the host parsed it. A direct invocation
// (wasmlet invoke) arrives as POST / with the payload as Body and the header
// x-wasmlet-invocation: direct.
type Request struct {
	// Upper-case, e.g. "GET".
	Method string
	// Without the query string, e.g. "/hello/go".
	Path string
	// Raw, without the leading '?'; "" when absent.
	Query   string
	Headers []Header
	Body    []byte
}

// QueryParam returns the URL-decoded value of the first key in the query
// string ('+' is a space), or "" when it is absent. Use [Request.LookupQueryParam]
// to tell an absent key from an empty value.
//
//	req := wasmlet.Request{Query: "name=Ada+L%C3%A9"}
//	req.QueryParam("name") // "Ada Lé"
func (r Request) QueryParam(key string) string {
	value, _ := findQueryParam(r.Query, key)
	return value
}

// LookupQueryParam is [Request.QueryParam] that also reports whether key is
// present: "?debug" and "?debug=" give ("", true).
func (r Request) LookupQueryParam(key string) (string, bool) {
	return findQueryParam(r.Query, key)
}

// Header returns the first value of header name, matched case-insensitively,
// or "" when it is absent.
func (r Request) Header(name string) string {
	value, _ := r.LookupHeader(name)
	return value
}

// LookupHeader is [Request.Header] that also reports whether the header is present.
func (r Request) LookupHeader(name string) (string, bool) {
	for _, h := range r.Headers {
		if equalFoldASCII(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// HeaderValues returns every value of header name, in order (e.g. several
// cookie or accept lines), matched case-insensitively.
func (r Request) HeaderValues(name string) []string {
	var values []string
	for _, h := range r.Headers {
		if equalFoldASCII(h.Name, name) {
			values = append(values, h.Value)
		}
	}
	return values
}

// BodyText returns the body as text; each run of invalid UTF-8 becomes
// U+FFFD, so it never fails. Check utf8.Valid(req.Body) to reject bad input.
func (r Request) BodyText() string {
	return strings.ToValidUTF8(string(r.Body), "\uFFFD")
}

// IsDirectInvocation reports whether the request came from wasmlet invoke
// (POST /v1/functions/{name}/invoke) rather than an HTTP route.
func (r Request) IsDirectInvocation() bool {
	return r.Header("x-wasmlet-invocation") == "direct"
}

// equalFoldASCII compares header names, which are ASCII tokens, ignoring case
// (strings.EqualFold would link the Unicode case tables into every function).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
