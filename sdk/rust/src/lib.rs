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
//!
//! Queue and schedule triggers are opt-in the same way ([`export_queue!`],
//! [`export_queue_batch!`], [`export_schedule!`], or [`export!`] for several
//! triggers at once), [`send()`] publishes messages and [`http`] makes
//! outbound HTTP requests.

/// The canonical-ABI glue behind the export macros; public only so the macros
/// can reach it from the user's crate. Not a stable API.
#[doc(hidden)]
pub mod abi;
mod config;
mod host;
pub mod http;
pub mod log;
mod message;
mod publisher;
mod query;
mod request;
mod response;
mod schedule;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use config::config;
pub use message::{Message, MessageResult};
pub use publisher::{send, OutgoingMessage, SendError};
pub use request::Request;
pub use response::Response;
pub use schedule::ScheduleEvent;

/// Exports the handlers of a function with several triggers, each at most once:
///
/// ```no_run
/// # use wasmlet::{Message, MessageResult, Request, Response, ScheduleEvent};
/// # fn handle(_: Request) -> Result<Response, String> { Ok(Response::new(200)) }
/// # fn on_message(_: &str, _: Message) -> MessageResult { MessageResult::Ok }
/// # fn on_tick(_: ScheduleEvent) -> Result<(), String> { Ok(()) }
/// wasmlet::export! {
///     http: handle,          // fn(Request) -> Result<Response, String>
///     queue: on_message,     // or queue_batch: fn(&str, Vec<Message>) -> Result<Vec<MessageResult>, String>
///     schedule: on_tick,     // fn(ScheduleEvent) -> Result<(), String>
/// }
/// ```
///
/// Together with the handlers it exports `cabi_realloc`, which every component
/// needs exactly once: so use one export macro per crate (`export!` for
/// several triggers, or one of `export_http!`, `export_queue!`,
/// `export_queue_batch!`, `export_schedule!`). A second one fails to compile
/// with "symbol `cabi_realloc` is already defined".
///
/// The exports exist only when compiling for wasm32, so `cargo test` can still
/// exercise the handlers natively.
#[macro_export]
macro_rules! export {
    ($($trigger:ident : $handler:expr),+ $(,)?) => {
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

            $($crate::__export_handler!($trigger: $handler);)+
        };
    };
}

/// Exports `handler` (a `fn(Request) -> Result<Response, String>`) as the
/// component's `wasmlet:function/http-handler@0.1.0#handle`, together with the
/// `cabi_realloc` and post-return functions the canonical ABI needs.
///
/// Use it once per crate, and not together with another export macro: for
/// several triggers use [`export!`]. The exports exist only when compiling for
/// wasm32, so `cargo test` can still exercise the handler natively.
#[macro_export]
macro_rules! export_http {
    ($handler:expr) => {
        $crate::export!(http: $handler);
    };
}

/// Exports `handler` as the component's queue handler, called once per message
/// of a batch: a `fn(queue: &str, message: Message) -> MessageResult`.
///
/// ```no_run
/// use wasmlet::{Message, MessageResult};
///
/// fn on_message(_queue: &str, message: Message) -> MessageResult {
///     match std::str::from_utf8(&message.body) {
///         Ok(text) if !text.is_empty() => MessageResult::Ok,
///         Ok(_) => MessageResult::retry(),                   // after the trigger's backoff
///         Err(_) => MessageResult::fail("body is not UTF-8"), // dead-lettered now
///     }
/// }
///
/// wasmlet::export_queue!(on_message);
/// ```
/// For several triggers use [`export!`] with `queue: handler`.
#[macro_export]
macro_rules! export_queue {
    ($handler:expr) => {
        $crate::export!(queue: $handler);
    };
}

/// Exports `handler` as the component's queue handler, called once per batch:
/// a `fn(queue: &str, messages: Vec<Message>) -> Result<Vec<MessageResult>, String>`
/// returning one result per message, in order. `Err(message)` retries the
/// whole batch. For several triggers use [`export!`] with `queue_batch: handler`.
#[macro_export]
macro_rules! export_queue_batch {
    ($handler:expr) => {
        $crate::export!(queue_batch: $handler);
    };
}

/// Exports `handler` (a `fn(ScheduleEvent) -> Result<(), String>`) as the
/// component's schedule handler; `Err(message)` retries the event with the
/// schedule's backoff. For several triggers use [`export!`] with `schedule: handler`.
#[macro_export]
macro_rules! export_schedule {
    ($handler:expr) => {
        $crate::export!(schedule: $handler);
    };
}

/// One trigger's exports, for [`export!`]. Not a stable API.
#[doc(hidden)]
#[macro_export]
macro_rules! __export_handler {
    (http: $handler:expr) => {
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
    (queue: $handler:expr) => {
        $crate::__export_handler!(@queue $crate::abi::queue::each($handler));
    };
    (queue_batch: $handler:expr) => {
        $crate::__export_handler!(@queue $handler);
    };
    (@queue $batch_handler:expr) => {
        #[export_name = "wasmlet:function/queue-handler@0.1.0#handle"]
        unsafe extern "C" fn __wasmlet_queue_handle(
            queue_ptr: *mut u8,
            queue_len: usize,
            messages_ptr: *mut u8,
            messages_len: usize,
        ) -> *mut u8 {
            let (queue, messages) = $crate::abi::queue::lift_batch(queue_ptr, queue_len, messages_ptr, messages_len);
            let count = messages.len();
            let results = ($batch_handler)(&queue, messages);
            $crate::abi::queue::lower_results(results, count)
        }

        #[export_name = "cabi_post_wasmlet:function/queue-handler@0.1.0#handle"]
        unsafe extern "C" fn __wasmlet_post_queue_handle(_ret: *mut u8) {
            $crate::abi::queue::post_handle()
        }
    };
    (schedule: $handler:expr) => {
        #[export_name = "wasmlet:function/schedule-handler@0.1.0#handle"]
        unsafe extern "C" fn __wasmlet_schedule_handle(
            name_ptr: *mut u8,
            name_len: usize,
            scheduled_at: u64,
        ) -> *mut u8 {
            let event = $crate::abi::schedule::lift_event(name_ptr, name_len, scheduled_at);
            $crate::abi::schedule::lower_result(($handler)(event))
        }

        #[export_name = "cabi_post_wasmlet:function/schedule-handler@0.1.0#handle"]
        unsafe extern "C" fn __wasmlet_post_schedule_handle(_ret: *mut u8) {
            $crate::abi::schedule::post_handle()
        }
    };
}
