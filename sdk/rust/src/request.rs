//! The request a handler receives: `http-request` from the contract, owned.

use std::borrow::Cow;

/// An HTTP request as the host parsed it. A direct invocation (`wasmlet
/// invoke`) arrives as `POST /` with the payload as `body` and the header
/// `x-wasmlet-invocation: direct`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// Upper-case, e.g. `"GET"`.
    pub method: String,
    /// Without the query string, e.g. `"/hello/rust"`.
    pub path: String,
    /// Raw, without the leading `?`; `""` when absent.
    pub query: String,
    /// Names are lower-case; a repeated header appears once per value.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The URL-decoded value of the first `key` in the query string (`+` is a
    /// space). `Some("")` for `?key` or `?key=`.
    ///
    /// ```
    /// let req = wasmlet::Request { query: "name=Ada+L%C3%A9".into(), ..Default::default() };
    /// assert_eq!(req.query_param("name").as_deref(), Some("Ada Lé"));
    /// ```
    pub fn query_param(&self, key: &str) -> Option<String> {
        crate::query::find_param(&self.query, key)
    }

    /// The first value of header `name`, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text; invalid UTF-8 becomes U+FFFD, so it never fails.
    /// Check `std::str::from_utf8(&req.body)` yourself to reject bad input.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            method: "POST".into(),
            path: "/".into(),
            query: "name=ada".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("accept".into(), "a".into()),
                ("accept".into(), "b".into()),
            ],
            body: b"{\"name\":\"ada\"}".to_vec(),
        }
    }

    #[test]
    fn header_is_case_insensitive_and_returns_the_first_value() {
        let req = request();
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert_eq!(req.header("accept"), Some("a"));
        assert_eq!(req.header("x-missing"), None);
    }

    #[test]
    fn body_text_replaces_invalid_utf8() {
        let mut req = request();
        assert_eq!(req.body_text(), "{\"name\":\"ada\"}");
        req.body = vec![b'o', b'k', 0xff];
        assert_eq!(req.body_text(), "ok\u{fffd}");
    }

    #[test]
    fn query_param_uses_the_raw_query() {
        assert_eq!(request().query_param("name").as_deref(), Some("ada"));
    }
}
