// Registering the function's handler; the exported glue (abi_wasip1.go) calls it.
package wasmlet

import "errors"

// Handler answers one request. A non-nil error is a guest error: the host
// answers 500 and logs err.Error(); the Response is then ignored.
type Handler func(req Request) (Response, error)

// registered is the handler of this component: one per instance, set while
// packages initialize, before the host's first call.
var registered Handler

// Handle registers h as the component's handler. Call it once, from an init
// function (main never runs in a reactor). A later call replaces h.
//
//	func init() { wasmlet.Handle(order) }
//
//	func order(req wasmlet.Request) (wasmlet.Response, error) {
//		var o Order
//		if err := json.Unmarshal(req.Body, &o); err != nil {
//			return wasmlet.Text(400, "expected an order\n"), nil
//		}
//		body, err := json.Marshal(o.Receipt())
//		if err != nil {
//			return wasmlet.Response{}, err // 500, and the message in the function's log
//		}
//		return wasmlet.JSON(201, body), nil
//	}
func Handle(h Handler) {
	registered = h
}

// HandleHTTP registers a handler that cannot fail; see [Handle].
func HandleHTTP(h func(req Request) Response) {
	Handle(func(req Request) (Response, error) { return h(req), nil })
}

var errNoHandler = errors.New("wasmlet: no handler registered; call wasmlet.Handle or wasmlet.HandleHTTP from an init function")

// dispatch calls the registered handler.
func dispatch(req Request) (Response, error) {
	if registered == nil {
		return Response{}, errNoHandler
	}
	return registered(req)
}
