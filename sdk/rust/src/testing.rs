//! Native stand-ins for unit tests (`cargo test`; this module does not exist on wasm32):
//! [`send`](crate::send) records messages here instead of publishing them.
//!
//! ```
//! wasmlet::send("orders", "one").unwrap();
//! let sent = wasmlet::testing::take_sent();
//! assert_eq!(sent[0].0, "orders");
//! assert_eq!(sent[0].1.body, b"one");
//! ```

use crate::OutgoingMessage;
use std::cell::{Cell, RefCell};

thread_local! {
    // Per thread, so parallel tests do not see each other's messages.
    static SENT: RefCell<Vec<(String, OutgoingMessage)>> = RefCell::new(Vec::new());
    static REFUSED: RefCell<Option<String>> = RefCell::new(None);
    static LAST_ID: Cell<u64> = Cell::new(0);
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
