"""Testing handlers in plain Python, through the same adapters the component uses.

    from wasmlet import Ok, Retry
    from wasmlet.testing import call, deliver, fake_host, run_schedule
    import handler

    with fake_host(config={"greeting": "Hi"}) as host:
        res = call(handler.handle, query="name=ada")
    assert res.status == 200 and res.text() == "Hi, ada!\\n"
    assert host.logs == [("info", "greeted ada")]

    with fake_host(publish=["emails"]) as host:
        assert deliver(handler, ["a", "b"], queue="signups") == [Ok(), Retry(5000)]
    assert [m.body for m in host.sent] == [b"welcome a"]

    # Outbound HTTP: answer each request with a response, (status, body) or an HttpError.
    with fake_host(http=lambda req: (200, b"pong")) as host:
        res = call(handler.handle, query="ping=1")
    assert [r.url for r in host.requests] == ["https://api.example.com/ping"]
"""
from __future__ import annotations

import json as _json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .errors import HttpError, SendError
from .host import HttpAnswer, use_host
from .http import HttpResponse
from .http_handler import Handle, call_http
from .queue import Message, MessageResult
from .queue_handler import queue_delivery
from .schedule import ScheduleEvent
from .schedule_handler import HandleSchedule, run_schedule as _run_schedule


@dataclass(frozen=True)
class SentMessage:
    """A message a handler sent, as FakeHost recorded it."""

    queue: str
    body: bytes
    attributes: List[Tuple[str, str]]
    delay_ms: int
    #: The id send() returned: "msg-1", "msg-2", ... in send order.
    id: str

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return _json.loads(self.body)


@dataclass(frozen=True)
class SentRequest:
    """An outbound request a handler made through wasmlet.http, as FakeHost recorded it."""

    method: str
    url: str
    headers: List[Tuple[str, str]]
    body: bytes

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        return next((v for n, v in self.headers if n.lower() == name.lower()), default)

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return _json.loads(self.body)


#: What a fake_host(http=...) answer function may return for a request: an HttpResponse,
#: (status, body) or (status, headers, body); it raises HttpError for a failure.
HttpAnswerFunction = Callable[[SentRequest], Union[HttpResponse, Tuple[int, Any], Tuple[int, Any, Any]]]


class FakeHost:
    """A host for tests: records log lines, sent messages and outbound requests, answers config
    from a dict and outbound requests with `http`.

    `publish` lists the queues send() may reach, as the manifest's `publish` does; None allows any.
    `http` answers each outbound request (see HttpAnswerFunction); without it every request fails
    with HttpError code "denied", as on a host whose manifest grants no outbound hosts.
    """

    def __init__(
        self,
        config: Optional[Mapping[str, str]] = None,
        publish: Optional[Iterable[str]] = None,
        http: Optional[HttpAnswerFunction] = None,
    ) -> None:
        self.config: Dict[str, str] = dict(config or {})
        self.publish = None if publish is None else set(publish)
        self.http = http
        #: (level, message) in call order.
        self.logs: List[Tuple[str, str]] = []
        #: In send order.
        self.sent: List[SentMessage] = []
        #: Outbound requests, in order (failed ones included).
        self.requests: List[SentRequest] = []

    def log(self, level: str, message: str) -> None:
        self.logs.append((level, message))

    def get_config(self, key: str) -> Optional[str]:
        return self.config.get(key)

    def send(self, queue: str, body: bytes, attributes: List[Tuple[str, str]], delay_ms: int) -> str:
        if self.publish is not None and queue not in self.publish:
            raise SendError(f'queue "{queue}" is not in the manifest\'s publish list')
        message = SentMessage(queue, body, list(attributes), delay_ms, f"msg-{len(self.sent) + 1}")
        self.sent.append(message)
        return message.id

    def http_send(self, method: str, url: str, headers: List[Tuple[str, str]], body: bytes) -> HttpAnswer:
        request = SentRequest(method, url, list(headers), body)
        self.requests.append(request)
        if self.http is None:
            raise HttpError("denied", "fake_host was given no http= answer function", method, url)
        try:
            answer = self.http(request)
        except HttpError as failed:
            # Raised by the test's function, perhaps without the request's method and URL: as the host would.
            raise HttpError(failed.code, failed.reason, method, url) from None
        if isinstance(answer, HttpResponse):
            return answer.status, list(answer.headers), answer.body
        if isinstance(answer, tuple) and len(answer) in (2, 3):
            status, headers_given, body_given = (answer[0], [], answer[1]) if len(answer) == 2 else answer
            pairs = list(headers_given.items()) if isinstance(headers_given, Mapping) else [(n, v) for n, v in headers_given]
            return status, [(n.lower(), v) for n, v in pairs], _bytes(body_given)
        raise TypeError(f"fake_host http= must return an HttpResponse, (status, body) or (status, headers, body), got {answer!r}")


