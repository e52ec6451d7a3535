//! The Rust probe: every trigger, behaving exactly like the other languages'
//! probes, so one end-to-end script checks them all (the rules are below).

use wasmlet::{http, Message, MessageResult, OutgoingMessage, Request, Response, ScheduleEvent};

/// Where the queue and schedule handlers report what they saw; the manifest's `publish`.
const REPORT_QUEUE: &str = "probe-out";

/// `?send=<queue>` sends the body there with ("from", "http") and answers 202
/// with the new id (400 with the reason when the host refuses); else
/// `?outbound=<url>` (see [`outbound`]); anything else answers 200 "probe rust".
fn handle(req: Request) -> Result<Response, String> {
    let queue = match (req.query_param("send"), req.query_param("outbound")) {
        (Some(queue), _) => queue,
        (None, Some(url)) => return Ok(outbound(&url)),
        (None, None) => return Ok(Response::new(200).body("probe rust")),
    };
    Ok(match wasmlet::send(&queue, OutgoingMessage::new(req.body).attribute("from", "http")) {
        Ok(id) => Response::new(202).body(id),
        Err(err) => Response::new(400).body(err.reason),
    })
}

/// GETs `url` with ("x-probe", "rust") and answers 200 "status=<status>
/// body=<body>", or 502 "error=<code> <message>" when there is no response.
fn outbound(url: &str) -> Response {
    match http::Request::get(url).header("x-probe", "rust").send() {
        Ok(upstream) => {
            let mut body = format!("status={} body=", upstream.status).into_bytes();
            body.extend_from_slice(&upstream.body);
            Response::new(200).body(body)
        }
        Err(err) => Response::new(502).body(format!("error={} {}", err.code, err.message)),
    }
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
    use wasmlet::http::{ErrorCode, HttpError};
    use wasmlet::testing::{mock_http, refuse_sends, take_http_requests, take_sent};

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
    fn outbound_gets_the_url_and_reports_the_response_or_the_error() {
        mock_http(|req| match req.url.as_str() {
            "http://127.0.0.1:9/up?a=1&b=2" => {
                Ok(http::Response { status: 404, headers: vec![], body: b"not here".to_vec() })
            }
            _ => Err(HttpError { code: ErrorCode::Denied, message: format!("{} is not granted", req.url) }),
        });
        let query = "outbound=http%3A%2F%2F127.0.0.1%3A9%2Fup%3Fa%3D1%26b%3D2";
        let ok = handle(Request { query: query.into(), ..Default::default() }).unwrap();
        assert_eq!((ok.status, ok.body), (200, b"status=404 body=not here".to_vec()));
        let sent = take_http_requests();
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].method.as_str(), sent[0].url.as_str()), ("GET", "http://127.0.0.1:9/up?a=1&b=2"));
        assert_eq!(sent[0].headers, vec![("x-probe".to_string(), "rust".to_string())]);
        let denied = handle(Request { query: "outbound=http://example.com/".into(), ..Default::default() }).unwrap();
        assert_eq!((denied.status, denied.body), (502, b"error=denied http://example.com/ is not granted".to_vec()));
        assert_eq!(take_http_requests().len(), 1);
        // ?send wins over ?outbound, as before.
        let both = handle(Request { query: format!("send=jobs&{}", query), ..Default::default() }).unwrap();
        assert_eq!(both.status, 202);
        assert!(take_http_requests().is_empty());
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
