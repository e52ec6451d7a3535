"""Reading a body (an HTTP request's or a queue message's) as text or JSON."""
from __future__ import annotations

import json as _json
from typing import Any

#: "No default given": json() then raises on an empty or invalid body.
REQUIRED: Any = object()


def body_text(body: bytes) -> str:
    """The body decoded as UTF-8 (invalid bytes become U+FFFD)."""
    return bytes(body).decode("utf-8", errors="replace")


def body_json(body: bytes, default: Any, what: str) -> Any:
    """The body parsed as JSON; ValueError naming `what` unless `default` is given."""
    try:
        return _json.loads(body_text(body))
    except ValueError as err:
        if default is not REQUIRED:
            return default
        raise ValueError(f"{what} is not valid JSON: {err}") from None
