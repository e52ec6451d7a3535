"""The host capabilities of `sdk/wit/function.wit`: log lines captured per invocation, the
manifest's [config] values (`wasmlet:function/host`), sending queue messages (`publisher`) and
outbound HTTP (`outbound-http`).

Inside a component the calls go to the bindings componentize-py generates at build time.
Outside one (plain `python3`, unit tests) there are no bindings: log lines go to stderr, there
is no config and nothing can be sent or fetched, unless a test installs its own host with
`wasmlet.testing.fake_host`.
"""
from __future__ import annotations

import sys
from typing import List, Optional, Protocol, Tuple

from .bindings import BINDINGS, Bindings
from .errors import HttpError, SendError

LEVELS = ("debug", "info", "warn", "error")

Pairs = List[Tuple[str, str]]
#: (status, headers, body) of an outbound response, as the host answered it.
HttpAnswer = Tuple[int, Pairs, bytes]


class Host(Protocol):
    """What the SDK needs from a host; `wasmlet.testing.FakeHost` is one for tests."""

    def log(self, level: str, message: str) -> None: ...

    def get_config(self, key: str) -> Optional[str]: ...

    def send(self, queue: str, body: bytes, attributes: List[Tuple[str, str]], delay_ms: int) -> str:
        """The new message's id; raises SendError with the host's reason when refused."""
        ...

    def http_send(self, method: str, url: str, headers: Pairs, body: bytes) -> HttpAnswer:
        """The whole response; raises HttpError (code, reason, method, url) when none came."""
        ...


class ComponentHost:
    """The real imports, through componentize-py's bindings."""

    def __init__(self, bindings: Bindings) -> None:
        self._bindings = bindings
        self._levels = {name: getattr(bindings.host.LogLevel, name.upper()) for name in LEVELS}

    def log(self, level: str, message: str) -> None:
        self._bindings.host.log(self._levels[level], message)

    def get_config(self, key: str) -> Optional[str]:
        return self._bindings.host.get_config(key)

    def send(self, queue: str, body: bytes, attributes: List[Tuple[str, str]], delay_ms: int) -> str:
        publisher = self._bindings.publisher
        try:
            return publisher.send(queue, publisher.OutgoingMessage(body, attributes, delay_ms))
        except self._bindings.Err as refused:
            raise SendError(refused.value) from None

    def http_send(self, method: str, url: str, headers: Pairs, body: bytes) -> HttpAnswer:
        outbound = self._bindings.outbound_http
        if outbound is None:
            raise HttpError("denied", "this component's world does not import wasmlet:function/outbound-http", method, url)
        try:
            response = outbound.send(outbound.Request(method, url, headers, body))
        except self._bindings.Err as failed:
            # err(http-error): an ErrorCode enum member (DENIED, INVALID_REQUEST, ...) and a message.
            error = failed.value
            raise HttpError(error.code.name.lower().replace("_", "-"), error.message, method, url) from None
        return response.status, list(response.headers), bytes(response.body)


class NativeHost:
    """Plain Python: log lines to stderr, no config, no queues."""

    def log(self, level: str, message: str) -> None:
        print(f"[{level}] {message}", file=sys.stderr)

    def get_config(self, key: str) -> Optional[str]:
        return None

    def send(self, queue: str, body: bytes, attributes: List[Tuple[str, str]], delay_ms: int) -> str:
        raise SendError(f'cannot send to "{queue}" outside a component; in tests, use wasmlet.testing.fake_host()')

    def http_send(self, method: str, url: str, headers: Pairs, body: bytes) -> HttpAnswer:
        raise HttpError("denied", "no outbound HTTP outside a component; in tests, use wasmlet.testing.fake_host(http=...)", method, url)


_current: Host = ComponentHost(BINDINGS) if BINDINGS.host is not None else NativeHost()


def current_host() -> Host:
    return _current


def use_host(host: Host) -> Host:
    """Installs `host` for log(), config(), send() and wasmlet.http; returns the previous one. For tests: see wasmlet.testing."""
    global _current
    previous, _current = _current, host
    return previous


def _line(args: tuple) -> str:
    return " ".join(arg if isinstance(arg, str) else str(arg) for arg in args)


class Log:
    """Structured log lines, one per call, captured per invocation (`wasmlet logs NAME`).

    Arguments are joined with spaces, as print() does: `log.info("greeted", name)`.
    """

    def debug(self, *args: object) -> None:
        _current.log("debug", _line(args))

    def info(self, *args: object) -> None:
        _current.log("info", _line(args))

    def warn(self, *args: object) -> None:
        _current.log("warn", _line(args))

    #: The name Python's logging module uses.
    warning = warn

    def error(self, *args: object) -> None:
        _current.log("error", _line(args))


log = Log()


def config(key: str, default: Optional[str] = None) -> Optional[str]:
    """The manifest's `[config]` value for `key`, or `default` when the key is absent."""
    value = _current.get_config(str(key))
    return default if value is None else value
