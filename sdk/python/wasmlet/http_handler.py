"""Adapts `handle(request)` to the `http-handler` export."""
from __future__ import annotations

from typing import Any, Callable, List, Tuple

from .guest_call import call_guest
from .request import Request
from .response import to_record_fields

Handle = Callable[[Request], Any]


def call_http(handle: Handle, record: Any) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """One request: the `http-request` record in, (status, headers, body) out.

    Raises GuestError (the component's `err`) for an exception or a response the host would
    refuse; the host then answers 500 with the message as the problem's detail.
    """
    request = Request(
        method=record.method,
        path=record.path,
        query=record.query,
        headers=[(name, value) for name, value in record.headers],
        body=bytes(record.body),
    )
    return call_guest(lambda: to_record_fields(handle(request)))
