//! The raw `wasmlet:function/host@0.1.0`, `publisher@0.1.0` and
//! `outbound-http@0.1.0` imports, with native stand-ins so that `cargo test`
//! links on the build machine (no host exists there).

use crate::http;
use crate::OutgoingMessage;

/// `option<string>` or `result<string, string>` returned through memory: tag
/// u8 at 0, ptr at 4, len at 8.
#[cfg(target_arch = "wasm32")]
#[repr(C, align(4))]
struct OptionStringArea([u32; 3]);

#[cfg(target_arch = "wasm32")]
mod raw {
    // rustc mangles the symbols of imports that carry a wasm_import_module, so
    // `log` here cannot be confused with libm's `log(double)` from wasi-libc.
    #[link(wasm_import_module = "wasmlet:function/host@0.1.0")]
    extern "C" {
        #[link_name = "log"]
        pub fn log(level: i32, message_ptr: *const u8, message_len: usize);
        #[link_name = "get-config"]
        pub fn get_config(key_ptr: *const u8, key_len: usize, ret: *mut u8);
    }

    #[link(wasm_import_module = "wasmlet:function/publisher@0.1.0")]
    extern "C" {
        #[link_name = "send"]
        #[allow(clippy::too_many_arguments)]
        pub fn send(
            queue_ptr: *const u8,
            queue_len: usize,
            body_ptr: *const u8,
            body_len: usize,
            attributes_ptr: *const u8,
            attributes_len: usize,
            delay_ms: u32,
            ret: *mut u8,
        );
    }

    #[link(wasm_import_module = "wasmlet:function/outbound-http@0.1.0")]
    extern "C" {
        #[link_name = "send"]
        #[allow(clippy::too_many_arguments)]
        pub fn http_send(
            method_ptr: *const u8,
            method_len: usize,
            url_ptr: *const u8,
            url_len: usize,
            headers_ptr: *const u8,
            headers_len: usize,
            body_ptr: *const u8,
            body_len: usize,
            ret: *mut u8,
        );
    }
}

/// `level`: 0 debug, 1 info, 2 warn, 3 error (the order of the WIT enum).
#[cfg(target_arch = "wasm32")]
pub fn log(level: i32, message: &str) {
    unsafe { raw::log(level, message.as_ptr(), message.len()) }
}

#[cfg(target_arch = "wasm32")]
pub fn get_config(key: &str) -> Option<String> {
    let mut area = OptionStringArea([0; 3]);
    unsafe {
        raw::get_config(key.as_ptr(), key.len(), area.0.as_mut_ptr() as *mut u8);
        if area.0[0] & 0xff == 0 {
            return None;
        }
        // The host allocated the string with our cabi_realloc(…, align 1, len):
        // taking it as a Vec with capacity == len frees it with that same layout.
        let bytes = crate::abi::take_bytes(area.0[1] as usize as *mut u8, area.0[2] as usize);
        Some(crate::abi::bytes_to_string(bytes))
    }
}

/// `Ok(id)` or `Err(reason)`. The host copies the arguments during the call.
#[cfg(target_arch = "wasm32")]
pub fn send(queue: &str, message: &OutgoingMessage) -> Result<String, String> {
    let attributes = crate::abi::wire_pairs(&message.attributes);
    let mut area = OptionStringArea([0; 3]);
    unsafe {
        raw::send(
            queue.as_ptr(),
            queue.len(),
            message.body.as_ptr(),
            message.body.len(),
            attributes.as_ptr() as *const u8,
            attributes.len(),
            message.delay_ms,
            area.0.as_mut_ptr() as *mut u8,
        );
        // Either string was allocated with our cabi_realloc(…, align 1, len).
        let bytes = crate::abi::take_bytes(area.0[1] as usize as *mut u8, area.0[2] as usize);
        let text = crate::abi::bytes_to_string(bytes);
        if area.0[0] & 0xff == 0 {
            Ok(text)
        } else {
            Err(text)
        }
    }
}

/// The whole response or why there is none. The host copies the request.
#[cfg(target_arch = "wasm32")]
pub fn http_send(request: &http::Request) -> Result<http::Response, http::HttpError> {
    unsafe {
        crate::abi::outbound::send(request, |args, ret| {
            raw::http_send(
                args.method.0,
                args.method.1,
                args.url.0,
                args.url.1,
                args.headers.0 as *const u8,
                args.headers.1,
                args.body.0,
                args.body.1,
                ret,
            )
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn log(level: i32, message: &str) {
    const LEVELS: [&str; 4] = ["debug", "info", "warn", "error"];
    eprintln!("[{}] {}", LEVELS.get(level as usize).unwrap_or(&"?"), message);
}

/// Natively there is no manifest, so every key is absent.
#[cfg(not(target_arch = "wasm32"))]
pub fn get_config(_key: &str) -> Option<String> {
    None
}

/// Natively nothing is published: `wasmlet::testing` records the message.
#[cfg(not(target_arch = "wasm32"))]
pub fn send(queue: &str, message: &OutgoingMessage) -> Result<String, String> {
    crate::testing::record(queue, message)
}

/// Natively nothing is sent: `wasmlet::testing::mock_http` answers.
#[cfg(not(target_arch = "wasm32"))]
pub fn http_send(request: &http::Request) -> Result<http::Response, http::HttpError> {
    crate::testing::http_send(request)
}
