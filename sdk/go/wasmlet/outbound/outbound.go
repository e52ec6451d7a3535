// Package outbound makes HTTP requests from a function: the contract's outbound-http interface.
//
// The manifest grants the origins a function may reach, none by default:
// allowed_outbound_hosts = ["https://api.example.com"]. A request returns once the whole response
// has arrived (redirects followed, at most 5); any status is a response, and no response is an
// *[Error] whose Code says why:
//
//	res, err := outbound.Get("https://api.example.com/v1/rates", wasmlet.Header{Name: "accept", Value: "application/json"})
//	var failed *outbound.Error
//	if errors.As(err, &failed) && failed.Code == outbound.Denied {
//		return wasmlet.Text(500, "api.example.com is not in allowed_outbound_hosts"), nil
//	}
//
// It is not a net/http RoundTripper on purpose: importing net/http adds about 7.8 MB to a
// function's module, copied into every fresh instance. Importing this package adds no export.
// Outside wasip1 (go test) requests go to [NativeHandler].
package outbound

import (
	"wasmlet.dev/sdk/go/wasmlet"
	"wasmlet.dev/sdk/go/wasmlet/internal/abi"
)

// Request is a request to send with [Do].
type Request struct {
	// Upper-case, e.g. "GET", "POST"; "" means GET.
	Method string
	// An absolute http:// or https:// URL.
	URL string
	// Sent as given; the host adds host and content-length.
	Headers []wasmlet.Header
	Body    []byte
}

// Response is a whole response, whatever its status.
type Response struct {
	Status int
	// Names are lower-case; a repeated header appears once per value.
	Headers []wasmlet.Header
	Body    []byte
}

// Header returns the first value of header name, matched case-insensitively, or "".
func (r *Response) Header(name string) string {
	for _, h := range r.Headers {
		if equalFoldASCII(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// BodyText returns the body as a string.
func (r *Response) BodyText() string {
	return string(r.Body)
}

// ErrorCode says why there is no response: the contract's error-code, in its order.
type ErrorCode uint8

const (
	// Denied: the origin (or the address it resolved to) is not in allowed_outbound_hosts.
	Denied ErrorCode = iota
	// InvalidRequest: the method, URL or a header is malformed.
	InvalidRequest
	// DNSError: the name did not resolve.
	DNSError
	ConnectionRefused
	// ConnectionTimeout: connecting took longer than [limits] outbound_connect_timeout_ms.
	ConnectionTimeout
	// Timeout: no whole response within [limits] outbound_timeout_ms or the invocation's deadline.
	Timeout
	// TLSError: the certificate did not verify, or the handshake failed.
	TLSError
	// ResponseTooLarge: this invocation's responses exceeded [limits] outbound_response_bytes.
	ResponseTooLarge
	// TooManyRequests: this invocation already made [limits] outbound_requests requests.
	TooManyRequests
	// ProtocolError: anything else that broke the connection or the protocol (a redirect loop too).
	ProtocolError
)

// codeNames are the WIT's names, indexed by code.
var codeNames = [...]string{
	"denied", "invalid-request", "dns-error", "connection-refused", "connection-timeout",
	"timeout", "tls-error", "response-too-large", "too-many-requests", "protocol-error",
}

// String is the code's name in the WIT, e.g. "denied", "dns-error".
func (c ErrorCode) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "error-code(" + abi.Itoa(uint64(c)) + ")"
}

// codeFromWire is the code for a wire value; one this SDK does not know is "anything else that
// broke": ProtocolError.
func codeFromWire(value uint8) ErrorCode {
	if int(value) < len(codeNames) {
		return ErrorCode(value)
	}
	return ProtocolError
}

// Error is a request without a response: refused by the host or failed. Message is for people
// (logs), not a stable interface; match on Code.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string {
	return "outbound http: " + e.Code.String() + ": " + e.Message
}

// Do sends req and waits for the whole response; a request without one returns an *[Error]. The
// host copies req: it stays the caller's.
func Do(req Request) (*Response, error) {
	if req.Method == "" {
		req.Method = "GET"
	}
	return hostSend(req)
}

// Get is [Do] of a GET of url with headers and no body.
func Get(url string, headers ...wasmlet.Header) (*Response, error) {
	return Do(Request{Method: "GET", URL: url, Headers: headers})
}

// equalFoldASCII compares header names, which are ASCII tokens, ignoring case (strings.EqualFold
// would link the Unicode case tables into every function).
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
