//! Canonical-ABI glue for the `wasmlet:function/outbound-http@0.1.0` import
//! `send` (layout in sdk/wit/README.md); the raw import is in `host.rs`.

use super::{take_bytes, take_pairs, take_string, wire_pairs, WireHeader};
use crate::http::{ErrorCode, HttpError, Request, Response};

/// `send`'s flattened parameters but the result pointer: method, url,
/// headers and body as (ptr, len), all i32 on wasm32. They borrow the request.
pub(crate) struct SendArgs {
    pub(crate) method: (*const u8, usize),
    pub(crate) url: (*const u8, usize),
    pub(crate) headers: (*const WireHeader, usize),
    pub(crate) body: (*const u8, usize),
}

/// `result<response, http-error>`: 24 bytes, align 4, read as six words
/// (`usize` is the README's u32 on wasm32): tag (u8) at word 0; ok: status
/// (u16) at 1, headers ptr/len at 2/3, body ptr/len at 4/5; err: code (u8)
/// at 1, message ptr/len at 2/3. Only the low bytes of the tag, status and
/// code words are written: the rest is padding, possibly dirty.
#[repr(C, align(4))]
pub(crate) struct ResultArea(pub(crate) [usize; 6]);

#[cfg(target_arch = "wasm32")]
const _: () = assert!(std::mem::size_of::<ResultArea>() == 24 && std::mem::align_of::<ResultArea>() == 4);

/// Lowers `request`, calls `import` (the host's `send`, or a stand-in) with
/// the arguments and the result area, and lifts the result.
///
/// # Safety
/// `import` must write a valid result area as the host does, every non-empty
/// buffer in it allocated with our `cabi_realloc`.
pub(crate) unsafe fn send(request: &Request, import: impl FnOnce(&SendArgs, *mut u8)) -> Result<Response, HttpError> {
    // The host reads the caller's strings through this list during the call
    // and copies everything: nothing needs to outlive `import`.
    let headers = wire_pairs(&request.headers);
    let args = SendArgs {
        method: (request.method.as_ptr(), request.method.len()),
        url: (request.url.as_ptr(), request.url.len()),
        headers: (headers.as_ptr(), headers.len()),
        body: (request.body.as_ptr(), request.body.len()),
    };
    // A local is fine: the host's calls into cabi_realloc do not move our stack.
    let mut area = ResultArea([0; 6]);
    import(&args, &mut area as *mut ResultArea as *mut u8);
    drop(headers);
    lift_result(&area)
}

