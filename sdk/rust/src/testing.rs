//! Native stand-ins for unit tests (`cargo test`; this module does not exist on wasm32):
//! [`send`](crate::send) records messages here instead of publishing them, and
//! outbound HTTP requests ([`http`](crate::http)) are recorded and answered by
//! [`mock_http`].
//!
//! ```
//! wasmlet::send("orders", "one").unwrap();
//! let sent = wasmlet::testing::take_sent();
//! assert_eq!(sent[0].0, "orders");
//! assert_eq!(sent[0].1.body, b"one");
//! ```

use crate::http::{ErrorCode, HttpError, Request, Response};
use crate::OutgoingMessage;
use std::cell::{Cell, RefCell};

/// What answers outbound requests natively.
type HttpMock = Box<dyn FnMut(&Request) -> Result<Response, HttpError>>;

thread_local! {
    // Per thread, so parallel tests do not see each other's messages.
    static SENT: RefCell<Vec<(String, OutgoingMessage)>> = RefCell::new(Vec::new());
    static REFUSED: RefCell<Option<String>> = RefCell::new(None);
    static LAST_ID: Cell<u64> = Cell::new(0);
    static HTTP_MOCK: RefCell<Option<HttpMock>> = RefCell::new(None);
    static HTTP_SENT: RefCell<Vec<Request>> = RefCell::new(Vec::new());
}

/// Everything sent on this thread since the last call, oldest first, as (queue, message).
pub fn take_sent() -> Vec<(String, OutgoingMessage)> {
    SENT.with(|sent| std::mem::take(&mut *sent.borrow_mut()))
}

/// Makes every following `send` on this thread fail with `reason` (`None`: succeed again).
pub fn refuse_sends(reason: Option<&str>) {
    REFUSED.with(|refused| *refused.borrow_mut() = reason.map(str::to_string));
}

/// The native `send`: ids are `native-1`, `native-2`, ... per thread.
pub(crate) fn record(queue: &str, message: &OutgoingMessage) -> Result<String, String> {
    if let Some(reason) = REFUSED.with(|refused| refused.borrow().clone()) {
        return Err(reason);
    }
    SENT.with(|sent| sent.borrow_mut().push((queue.to_string(), message.clone())));
    let id = LAST_ID.with(|last| {
        last.set(last.get() + 1);
        last.get()
    });
    Ok(format!("native-{}", id))
}

/// Answers every following outbound request on this thread with `handler`,
/// in place of the host (without one, every request fails with
/// `ErrorCode::Denied`, as on a host that grants nothing).
///
/// ```
/// use wasmlet::http::{self, ErrorCode, HttpError};
///
/// wasmlet::testing::mock_http(|req| match req.url.as_str() {
///     "https://api.example.com/v1/rates" => Ok(http::Response { status: 200, headers: vec![], body: b"{}".to_vec() }),
///     _ => Err(HttpError { code: ErrorCode::Denied, message: "not granted".into() }),
/// });
/// assert_eq!(http::get("https://api.example.com/v1/rates").unwrap().body, b"{}");
/// assert_eq!(http::get("https://elsewhere.example/").unwrap_err().code, ErrorCode::Denied);
/// assert_eq!(wasmlet::testing::take_http_requests().len(), 2);
/// ```
pub fn mock_http(handler: impl FnMut(&Request) -> Result<Response, HttpError> + 'static) {
    HTTP_MOCK.with(|mock| *mock.borrow_mut() = Some(Box::new(handler)));
}

/// Every outbound request sent on this thread since the last call, oldest first.
pub fn take_http_requests() -> Vec<Request> {
    HTTP_SENT.with(|sent| std::mem::take(&mut *sent.borrow_mut()))
}

/// The native outbound `send`: records the request and asks the mock.
pub(crate) fn http_send(request: &Request) -> Result<Response, HttpError> {
    HTTP_SENT.with(|sent| sent.borrow_mut().push(request.clone()));
    // Taken out while it runs, so that a mock may itself send (or replace itself).
    let taken = HTTP_MOCK.with(|mock| mock.borrow_mut().take());
    let mut handler = match taken {
        Some(handler) => handler,
        None => {
            return Err(HttpError {
                code: ErrorCode::Denied,
                message: format!(
                    "{} {}: no outbound HTTP outside wasm32 (see wasmlet::testing::mock_http)",
                    request.method, request.url
                ),
            })
        }
    };
    let result = handler(request);
    HTTP_MOCK.with(|mock| {
        mock.borrow_mut().get_or_insert(handler);
    });
    result
}
