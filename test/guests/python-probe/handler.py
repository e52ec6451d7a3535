"""The Python probe: one script of HTTP requests, queue messages and schedule ticks runs against
every language's probe, and each answers the same way.

- HTTP: `?send=<queue>` sends the body there with ("from", "http") and answers 202 with the new id,
  or 400 with the host's reason; `?outbound=<url>` GETs that URL with ("x-probe", "python") and
  answers 200 "status=<status> body=<body>", or 502 "error=<code> <message>" (the WIT error code
  and the host's message); otherwise 200 "probe python".
- Queue, per message by its text: `fail:<reason>`, `retry`, `retry:<ms>`, `retry-until:<n>` (retry
  now while attempt < n, then ok), `batch-error` (err for the whole batch), `trap` (the instance
  crashes); anything else is ok after sending "<queue> <id> <attempt> <body>" to probe-out.
- Schedule: "failing" is err; any other name sends "schedule <name> <scheduledAt>" to probe-out.
"""
from __future__ import annotations

from wasmlet import Fail, GuestError, HttpError, Message, Request, Response, Retry, ScheduleEvent, SendError, http, send, text

OUT_QUEUE = "probe-out"


def handle(request: Request) -> Response:
    target = request.query_param("outbound")
    if target is not None:
        return relay(target)
    queue = request.query_param("send")
    if queue is None:
        return text(200, "probe python")
    try:
        message_id = send(queue, request.body, attributes=[("from", "http")])
    except SendError as refused:
        return text(400, refused.reason)
    return text(202, message_id)


def relay(url: str) -> Response:
    try:
        res = http.request("GET", url, headers={"x-probe": "python"})
    except HttpError as failed:
        return text(502, f"error={failed.code} {failed.reason}")
    return text(200, f"status={res.status} body={res.text()}")


def handle_message(message: Message) -> Retry | Fail | None:
    body = message.text()
    if body.startswith("fail:"):
        return Fail(body[len("fail:"):])
    if body == "retry":
        return Retry()
    if body.startswith("retry:"):
        return Retry(int(body[len("retry:"):]))
    if body.startswith("retry-until:") and message.attempt < int(body[len("retry-until:"):]):
        return Retry(0)
    if body == "batch-error":
        raise GuestError("batch-error requested")  # GuestError's text is the batch's err, as is
    if body == "trap":
        # Every other exception becomes err (or, here, a retry); SystemExit is not an Exception,
        # so it escapes the SDK and componentize-py traps.
        raise SystemExit("trap requested")
    head = f"{message.queue} {message.id} {message.attempt} ".encode()
    send(OUT_QUEUE, head + message.body, attributes=[("enqueued-at", str(message.enqueued_at))])
    return None


def handle_schedule(event: ScheduleEvent) -> None:
    if event.name == "failing":
        raise GuestError("failing schedule")
    send(OUT_QUEUE, f"schedule {event.name} {event.scheduled_at}")
