"""The SDK's exceptions, and the traceback text a guest error leaves in the invocation's log."""
from __future__ import annotations

from types import TracebackType
from typing import List, Optional


class GuestError(Exception):
    """The invocation's `err(message)`, with `message` exactly as given.

    Raise it from any handler to end the invocation with that message (for a queue batch: to have
    the whole batch retried). Any other exception also becomes `err`, as "Type: text", with its
    traceback in the log. `wasmlet.testing` raises it where the component would return `err`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.value = str(message)


class SendError(Exception):
    """`send` was refused: the queue is not in the manifest's `publish`, or the message is too
    large or malformed. `reason` is the host's text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


#: The `error-code` enum of `wasmlet:function/outbound-http`, by its WIT names.
HTTP_ERROR_CODES = (
    "denied",
    "invalid-request",
    "dns-error",
    "connection-refused",
    "connection-timeout",
    "timeout",
    "tls-error",
    "response-too-large",
    "too-many-requests",
    "protocol-error",
)


class HttpError(OSError):
    """An outbound request got no response (`wasmlet.http`): `code` is the WIT `error-code` name
    ("denied" when the origin is not in the manifest's `allowed_outbound_hosts`, "timeout",
    "connection-refused", ... see HTTP_ERROR_CODES) and `reason` the host's explanation, for logs.

    Unlike urllib's HTTPError, an HTTP error status (404, 503) is not an HttpError: it is a response.
    An OSError, as urllib's URLError is.
    """

    def __init__(self, code: str, reason: str, method: str = "", url: str = "") -> None:
        super().__init__(f"{method} {url} failed: {code}" + (f" ({reason})" if reason else ""))
        self.code = code
        self.reason = reason
        self.method = method
        self.url = url


def describe_exception(err: BaseException) -> str:
    """"Type: text" (just "Type" when the text is empty), as the err message of a failed handler."""
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def format_traceback(err: BaseException, skip_leading_in: Optional[str] = None) -> str:
    """The traceback as Python prints it, without source lines. Leading frames from files under
    the folder `skip_leading_in` (the SDK's adapters, which say nothing to the user) are left out.

    traceback.format_exception would read the source files through linecache, and the files
    are not inside the component: with --stub-wasi the attempt traps.
    """
    blocks: List[str] = []  # oldest first, as Python prints them
    seen = set()
    current: Optional[BaseException] = err
    while current is not None:
        seen.add(id(current))
        blocks.insert(0, _format_one(current, skip_leading_in))
        if current.__cause__ is not None:
            older, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            older, link = current.__context__, _CONTEXT
        else:
            break
        if id(older) in seen:
            break
        blocks.insert(0, link)
        current = older
    return "\n\n".join(blocks)


def _format_one(exc: BaseException, skip_leading_in: Optional[str]) -> str:
    frames = _frames(exc.__traceback__, skip_leading_in)
    # Raised by the SDK itself (e.g. a wrong return value): the message alone says it all.
    lines = ["Traceback (most recent call last):", *frames] if frames else []
    lines.append(describe_exception(exc))
    return "\n".join(lines)


def _frames(tb: Optional[TracebackType], skip_leading_in: Optional[str]) -> List[str]:
    frames = []
    leading = skip_leading_in is not None
    while tb is not None:
        code = tb.tb_frame.f_code
        leading = leading and code.co_filename.startswith(skip_leading_in)  # type: ignore[arg-type]
        if not leading:
            frames.append(f'  File "{code.co_filename}", line {tb.tb_lineno}, in {code.co_name}')
        tb = tb.tb_next
    return frames