@contextmanager
def fake_host(
    config: Optional[Mapping[str, str]] = None,
    publish: Optional[Iterable[str]] = None,
    http: Optional[HttpAnswerFunction] = None,
) -> Iterator[FakeHost]:
    """Installs a FakeHost for log(), config(), send() and wasmlet.http inside the `with` block."""
    host = FakeHost(config, publish, http)
    previous = use_host(host)
    try:
        yield host
    finally:
        use_host(previous)


@dataclass(frozen=True)
class RequestRecord:
    """The `http-request` record, as the host sends it."""

    method: str
    path: str
    query: str
    headers: Sequence[Tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class TestResponse:
    """The `http-response` record the host would receive."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    status: int
    headers: List[Tuple[str, str]]
    body: bytes

    def header(self, name: str) -> Optional[str]:
        return next((v for n, v in self.headers if n == name.lower()), None)

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return _json.loads(self.body)


def call(
    handle: Handle,
    method: str = "GET",
    path: str = "/",
    query: str = "",
    headers: Sequence[Tuple[str, str]] = (),
    body: Any = b"",
) -> TestResponse:
    """Calls `handle` the way the component does. A str body is sent as UTF-8, a dict or list as JSON.

    Raises wasmlet.GuestError where the component would return err(message).
    """
    record = RequestRecord(method, path, query, [(n.lower(), v) for n, v in headers], _bytes(body))
    status, out_headers, out_body = call_http(handle, record)
    return TestResponse(status, list(out_headers), out_body)


def invoke(handle: Handle, payload: Any = b"") -> TestResponse:
    """A direct invocation (`wasmlet invoke`): POST / with the payload as the body."""
    return call(handle, "POST", "/", headers=[("x-wasmlet-invocation", "direct")], body=payload)


def deliver(handler: Any, messages: Sequence[Union[Message, bytes, str, dict, list]], queue: str = "queue") -> List[MessageResult]:
    """Delivers one batch to the queue handler of `handler` (a module, or any object, defining
    handle_message or handle_batch) the way the component does; returns one Ok / Retry / Fail per
    message. A message given as bytes or str (or a dict or list, as JSON) gets the id "1", "2", ...

    Raises wasmlet.GuestError where the component would return err(message).
    """
    records = [m if isinstance(m, Message) else Message(id=str(i + 1), body=_bytes(m)) for i, m in enumerate(messages)]
    return queue_delivery(handler)(queue, records)


def run_schedule(handle_schedule: HandleSchedule, name: str = "schedule", scheduled_at: int = 0) -> None:
    """Calls `handle_schedule` with one tick the way the component does.

    Raises wasmlet.GuestError where the component would return err(message).
    """
    _run_schedule(handle_schedule, ScheduleEvent(name, scheduled_at))


def _bytes(body: Any) -> bytes:
    if isinstance(body, (dict, list)):
        body = _json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return bytes(body)
