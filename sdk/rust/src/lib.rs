//! Write a wasmlet function in plain Rust; this crate speaks the guest contract
//! (`sdk/wit/function.wit`) by hand, so there is no wit-bindgen and no dependency.
//!
//! ```no_run
//! use wasmlet::{Request, Response};
//!
//! fn handle(req: Request) -> Result<Response, String> {
//!     let name = req.query_param("name").unwrap_or_else(|| "world".into());
//!     wasmlet::log::info(&format!("greeting {}", name));
//!     Ok(Response::text(200, format!("Hello, {}!\n", name)))
//! }
//!
//! wasmlet::export_http!(handle);
//! ```
//!
//! Returning `Err(message)` is a guest error: the host answers 500 and logs the
//! message. A panic aborts the instance (a trap): the host answers 502.

/// The canonical-ABI glue behind `export_http!`; public only so the macro can
/// reach it from the user's crate. Not a stable API.
#[doc(hidden)]
pub mod abi;
mod config;
mod host;
pub mod log;
mod query;
mod request;
mod response;

pub use config::config;
pub use request::Request;
pub use response::Response;

/// Exports `handler` (a `fn(Request) -> Result<Response, String>`) as the
/// component's `wasmlet:function/http-handler@0.1.0#handle`, together with the
/// `cabi_realloc` and post-return functions the canonical ABI needs.
///
/// Use it once per crate. The exports exist only when compiling for wasm32, so
/// `cargo test` can still exercise the handler natively.
#[macro_export]
macro_rules! export_http {
    ($handler:expr) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[export_name = "cabi_realloc"]
            unsafe extern "C" fn __wasmlet_cabi_realloc(
                old: *mut u8,
                old_size: usize,
                align: usize,
                new_size: usize,
            ) -> *mut u8 {
                $crate::abi::cabi_realloc(old, old_size, align, new_size)
            }

            #[export_name = "wasmlet:function/http-handler@0.1.0#handle"]
            unsafe extern "C" fn __wasmlet_handle(
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
            ) -> *mut u8 {
                let request = $crate::abi::lift_request(
                    method_ptr,
                    method_len,
                    path_ptr,
                    path_len,
                    query_ptr,
                    query_len,
                    headers_ptr,
                    headers_len,
                    body_ptr,
                    body_len,
                );
                $crate::abi::lower_result(($handler)(request))
            }

            #[export_name = "cabi_post_wasmlet:function/http-handler@0.1.0#handle"]
            unsafe extern "C" fn __wasmlet_post_handle(_ret: *mut u8) {
                $crate::abi::post_handle()
            }
        };
    };
}
