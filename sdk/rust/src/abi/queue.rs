//! Canonical-ABI glue for `wasmlet:function/queue-handler@0.1.0` (layout in
//! sdk/wit/README.md); the export itself is written by `export_queue!`.

use super::{address, take_bytes, take_pairs, take_string};
use crate::{Message, MessageResult};
use std::ptr;

/// One element of `list<message>`: 40 bytes, align 8 on wasm32 (`repr(C)`
/// puts `enqueued_at` at 24 after 4 bytes of padding, as the canonical ABI does).
#[repr(C)]
pub(crate) struct WireMessage {
    pub(crate) id_ptr: *mut u8,
    pub(crate) id_len: usize,
    pub(crate) body_ptr: *mut u8,
    pub(crate) body_len: usize,
    pub(crate) attempt: u32,
    pub(crate) enqueued_at: u64,
    pub(crate) attributes_ptr: *mut u8,
    pub(crate) attributes_len: usize,
}

#[cfg(target_arch = "wasm32")]
const _: () = assert!(std::mem::size_of::<WireMessage>() == 40 && std::mem::align_of::<WireMessage>() == 8);

/// Builds the queue name and the messages from `handle`'s four parameters,
/// taking ownership of every buffer (the callee owns its arguments).
///
/// # Safety
/// The arguments must be exactly what the host passed to `handle`.
pub unsafe fn lift_batch(
    queue_ptr: *mut u8,
    queue_len: usize,
    messages_ptr: *mut u8,
    messages_len: usize,
) -> (String, Vec<Message>) {
    let messages = if messages_len == 0 {
        Vec::new()
    } else {
        // Allocated as (40 × len, align 8): the layout of Vec<WireMessage> with capacity len.
        let wire = Vec::from_raw_parts(messages_ptr as *mut WireMessage, messages_len, messages_len);
        wire.into_iter()
            .map(|m| Message {
                id: take_string(m.id_ptr, m.id_len),
                body: take_bytes(m.body_ptr, m.body_len),
                attempt: m.attempt,
                enqueued_at: m.enqueued_at,
                attributes: take_pairs(m.attributes_ptr, m.attributes_len),
            })
            .collect()
    };
    (take_string(queue_ptr, queue_len), messages)
}

/// Turns a per-message handler into a batch handler: one call per message, in order.
pub fn each<F>(handler: F) -> impl Fn(&str, Vec<Message>) -> Result<Vec<MessageResult>, String>
where
    F: Fn(&str, Message) -> MessageResult,
{
    move |queue: &str, messages: Vec<Message>| Ok(messages.into_iter().map(|message| handler(queue, message)).collect())
}

/// One `message-result` as the host reads it: 12 bytes, align 4, written as
/// little-endian u32 words. ok: tag 0; retry: tag 1, option tag at 4, delay at
/// 8; fail: tag 2, reason ptr/len at 4/8.
pub(crate) fn wire_result(result: &MessageResult) -> [u32; 3] {
    match result {
        MessageResult::Ok => [0, 0, 0],
        MessageResult::Retry(None) => [1, 0, 0],
        MessageResult::Retry(Some(delay_ms)) => [1, 1, *delay_ms],
        MessageResult::Fail(reason) => [2, address(reason.as_ptr()), reason.len() as u32],
    }
}

/// What the result area points into; kept alive until post-return.
pub(crate) enum Pending {
    Ok {
        // Owns the reasons that `wire` points at.
        _results: Vec<MessageResult>,
        _wire: Vec<[u32; 3]>,
    },
    Err(String),
}

/// `result<list<message-result>, string>`: 12 bytes, align 4; tag at 0, then
/// the list's or the message's ptr/len at 4/8.
#[repr(C, align(4))]
pub(crate) struct ResultArea(pub(crate) [u32; 3]);

// Single-threaded, and post-return comes before the next call: one of each is enough.
static mut RESULT_AREA: ResultArea = ResultArea([0; 3]);
static mut PENDING: Option<Pending> = None;

/// The result area's words and what they point into. A result list of the
/// wrong length becomes an error here, with a message saying so, rather than
/// a list the host would refuse.
pub(crate) fn lower(results: Result<Vec<MessageResult>, String>, count: usize) -> ([u32; 3], Pending) {
    match results {
        Ok(results) if results.len() == count => {
            let wire: Vec<[u32; 3]> = results.iter().map(wire_result).collect();
            ([0, address(wire.as_ptr()), wire.len() as u32], Pending::Ok { _results: results, _wire: wire })
        }
        Ok(results) => lower(
            Err(format!("the queue handler returned {} results for {} messages", results.len(), count)),
            count,
        ),
        Err(message) => ([1, address(message.as_ptr()), message.len() as u32], Pending::Err(message)),
    }
}

