"""Building the `http-response` record, and checking whatever `handle` returned, so a mistake
becomes a guest error (500 with a message) instead of a trap."""
from __future__ import annotations

import json as _json
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

# The host answers 1xx itself and refuses a guest status outside 200-599 (response_invalid).
MIN_STATUS = 200
MAX_STATUS = 599

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Body = Union[bytes, bytearray, memoryview, str, None]


@dataclass
class Response:
    """What `handle` returns. `body` may be bytes or str (sent as UTF-8); `headers` a dict or
    (name, value) pairs. Build one with `text`, `json`, `html` or `response`, or directly:

    >>> Response(status=201, headers=[("location", "/items/7")], body=b"")
    Response(status=201, headers=[('location', '/items/7')], body=b'')
    """

    status: int = 200
    headers: Headers = field(default_factory=list)
    body: Body = b""


def response(status: int, body: Body = b"", headers: Optional[Headers] = None) -> Response:
    """A response with any body and no content-type added."""
    return Response(status=status, headers=_header_list(headers), body=body)


def text(status: int, body: str, headers: Optional[Headers] = None) -> Response:
    """A `text/plain; charset=utf-8` response."""
    return response(status, str(body), _with_content_type(headers, "text/plain; charset=utf-8"))


def html(status: int, body: str, headers: Optional[Headers] = None) -> Response:
    """A `text/html; charset=utf-8` response."""
    return response(status, str(body), _with_content_type(headers, "text/html; charset=utf-8"))


def json(status: int, value: Any, headers: Optional[Headers] = None) -> Response:
    """An `application/json` response: `json.dumps(value)` (UTF-8, not ASCII-escaped) plus a newline.

    A value json.dumps cannot serialize raises TypeError.
    """
    body = _json.dumps(value, ensure_ascii=False) + "\n"
    return response(status, body, _with_content_type(headers, "application/json"))


def to_record_fields(value: Any) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """(status, headers, body) of what `handle` returned, checked; a bare str is a 200 text/plain.

    Raises TypeError or ValueError naming the mistake.
    """
    if isinstance(value, str):
        value = text(200, value)
    if not isinstance(value, Response):
        raise TypeError(f'handle must return a Response such as text(200, "hi"), got {_describe(value)}')
    status = value.status
    if isinstance(status, bool) or not isinstance(status, int) or not MIN_STATUS <= status <= MAX_STATUS:
        raise ValueError(f"response status must be an integer {MIN_STATUS}-{MAX_STATUS}, got {_describe(status)}")
    return status, _header_list(value.headers), _body_bytes(value.body)


def _with_content_type(headers: Optional[Headers], content_type: str) -> List[Tuple[str, str]]:
    pairs = _header_list(headers)
    if any(name == "content-type" for name, _ in pairs):
        return pairs
    return [("content-type", content_type)] + pairs


def _header_list(headers: Optional[Headers]) -> List[Tuple[str, str]]:
    """Lower-case names and str values; a header the host would refuse fails here, with its name."""
    if headers is None:
        return []
    entries = headers.items() if isinstance(headers, Mapping) else headers
    pairs: List[Tuple[str, str]] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise TypeError(f"response header #{i} must be a (name, value) pair, got {_describe(entry)}")
        name, value = entry
        if not isinstance(name, str) or name == "":
            raise TypeError(f"response header #{i}: name must be a non-empty str, got {_describe(name)}")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError(f'response header "{name}": value must be a str, got {_describe(value)}')
        pairs.append((name.lower(), str(value)))
    return pairs


def _body_bytes(body: Body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"response body must be bytes or str, got {_describe(body)} (use json() for objects)")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return f"a {type(value).__name__}"
