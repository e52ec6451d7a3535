//! Log lines the host captures per invocation, with its request id (`wasmlet logs NAME`).
//!
//! ```
//! wasmlet::log::info("cache miss");
//! wasmlet::log::warn(&format!("slow upstream: {} ms", 812));
//! ```
//! Outside wasm (e.g. in `cargo test`) the lines go to stderr.

use crate::host;

pub fn debug(message: &str) {
    host::log(0, message);
}

pub fn info(message: &str) {
    host::log(1, message);
}

pub fn warn(message: &str) {
    host::log(2, message);
}

pub fn error(message: &str) {
    host::log(3, message);
}
