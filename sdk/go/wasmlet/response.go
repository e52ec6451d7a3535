// The response a handler returns: http-response from the contract.
package wasmlet

// Response is an HTTP response. Build it with [Text], [JSON] or [Bytes], or as
// a struct literal, and add headers with [Response.WithHeader]:
//
//	wasmlet.Bytes(201, "image/png", png).WithHeader("location", "/images/7")
type Response struct {
	// 200..599; the host answers 502 response_invalid for anything else.
	Status int
	// Sent in this order; a name may repeat (e.g. set-cookie).
	Headers []Header
	Body    []byte
}

// Text is text as text/plain; charset=utf-8.
func Text(status int, text string) Response {
	return Bytes(status, "text/plain; charset=utf-8", []byte(text))
}

// JSON is body, JSON you encoded (e.g. with encoding/json), as
// application/json. The SDK does not encode for you so that a function that
// never speaks JSON does not carry encoding/json (about 420 KB of code and
// 150 KB of data, copied into every fresh instance):
//
//	body, err := json.Marshal(order)
//	if err != nil {
//		return wasmlet.Response{}, err
//	}
//	return wasmlet.JSON(201, body), nil
func JSON(status int, body []byte) Response {
	return Bytes(status, "application/json", body)
}

// Bytes is body with the given content-type ("" sends none).
func Bytes(status int, contentType string, body []byte) Response {
	res := Response{Status: status, Body: body}
	if contentType != "" {
		res.Headers = []Header{{Name: "content-type", Value: contentType}}
	}
	return res
}

// WithHeader returns a copy of r with one more header; it does not replace an
// earlier header with the same name, and never modifies r's own slice.
func (r Response) WithHeader(name, value string) Response {
	headers := make([]Header, len(r.Headers), len(r.Headers)+1)
	copy(headers, r.Headers)
	r.Headers = append(headers, Header{Name: name, Value: value})
	return r
}
