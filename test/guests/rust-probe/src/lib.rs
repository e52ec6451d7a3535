//! The Rust probe: every trigger, behaving exactly like the other languages'
//! probes, so one end-to-end script checks them all (the rules are below).

use wasmlet::{Message, MessageResult, OutgoingMessage, Request, Response, ScheduleEvent};

/// Where the queue and schedule handlers report what they saw; the manifest's `publish`.
const REPORT_QUEUE: &str = "probe-out";

/// `?send=<queue>` sends the body there with ("from", "http") and answers 202
/// with the new id (400 with the reason when the host refuses); anything else
/// answers 200 "probe rust".
fn handle(req: Request) -> Result<Response, String> {
    let queue = match req.query_param("send") {
        Some(queue) => queue,
        None => return Ok(Response::new(200).body("probe rust")),
    };
    Ok(match wasmlet::send(&queue, OutgoingMessage::new(req.body).attribute("from", "http")) {
        Ok(id) => Response::new(202).body(id),
        Err(err) => Response::new(400).body(err.reason),
    })
}

/// `batch-error` anywhere fails the whole batch (err) and `trap` crashes the
/// instance, before any message is handled, so nothing is reported; otherwise
/// one result per message.
fn on_batch(queue: &str, messages: Vec<Message>) -> Result<Vec<MessageResult>, String> {
    for message in &messages {
        match &message.body[..] {
            b"batch-error" => return Err("batch-error requested".into()),
            b"trap" => panic!("trap requested"), // panic = "abort": the instance traps
            _ => {}
        }
    }
    Ok(messages.into_iter().map(|message| on_message(queue, message)).collect())
}

/// One message's result by its body; the first matching rule wins.
fn on_message(queue: &str, message: Message) -> MessageResult {
    let body = message.body_text();
    if let Some(reason) = body.strip_prefix("fail:") {
        return MessageResult::fail(reason);
    }
    if body == "retry" {
        return MessageResult::retry();
    }
    if let Some(delay_ms) = body.strip_prefix("retry:") {
        return MessageResult::retry_after(delay_ms.parse().unwrap_or(0));
    }
    if let Some(until) = body.strip_prefix("retry-until:") {
        if message.attempt < until.parse().unwrap_or(0) {
            return MessageResult::retry_after(0);
        }
    }
    report_message(queue, &message)
}

/// The ok rule: reports "<queue> <id> <attempt> <body>" with ("enqueued-at", <ms>), then ok.
fn report_message(queue: &str, message: &Message) -> MessageResult {
    let mut text = format!("{} {} {} ", queue, message.id, message.attempt).into_bytes();
    text.extend_from_slice(&message.body);
    let report = OutgoingMessage::new(text).attribute("enqueued-at", message.enqueued_at.to_string());
    match wasmlet::send(REPORT_QUEUE, report) {
        Ok(_) => MessageResult::Ok,
        Err(err) => MessageResult::fail(err.reason),
    }
}

/// "failing" is an error; any other schedule reports "schedule <name> <scheduledAt>".
fn on_schedule(event: ScheduleEvent) -> Result<(), String> {
    if event.name == "failing" {
        return Err("failing schedule".into());
    }
    let text = format!("schedule {} {}", event.name, event.scheduled_at);
    wasmlet::send(REPORT_QUEUE, text).map(|_| ()).map_err(|err| err.reason)
}

wasmlet::export! {
    http: handle,
    queue_batch: on_batch,
    schedule: on_schedule,
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmlet::testing::{refuse_sends, take_sent};

    fn message(id: &str, body: &str, attempt: u32) -> Message {
        Message { id: id.into(), body: body.into(), attempt, enqueued_at: 1_700_000_000_123, attributes: vec![] }
    }

    fn sent_texts() -> Vec<(String, String, Vec<(String, String)>)> {
        take_sent()
            .into_iter()
            .map(|(queue, msg)| (queue, String::from_utf8(msg.body).unwrap(), msg.attributes))
            .collect()
    }

    #[test]
    fn http_answers_or_sends() {
        let plain = handle(Request::default()).unwrap();
        assert_eq!((plain.status, plain.body), (200, b"probe rust".to_vec()));
        let req = Request { query: "send=jobs".into(), body: b"payload".to_vec(), ..Default::default() };
        let sent = handle(req).unwrap();
        assert_eq!(sent.status, 202);
        let texts = sent_texts();
        assert_eq!(texts, vec![("jobs".into(), "payload".into(), vec![("from".into(), "http".into())])]);
        refuse_sends(Some("queue jobs is not in publish"));
        let refused = handle(Request { query: "send=jobs".into(), ..Default::default() }).unwrap();
        refuse_sends(None);
        assert_eq!((refused.status, refused.body), (400, b"queue jobs is not in publish".to_vec()));
    }

    #[test]
    fn queue_rules() {
        let results = on_batch(
            "orders",
            vec![
                message("m1", "hello", 3),
                message("m2", "fail:bad input", 1),
                message("m3", "retry", 1),
                message("m4", "retry:1500", 1),
                message("m5", "retry-until:3", 2),
                message("m6", "retry-until:3", 3),
            ],
        );
        assert_eq!(
            results,
            Ok(vec![
                MessageResult::Ok,
                MessageResult::fail("bad input"),
                MessageResult::Retry(None),
                MessageResult::Retry(Some(1500)),
                MessageResult::Retry(Some(0)),
                MessageResult::Ok,
            ])
        );
        let enqueued_at = vec![("enqueued-at".to_string(), "1700000000123".to_string())];
        assert_eq!(
            sent_texts(),
            vec![
                ("probe-out".into(), "orders m1 3 hello".into(), enqueued_at.clone()),
                ("probe-out".into(), "orders m6 3 retry-until:3".into(), enqueued_at),
            ]
        );
    }

    #[test]
    fn batch_error_fails_the_whole_batch_before_anything_is_sent() {
        let results = on_batch("q", vec![message("a", "ok", 1), message("b", "batch-error", 1)]);
        assert_eq!(results, Err("batch-error requested".to_string()));
        assert!(take_sent().is_empty());
    }

    #[test]
    #[should_panic(expected = "trap requested")]
    fn trap_panics() {
        let _ = on_batch("q", vec![message("a", "trap", 1)]);
    }

    #[test]
    fn schedule_rules() {
        let failing = ScheduleEvent { name: "failing".into(), scheduled_at: 1 };
        assert_eq!(on_schedule(failing), Err("failing schedule".into()));
        assert!(take_sent().is_empty());
        assert_eq!(on_schedule(ScheduleEvent { name: "nightly".into(), scheduled_at: 1_700_000_000_000 }), Ok(()));
        assert_eq!(sent_texts(), vec![("probe-out".into(), "schedule nightly 1700000000000".into(), vec![])]);
    }
}