/// Takes ownership of what the host wrote: the header list and its strings
/// and the body, or the message.
///
/// # Safety
/// `area` must be a result area the host wrote, not lifted before.
pub(crate) unsafe fn lift_result(area: &ResultArea) -> Result<Response, HttpError> {
    let [tag, status_or_code, ptr_a, len_a, ptr_b, len_b] = area.0;
    if tag & 0xff == 0 {
        Ok(Response {
            status: (status_or_code & 0xffff) as u16,
            headers: take_pairs(ptr_a as *mut u8, len_a),
            body: take_bytes(ptr_b as *mut u8, len_b),
        })
    } else {
        Err(HttpError {
            code: ErrorCode::from_wire((status_or_code & 0xff) as u8),
            message: take_string(ptr_a as *mut u8, len_a),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::slice;

    /// A buffer as the host allocates it with our cabi_realloc: exactly
    /// `len` bytes, which the guest frees; an empty one is never allocated.
    fn host_bytes(bytes: &[u8]) -> (usize, usize) {
        if bytes.is_empty() {
            return (1, 0); // freeing it would crash
        }
        let boxed: Box<[u8]> = bytes.into();
        (Box::into_raw(boxed) as *mut u8 as usize, bytes.len())
    }

    /// A `list<tuple<string, string>>` as the host allocates it.
    fn host_pairs(pairs: &[(&str, &str)]) -> (usize, usize) {
        if pairs.is_empty() {
            return (4, 0); // the list's alignment, never allocated
        }
        let wire: Box<[WireHeader]> = pairs
            .iter()
            .map(|(name, value)| {
                let (name_ptr, name_len) = host_bytes(name.as_bytes());
                let (value_ptr, value_len) = host_bytes(value.as_bytes());
                WireHeader { name_ptr: name_ptr as *mut u8, name_len, value_ptr: value_ptr as *mut u8, value_len }
            })
            .collect();
        (Box::into_raw(wire) as *mut WireHeader as usize, pairs.len())
    }

    /// The host's ok: tag 0, status, headers, body; `dirty` fills the padding.
    fn ok_area(status: u16, headers: &[(&str, &str)], body: &[u8], dirty: usize) -> ResultArea {
        let (headers_ptr, headers_len) = host_pairs(headers);
        let (body_ptr, body_len) = host_bytes(body);
        ResultArea([dirty & !0xff, dirty & !0xffff | usize::from(status), headers_ptr, headers_len, body_ptr, body_len])
    }

    /// The host's err: tag 1, the code's wire value, the message.
    fn err_area(code: u8, message: &str, dirty: usize) -> ResultArea {
        let (message_ptr, message_len) = host_bytes(message.as_bytes());
        ResultArea([dirty & !0xff | 1, dirty & !0xff | usize::from(code), message_ptr, message_len, 0, 0])
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    #[test]
    fn ok_lifts_status_headers_and_body() {
        let headers = [("content-type", "text/plain"), ("x-empty", ""), ("set-cookie", "a=1"), ("set-cookie", "b=2")];
        let area = ok_area(201, &headers, b"hi\0there", 0);
        let res = unsafe { lift_result(&area) }.unwrap();
        assert_eq!(res, Response { status: 201, headers: pairs(&headers), body: b"hi\0there".to_vec() });
    }

    #[test]
    fn ok_with_no_headers_and_an_empty_body() {
        let res = unsafe { lift_result(&ok_area(204, &[], b"", 0)) }.unwrap();
        assert_eq!(res, Response { status: 204, headers: vec![], body: vec![] });
    }

    #[test]
    fn only_the_low_bytes_of_tag_status_and_code_count() {
        let dirty = 0xa5a5_a5a5;
        let res = unsafe { lift_result(&ok_area(503, &[("a", "b")], b"x", dirty)) }.unwrap();
        assert_eq!((res.status, res.body), (503, b"x".to_vec()));
        let err = unsafe { lift_result(&err_area(5, "slow", dirty)) }.unwrap_err();
        assert_eq!(err, HttpError { code: ErrorCode::Timeout, message: "slow".into() });
    }

    #[test]
    fn err_lifts_every_code_and_its_message() {
        for (wire, code) in ErrorCode::ALL.iter().enumerate() {
            let err = unsafe { lift_result(&err_area(wire as u8, "origin not granted", 0)) }.unwrap_err();
            assert_eq!(err, HttpError { code: *code, message: "origin not granted".into() });
        }
        let unknown = unsafe { lift_result(&err_area(42, "?", 0)) }.unwrap_err();
        assert_eq!(unknown.code, ErrorCode::ProtocolError);
        let empty = unsafe { lift_result(&err_area(2, "", 0)) }.unwrap_err(); // pointer 1: never freed
        assert_eq!(empty, HttpError { code: ErrorCode::DnsError, message: String::new() });
    }

    #[test]
    fn send_passes_the_request_and_lifts_what_the_host_wrote() {
        let request = Request::post("http://127.0.0.1:8080/echo?x=1")
            .header("x-probe", "rust")
            .header("x-empty", "")
            .body(vec![b'a', 0, b'b']);
        let mut seen = None;
        let res = unsafe {
            send(&request, |args, ret| {
                let text = |(ptr, len): (*const u8, usize)| {
                    String::from_utf8(slice::from_raw_parts(ptr, len).to_vec()).unwrap()
                };
                let wire = slice::from_raw_parts(args.headers.0, args.headers.1);
                let headers: Vec<(String, String)> = wire
                    .iter()
                    .map(|h| {
                        (text((h.name_ptr as *const u8, h.name_len)), text((h.value_ptr as *const u8, h.value_len)))
                    })
                    .collect();
                let body = slice::from_raw_parts(args.body.0, args.body.1).to_vec();
                seen = Some((text(args.method), text(args.url), headers, body));
                assert_eq!(ret as usize % 4, 0, "the result area is 4-aligned");
                *(ret as *mut ResultArea) = ok_area(200, &[("content-length", "2")], b"ok", 0);
            })
        }
        .unwrap();
        let (method, url, headers, body) = seen.unwrap();
        assert_eq!((method.as_str(), url.as_str()), ("POST", "http://127.0.0.1:8080/echo?x=1"));
        assert_eq!(headers, pairs(&[("x-probe", "rust"), ("x-empty", "")]));
        assert_eq!(body, vec![b'a', 0, b'b']);
        assert_eq!(res, Response { status: 200, headers: pairs(&[("content-length", "2")]), body: b"ok".to_vec() });
    }

    #[test]
    fn send_of_an_empty_request_and_an_error() {
        let request = Request::new("", "");
        let err = unsafe {
            send(&request, |args, ret| {
                assert_eq!((args.method.1, args.url.1, args.headers.1, args.body.1), (0, 0, 0, 0));
                *(ret as *mut ResultArea) = err_area(1, "empty method", 0);
            })
        }
        .unwrap_err();
        assert_eq!(err, HttpError { code: ErrorCode::InvalidRequest, message: "empty method".into() });
    }
}
