//! Sending messages to durable queues: the `publisher` interface of the contract.

use crate::host;
use std::fmt;

/// A message to send, built like a [`Response`](crate::Response):
///
/// ```
/// use wasmlet::OutgoingMessage;
/// let msg = OutgoingMessage::new(r#"{"id":7}"#).attribute("content-type", "application/json").delay_ms(500);
/// assert_eq!(msg.attributes.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub body: Vec<u8>,
    /// Routing metadata; at most 32 pairs.
    pub attributes: Vec<(String, String)>,
    /// Hidden from consumers for this many milliseconds after publishing; 0 for none.
    pub delay_ms: u32,
}

impl OutgoingMessage {
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        OutgoingMessage { body: body.into(), attributes: Vec::new(), delay_ms: 0 }
    }

    /// Appends an attribute.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push((name.into(), value.into()));
        self
    }

    pub fn delay_ms(mut self, delay_ms: u32) -> Self {
        self.delay_ms = delay_ms;
        self
    }
}

impl From<&str> for OutgoingMessage {
    fn from(body: &str) -> Self {
        OutgoingMessage::new(body)
    }
}

impl From<String> for OutgoingMessage {
    fn from(body: String) -> Self {
        OutgoingMessage::new(body)
    }
}

impl From<&[u8]> for OutgoingMessage {
    fn from(body: &[u8]) -> Self {
        OutgoingMessage::new(body)
    }
}

impl From<Vec<u8>> for OutgoingMessage {
    fn from(body: Vec<u8>) -> Self {
        OutgoingMessage::new(body)
    }
}

/// Why the host refused a message: the queue is not in the manifest's
/// `publish`, or the message is too large or malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub reason: String,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "send refused: {}", self.reason)
    }
}

impl std::error::Error for SendError {}

/// So `?` works in a handler that returns `Result<_, String>`.
impl From<SendError> for String {
    fn from(err: SendError) -> String {
        err.to_string()
    }
}

/// Buffers `message` for `queue` and returns the new message's id. Nothing is
/// sent until the invocation returns: then every buffered message is published
/// at once (for a queue batch, together with the batch's results); an
/// invocation that traps or times out publishes nothing.
///
/// ```no_run
/// # fn handler() -> Result<(), String> {
/// let id = wasmlet::send("signups", "ada@example.com")?;
/// wasmlet::send("audit", wasmlet::OutgoingMessage::new(id).attribute("kind", "signup"))?;
/// # Ok(())
/// # }
/// ```
/// Outside wasm (in `cargo test`) messages are recorded instead: see [`testing`](crate::testing).
pub fn send(queue: &str, message: impl Into<OutgoingMessage>) -> Result<String, SendError> {
    host::send(queue, &message.into()).map_err(|reason| SendError { reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_conversions() {
        let msg = OutgoingMessage::new(vec![1u8, 2]).attribute("a", "1").attribute("a", "2").delay_ms(9);
        assert_eq!(msg.body, vec![1, 2]);
        assert_eq!(msg.attributes, vec![("a".into(), "1".into()), ("a".into(), "2".into())]);
        assert_eq!(msg.delay_ms, 9);
        assert_eq!(OutgoingMessage::from("hi").body, b"hi");
        assert_eq!(OutgoingMessage::from(&b"\x00"[..]).body, vec![0]);
    }

    #[test]
    fn send_error_converts_to_a_string_for_question_mark() {
        fn handler() -> Result<(), String> {
            Err(SendError { reason: "queue \"x\" is not in publish".into() })?;
            Ok(())
        }
        assert_eq!(handler(), Err("send refused: queue \"x\" is not in publish".to_string()));
    }
}
