"""wasmlet's Python guest SDK: define `handle(request)` for HTTP, `handle_message(message)` (or
`handle_batch(queue, messages)`) for queues and `handle_schedule(event)` for schedules, and build
with toolchains/python/build.sh. See sdk/python/README.md.

    from wasmlet import Request, Response, Message, Retry, send, text

    def handle(request: Request) -> Response:
        return text(200, f"Hello, {request.query_param('name') or 'world'}!\\n")

    def handle_message(message: Message) -> None:
        if message.attempt < 3 and not ready():
            raise Retry(delay_ms=10_000)
        send("done", message.body)

Outbound HTTP, to the origins the manifest's `allowed_outbound_hosts` grants: `wasmlet.http`
(`http.request(method, url, headers, body)`, `http.urlopen(url)`, `HttpError` with `.code`).
"""
from . import http
from .errors import GuestError, HttpError, SendError
from .host import config, log
from .publisher import send, send_json
from .queue import Fail, Message, MessageResult, Ok, Retry
from .request import Request
from .response import Response, html, json, response, text
from .schedule import ScheduleEvent

__all__ = [
    "Request",
    "Response",
    "text",
    "json",
    "html",
    "response",
    "Message",
    "MessageResult",
    "Ok",
    "Retry",
    "Fail",
    "ScheduleEvent",
    "send",
    "send_json",
    "log",
    "config",
    "GuestError",
    "SendError",
    "HttpError",
    "http",
]
