//! Canonical-ABI glue for `wasmlet:function/http-handler@0.1.0`, by hand
//! (rustc 1.63 is too old for wit-bindgen), and what every export shares:
//! `cabi_realloc` and taking ownership of the host's buffers. The queue and
//! schedule exports, and the outbound-http import, are in `abi/`. The layout is in sdk/wit/README.md.
//! Pointers and lengths are 32-bit: this only means something on wasm32.

// Used natively only by its tests: the import exists on wasm32 alone.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod outbound;
pub mod queue;
pub mod schedule;

use crate::{Request, Response};
use std::alloc::{self, Layout};
use std::ptr;

/// `cabi_realloc`: the host allocates argument buffers and `get-config`
/// results in our memory with it, and the WASI adapter its own state.
///
/// # Safety
/// `old`/`old_size`/`align` must describe a block this function returned.
pub unsafe fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        if old_size != 0 {
            alloc::dealloc(old, Layout::from_size_align_unchecked(old_size, align));
        }
        // The canonical ABI accepts any aligned pointer for an empty buffer.
        return align as *mut u8;
    }
    let layout = Layout::from_size_align_unchecked(new_size, align);
    let block = if old_size == 0 {
        alloc::alloc(layout)
    } else {
        alloc::realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size)
    };
    if block.is_null() {
        // Aborts, i.e. traps: the host answers 502 for this invocation only.
        alloc::handle_alloc_error(layout);
    }
    block
}

/// Takes ownership of a host-written `list<u8>`. The host allocated exactly
/// `len` bytes at align 1, so capacity == len frees it with the same layout.
///
/// # Safety
/// `ptr` must come from `cabi_realloc(0, 0, 1, len)` and not be used again.
pub unsafe fn take_bytes(ptr: *mut u8, len: usize) -> Vec<u8> {
    if len == 0 {
        // Empty buffers may point anywhere (even at 0): never free them.
        Vec::new()
    } else {
        Vec::from_raw_parts(ptr, len, len)
    }
}

/// The canonical ABI promises UTF-8; a lossy fallback costs nothing and means
/// a misbehaving host cannot make a guest hold an invalid `String`.
pub fn bytes_to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

pub(crate) unsafe fn take_string(ptr: *mut u8, len: usize) -> String {
    bytes_to_string(take_bytes(ptr, len))
}

/// One element of `list<tuple<string, string>>`: 16 bytes, align 4 on wasm32.
#[repr(C)]
pub(crate) struct WireHeader {
    pub(crate) name_ptr: *mut u8,
    pub(crate) name_len: usize,
    pub(crate) value_ptr: *mut u8,
    pub(crate) value_len: usize,
}

#[cfg(target_arch = "wasm32")]
const _: () = assert!(std::mem::size_of::<WireHeader>() == 16 && std::mem::align_of::<WireHeader>() == 4);

/// Takes ownership of a host-written `list<tuple<string, string>>` (headers,
/// attributes): the array and every string in it.
///
/// # Safety
/// `ptr`/`len` must be such a list, allocated with `cabi_realloc(0, 0, 4, 16 × len)`.
pub(crate) unsafe fn take_pairs(ptr: *mut u8, len: usize) -> Vec<(String, String)> {
    if len == 0 {
        return Vec::new();
    }
    // Allocated as (16 × len, align 4): the layout of Vec<WireHeader> with capacity len.
    let wire = Vec::from_raw_parts(ptr as *mut WireHeader, len, len);
    wire.into_iter()
        .map(|h| (take_string(h.name_ptr, h.name_len), take_string(h.value_ptr, h.value_len)))
        .collect()
}

/// `pairs` as the wire list the host reads; it borrows their strings, so keep
/// `pairs` alive (and unmoved in memory) while the host may read it.
pub(crate) fn wire_pairs(pairs: &[(String, String)]) -> Vec<WireHeader> {
    pairs
        .iter()
        .map(|(name, value)| WireHeader {
            name_ptr: name.as_ptr() as *mut u8,
            name_len: name.len(),
            value_ptr: value.as_ptr() as *mut u8,
            value_len: value.len(),
        })
        .collect()
}

/// Builds the `Request` from `handle`'s ten flattened parameters, taking
/// ownership of every buffer (the callee owns its arguments): each string
/// becomes a `String` without a copy and the header array is freed.
///
/// # Safety
/// The arguments must be exactly what the host passed to `handle`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn lift_request(
    method_ptr: *mut u8,
    method_len: usize,
    path_ptr: *mut u8,
    path_len: usize,
    query_ptr: *mut u8,
    query_len: usize,
    headers_ptr: *mut u8,
    headers_len: usize,
    body_ptr: *mut u8,
    body_len: usize,
) -> Request {
    let headers = take_pairs(headers_ptr, headers_len);
    Request {
        method: take_string(method_ptr, method_len),
        path: take_string(path_ptr, path_len),
        query: take_string(query_ptr, query_len),
        headers,
        body: take_bytes(body_ptr, body_len),
    }
}

/// What the result area points into; kept alive until the host has copied it
/// out and called post-return, then dropped in one go.
enum Pending {
    Ok {
        // Owns the strings that `wire_headers` points at.
        _headers: Vec<(String, String)>,
        _wire_headers: Vec<WireHeader>,
        _body: Vec<u8>,
    },
    Err(String),
}

/// `result<http-response, string>`, 24 bytes, align 4: tag at 0; ok: status at
/// 4, headers ptr/len at 8/12, body ptr/len at 16/20; err: message ptr/len at 4/8.
/// Written as little-endian u32 words, so a tag or status fills the low bytes.
#[repr(C, align(4))]
struct ResultArea([u32; 6]);

// A wasm32 guest is single-threaded and the host calls post-return before the
// next `handle`, so one result area and one pending slot are enough.
static mut RESULT_AREA: ResultArea = ResultArea([0; 6]);
static mut PENDING: Option<Pending> = None;

pub(crate) fn address<T>(ptr: *const T) -> u32 {
    ptr as usize as u32
}

/// Writes the handler's outcome into the result area and returns its address.
///
/// # Safety
/// Call only from the exported `handle`; the area is valid until `post_handle`.
pub unsafe fn lower_result(result: Result<Response, String>) -> *mut u8 {
    let area = &mut *ptr::addr_of_mut!(RESULT_AREA);
    let pending = match result {
        Ok(response) => {
            let wire_headers = wire_pairs(&response.headers);
            area.0 = [
                0,
                u32::from(response.status),
                address(wire_headers.as_ptr()),
                wire_headers.len() as u32,
                address(response.body.as_ptr()),
                response.body.len() as u32,
            ];
            Pending::Ok { _headers: response.headers, _wire_headers: wire_headers, _body: response.body }
        }
        Err(message) => {
            area.0 = [1, address(message.as_ptr()), message.len() as u32, 0, 0, 0];
            Pending::Err(message)
        }
    };
    // Moving the Vecs and Strings does not move their heap buffers.
    *ptr::addr_of_mut!(PENDING) = Some(pending);
    area as *mut ResultArea as *mut u8
}

/// Post-return: the host has copied the result out, so free it.
///
/// # Safety
/// Call only from the exported post-return function.
pub unsafe fn post_handle() {
    *ptr::addr_of_mut!(PENDING) = None;
}
