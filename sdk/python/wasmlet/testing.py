"""Testing a handler in plain Python, through the same adapter the component uses.

    from wasmlet.testing import call, fake_host

    with fake_host(config={"greeting": "Hi"}) as host:
        res = call(handler.handle, query="name=ada")
    assert res.status == 200 and res.text() == "Hi, ada!\\n"
    assert host.logs == [("info", "greeted ada")]
"""
from __future__ import annotations

import json as _json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from .export import Handle, call_handle
from .host import use_host


class FakeHost:
    """A host for tests: records log lines, answers config from a dict."""

    def __init__(self, config: Optional[Mapping[str, str]] = None) -> None:
        self.config: Dict[str, str] = dict(config or {})
        #: (level, message) in call order.
        self.logs: List[Tuple[str, str]] = []

    def log(self, level: str, message: str) -> None:
        self.logs.append((level, message))

    def get_config(self, key: str) -> Optional[str]:
        return self.config.get(key)


@contextmanager
def fake_host(config: Optional[Mapping[str, str]] = None) -> Iterator[FakeHost]:
    """Installs a FakeHost for log() and config() inside the `with` block."""
    host = FakeHost(config)
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
    if isinstance(body, (dict, list)):
        body = _json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    record = RequestRecord(method, path, query, [(n.lower(), v) for n, v in headers], bytes(body))
    out = call_handle(handle, record)
    return TestResponse(out.status, list(out.headers), out.body)


def invoke(handle: Handle, payload: Any = b"") -> TestResponse:
    """A direct invocation (`wasmlet invoke`): POST / with the payload as the body."""
    return call(handle, "POST", "/", headers=[("x-wasmlet-invocation", "direct")], body=payload)