/// Writes the handler's outcome into the result area and returns its address.
///
/// # Safety
/// Call only from the exported `handle`; the area is valid until `post_handle`.
pub unsafe fn lower_results(results: Result<Vec<MessageResult>, String>, count: usize) -> *mut u8 {
    let (words, pending) = lower(results, count);
    let area = &mut *ptr::addr_of_mut!(RESULT_AREA);
    area.0 = words;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::WireHeader;

    /// A buffer as the host allocates it: exactly `len` bytes, which the callee frees.
    fn host_bytes(bytes: &[u8]) -> (*mut u8, usize) {
        if bytes.is_empty() {
            return (1 as *mut u8, 0); // never allocated: freeing it would crash
        }
        let boxed: Box<[u8]> = bytes.into();
        (Box::into_raw(boxed) as *mut u8, bytes.len())
    }

    fn host_list<T>(items: Vec<T>) -> (*mut u8, usize) {
        let len = items.len();
        if len == 0 {
            return (std::mem::align_of::<T>() as *mut u8, 0);
        }
        (Box::into_raw(items.into_boxed_slice()) as *mut u8, len)
    }

    fn host_message(id: &str, body: &[u8], attempt: u32, enqueued_at: u64, attributes: &[(&str, &str)]) -> WireMessage {
        let (id_ptr, id_len) = host_bytes(id.as_bytes());
        let (body_ptr, body_len) = host_bytes(body);
        let pairs = attributes
            .iter()
            .map(|(name, value)| {
                let (name_ptr, name_len) = host_bytes(name.as_bytes());
                let (value_ptr, value_len) = host_bytes(value.as_bytes());
                WireHeader { name_ptr, name_len, value_ptr, value_len }
            })
            .collect();
        let (attributes_ptr, attributes_len) = host_list(pairs);
        WireMessage { id_ptr, id_len, body_ptr, body_len, attempt, enqueued_at, attributes_ptr, attributes_len }
    }

    #[test]
    fn lift_batch_takes_every_field() {
        let (queue_ptr, queue_len) = host_bytes(b"orders");
        let (messages_ptr, messages_len) = host_list(vec![
            host_message("m-1", b"hello", 3, u64::MAX - 1, &[("from", "http"), ("empty", "")]),
            host_message("", b"", 1, 0, &[]),
        ]);
        let (queue, messages) = unsafe { lift_batch(queue_ptr, queue_len, messages_ptr, messages_len) };
        assert_eq!(queue, "orders");
        assert_eq!(
            messages,
            vec![
                Message {
                    id: "m-1".into(),
                    body: b"hello".to_vec(),
                    attempt: 3,
                    enqueued_at: u64::MAX - 1,
                    attributes: vec![("from".into(), "http".into()), ("empty".into(), "".into())],
                },
                Message { id: "".into(), body: vec![], attempt: 1, enqueued_at: 0, attributes: vec![] },
            ]
        );
    }

    #[test]
    fn lift_batch_of_nothing() {
        let (queue, messages) = unsafe { lift_batch(1 as *mut u8, 0, 8 as *mut u8, 0) };
        assert_eq!((queue.as_str(), messages.len()), ("", 0));
    }

    #[test]
    fn wire_results_follow_the_canonical_layout() {
        assert_eq!(wire_result(&MessageResult::Ok), [0, 0, 0]);
        assert_eq!(wire_result(&MessageResult::Retry(None)), [1, 0, 0]);
        assert_eq!(wire_result(&MessageResult::Retry(Some(0))), [1, 1, 0]);
        assert_eq!(wire_result(&MessageResult::Retry(Some(u32::MAX))), [1, 1, u32::MAX]);
        let [tag, _ptr, len] = wire_result(&MessageResult::fail("bad input"));
        assert_eq!((tag, len), (2, 9));
    }

    #[test]
    fn lower_ok_lists_one_result_per_message() {
        let (words, pending) = lower(Ok(vec![MessageResult::Ok, MessageResult::fail("x")]), 2);
        assert_eq!((words[0], words[2]), (0, 2));
        match pending {
            Pending::Ok { _wire: wire, .. } => assert_eq!(wire[0], [0, 0, 0]),
            Pending::Err(_) => panic!("expected ok"),
        }
    }

    #[test]
    fn lower_err_returns_the_message() {
        let (words, pending) = lower(Err("database down".into()), 3);
        assert_eq!((words[0], words[2]), (1, 13));
        assert!(matches!(pending, Pending::Err(message) if message == "database down"));
    }

    #[test]
    fn lower_a_wrong_number_of_results_is_an_error() {
        let (words, pending) = lower(Ok(vec![MessageResult::Ok]), 2);
        assert_eq!(words[0], 1);
        let expected = "the queue handler returned 1 results for 2 messages";
        assert!(matches!(pending, Pending::Err(message) if message == expected));
    }

    #[test]
    fn each_calls_the_handler_per_message_in_order() {
        fn by_attempt(queue: &str, message: Message) -> MessageResult {
            assert_eq!(queue, "q");
            if message.attempt > 1 {
                MessageResult::fail(message.id)
            } else {
                MessageResult::Ok
            }
        }
        let batch = each(by_attempt);
        let messages = vec![
            Message { id: "a".into(), attempt: 1, ..Default::default() },
            Message { id: "b".into(), attempt: 2, ..Default::default() },
        ];
        assert_eq!(batch("q", messages), Ok(vec![MessageResult::Ok, MessageResult::fail("b")]));
    }
}
