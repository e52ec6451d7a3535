//! What a queue handler receives and returns: `message` and `message-result` from the contract.

use std::borrow::Cow;

/// A queue message, delivered at least once: deduplicate with `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// Unique within its queue; the same on every redelivery.
    pub id: String,
    pub body: Vec<u8>,
    /// 1 on the first delivery, 2 on the first redelivery, ...
    pub attempt: u32,
    /// When the message was first sent, in milliseconds since the Unix epoch.
    pub enqueued_at: u64,
    /// Routing metadata set by the sender, e.g. `("content-type", "application/json")`.
    pub attributes: Vec<(String, String)>,
}

impl Message {
    /// The first value of attribute `name`, matched exactly (attributes are
    /// not HTTP headers: `"From"` and `"from"` are different names).
    ///
    /// ```
    /// let msg = wasmlet::Message { attributes: vec![("from".into(), "http".into())], ..Default::default() };
    /// assert_eq!(msg.attribute("from"), Some("http"));
    /// assert_eq!(msg.attribute("From"), None);
    /// ```
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The body as text; invalid UTF-8 becomes U+FFFD, so it never fails.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageResult {
    /// Done: the message is deleted.
    Ok,
    /// Deliver it again after this many milliseconds, or after the trigger's
    /// backoff when `None`. After `max_attempts` deliveries it is dead-lettered.
    Retry(Option<u32>),
    /// Permanent failure: the message is dead-lettered now, with this reason.
    Fail(String),
}

impl MessageResult {
    /// Retry after the trigger's backoff.
    pub fn retry() -> Self {
        MessageResult::Retry(None)
    }

    /// Retry after `delay_ms` milliseconds (0: as soon as possible).
    pub fn retry_after(delay_ms: u32) -> Self {
        MessageResult::Retry(Some(delay_ms))
    }

    /// Dead-letter the message now.
    pub fn fail(reason: impl Into<String>) -> Self {
        MessageResult::Fail(reason.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_returns_the_first_exact_match() {
        let msg = Message {
            attributes: vec![("k".into(), "one".into()), ("k".into(), "two".into()), ("empty".into(), "".into())],
            ..Default::default()
        };
        assert_eq!(msg.attribute("k"), Some("one"));
        assert_eq!(msg.attribute("empty"), Some(""));
        assert_eq!(msg.attribute("K"), None);
        assert_eq!(Message::default().attribute("k"), None);
    }

    #[test]
    fn body_text_replaces_invalid_utf8() {
        let msg = Message { body: vec![b'o', b'k', 0xff], ..Default::default() };
        assert_eq!(msg.body_text(), "ok\u{fffd}");
    }

    #[test]
    fn constructors() {
        assert_eq!(MessageResult::retry(), MessageResult::Retry(None));
        assert_eq!(MessageResult::retry_after(0), MessageResult::Retry(Some(0)));
        assert_eq!(MessageResult::fail("bad"), MessageResult::Fail("bad".to_string()));
    }
}
