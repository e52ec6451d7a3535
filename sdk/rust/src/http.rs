//! Outbound HTTP: the `outbound-http` interface of the contract. The manifest
//! grants the origins a function may reach, none by default:
//! `allowed_outbound_hosts = ["https://api.example.com"]`.
//!
//! ```no_run
//! use wasmlet::http::{self, ErrorCode};
//!
//! fn rates() -> Result<String, String> {
//!     let res = http::Request::get("https://api.example.com/v1/rates")
//!         .header("accept", "application/json")
//!         .send();
//!     match res {
//!         Ok(res) if res.status == 200 => Ok(res.body_text().into_owned()),
//!         Ok(res) => Err(format!("rates answered {}", res.status)), // any status is a response
//!         Err(err) if err.code == ErrorCode::Denied => Err("add the origin to allowed_outbound_hosts".into()),
//!         Err(err) => Err(err.to_string()), // or just `?`: HttpError converts into String
//!     }
//! }
//! ```
//! Outside wasm (in `cargo test`) nothing is sent: see
//! [`testing::mock_http`](crate::testing::mock_http).

use std::borrow::Cow;
use std::fmt;

/// A request to send, built with [`Request::get`], [`Request::post`] or
/// [`Request::new`], then [`header`](Request::header) and [`body`](Request::body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// Upper-case, e.g. `"GET"`, `"POST"`.
    pub method: String,
    /// An absolute `http://` or `https://` URL.
    pub url: String,
    /// Sent as given; the host adds `host` and `content-length`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A request with any method (pass it upper-case) and no headers or body.
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        Request { method: method.into(), url: url.into(), headers: Vec::new(), body: Vec::new() }
    }

    pub fn get(url: impl Into<String>) -> Self {
        Request::new("GET", url)
    }

    pub fn post(url: impl Into<String>) -> Self {
        Request::new("POST", url)
    }

    /// Appends a header (a name may repeat).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends the request and waits for the whole response (redirects are
    /// followed, at most 5). The host copies the request; it stays yours.
    pub fn send(&self) -> Result<Response, HttpError> {
        crate::host::http_send(self)
    }
}

/// A whole response: any status, 4xx and 5xx included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Names are lower-case; a repeated header appears once per value.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name`, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// The body as text; invalid UTF-8 becomes U+FFFD, so it never fails.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// Why there is no response: the contract's `error-code`, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The origin (or the address it resolved to) is not granted by `allowed_outbound_hosts`.
    Denied,
    /// The method, URL or a header is malformed.
    InvalidRequest,
    /// The name did not resolve.
    DnsError,
    ConnectionRefused,
    /// Connecting took longer than `[limits] outbound_connect_timeout_ms`.
    ConnectionTimeout,
    /// No whole response within `[limits] outbound_timeout_ms` or the invocation's deadline.
    Timeout,
    /// The certificate did not verify, or the handshake failed.
    TlsError,
    /// The responses of this invocation exceeded `[limits] outbound_response_bytes`.
    ResponseTooLarge,
    /// This invocation already made `[limits] outbound_requests` requests.
    TooManyRequests,
    /// Anything else that broke the connection or the protocol (a redirect loop included).
    ProtocolError,
}

impl ErrorCode {
    /// Every code, in the WIT's order (the index is the wire value).
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::Denied,
        ErrorCode::InvalidRequest,
        ErrorCode::DnsError,
        ErrorCode::ConnectionRefused,
        ErrorCode::ConnectionTimeout,
        ErrorCode::Timeout,
        ErrorCode::TlsError,
        ErrorCode::ResponseTooLarge,
        ErrorCode::TooManyRequests,
        ErrorCode::ProtocolError,
    ];

    /// The name in the WIT, e.g. `"denied"`, `"dns-error"`.
    ///
    /// ```
    /// assert_eq!(wasmlet::http::ErrorCode::TooManyRequests.as_str(), "too-many-requests");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Denied => "denied",
            ErrorCode::InvalidRequest => "invalid-request",
            ErrorCode::DnsError => "dns-error",
            ErrorCode::ConnectionRefused => "connection-refused",
            ErrorCode::ConnectionTimeout => "connection-timeout",
            ErrorCode::Timeout => "timeout",
            ErrorCode::TlsError => "tls-error",
            ErrorCode::ResponseTooLarge => "response-too-large",
            ErrorCode::TooManyRequests => "too-many-requests",
            ErrorCode::ProtocolError => "protocol-error",
        }
    }

    /// The code for a wire value; one this SDK does not know is "anything
    /// else that broke": `ProtocolError`.
    pub(crate) fn from_wire(value: u8) -> ErrorCode {
        *ErrorCode::ALL.get(usize::from(value)).unwrap_or(&ErrorCode::ProtocolError)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// No response: the host refused the request or it failed. `message` is
/// for people (logs), not a stable interface; match on `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub code: ErrorCode,
    pub message: String,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "outbound HTTP failed ({}): {}", self.code, self.message)
    }
}

impl std::error::Error for HttpError {}

/// So `?` works in a handler that returns `Result<_, String>`.
impl From<HttpError> for String {
    fn from(err: HttpError) -> String {
        err.to_string()
    }
}

/// [`Request::get`] of `url`, sent.
///
/// ```no_run
/// let page = wasmlet::http::get("https://example.com/")?;
/// # Ok::<(), wasmlet::http::HttpError>(())
/// ```
pub fn get(url: impl Into<String>) -> Result<Response, HttpError> {
    Request::get(url).send()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder() {
        let req = Request::post("http://127.0.0.1/x").header("a", "1").header("a", "2").body("hi");
        assert_eq!(req.method, "POST");
        assert_eq!(req.url, "http://127.0.0.1/x");
        assert_eq!(req.headers, vec![("a".into(), "1".into()), ("a".into(), "2".into())]);
        assert_eq!(req.body, b"hi");
        assert_eq!(Request::get("u").method, "GET");
        assert_eq!(Request::new("PUT", "u").body(vec![0u8]).body, vec![0]);
    }

    #[test]
    fn response_header_is_case_insensitive_and_returns_the_first_value() {
        let res = Response {
            status: 200,
            headers: vec![("set-cookie".into(), "a=1".into()), ("set-cookie".into(), "b=2".into())],
            body: vec![b'o', b'k', 0xff],
        };
        assert_eq!(res.header("Set-Cookie"), Some("a=1"));
        assert_eq!(res.header("x-missing"), None);
        assert_eq!(res.body_text(), "ok\u{fffd}");
    }

    #[test]
    fn error_codes_follow_the_wit_enum() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(
            names,
            [
                "denied",
                "invalid-request",
                "dns-error",
                "connection-refused",
                "connection-timeout",
                "timeout",
                "tls-error",
                "response-too-large",
                "too-many-requests",
                "protocol-error"
            ]
        );
        for (wire, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(ErrorCode::from_wire(wire as u8), *code);
        }
        assert_eq!(ErrorCode::from_wire(10), ErrorCode::ProtocolError);
        assert_eq!(ErrorCode::from_wire(255), ErrorCode::ProtocolError);
    }

    #[test]
    fn http_error_converts_to_a_string_for_question_mark() {
        fn handler() -> Result<(), String> {
            Err(HttpError { code: ErrorCode::Denied, message: "http://x is not granted".into() })?;
            Ok(())
        }
        assert_eq!(handler(), Err("outbound HTTP failed (denied): http://x is not granted".to_string()));
    }
}
