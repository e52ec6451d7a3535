//! The response a handler returns: `http-response` from the contract, built fluently.

/// An HTTP response. Build it with the constructors and chain `header`/`body`:
///
/// ```
/// use wasmlet::Response;
/// let res = Response::new(201).header("location", "/items/7").body("created");
/// assert_eq!(res.status, 201);
/// assert_eq!(res.body, b"created");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Sent in this order; a name may repeat (e.g. `set-cookie`).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Response { status, headers: Vec::new(), body: Vec::new() }
    }

    /// `text` as `text/plain; charset=utf-8`.
    pub fn text(status: u16, text: impl Into<String>) -> Self {
        Response::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(text.into())
    }

    /// `json`, already serialized, as `application/json` (this crate has no
    /// serializer: it must build with rustc 1.63 and no registry).
    pub fn json(status: u16, json: impl Into<String>) -> Self {
        Response::new(status).header("content-type", "application/json").body(json.into())
    }

    /// Appends a header; it does not replace an earlier one with the same name.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_sets_content_type_and_body() {
        let res = Response::text(404, "no such greeting");
        assert_eq!(res.status, 404);
        assert_eq!(
            res.headers,
            vec![("content-type".to_string(), "text/plain; charset=utf-8".to_string())]
        );
        assert_eq!(res.body, b"no such greeting");
    }

    #[test]
    fn json_sets_content_type() {
        let res = Response::json(200, String::from("{\"ok\":true}"));
        assert_eq!(res.headers[0].1, "application/json");
        assert_eq!(res.body, b"{\"ok\":true}");
    }

    #[test]
    fn headers_accumulate_and_body_replaces() {
        let res = Response::new(200)
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .body(vec![1u8, 2])
            .body(&b"final"[..]);
        assert_eq!(res.headers.len(), 2);
        assert_eq!(res.body, b"final");
    }
}
