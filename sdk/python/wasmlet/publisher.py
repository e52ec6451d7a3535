"""Sending messages to durable queues (`wasmlet:function/publisher`).

    from wasmlet import send, send_json
    message_id = send("emails", "hello", attributes={"kind": "welcome"}, delay_ms=60_000)
    send_json("orders", {"id": 7})        # with ("content-type", "application/json")

Messages are buffered by the host and published when the invocation returns (a queue batch's
together with its results); an invocation that traps or times out publishes nothing. A queue
must be listed in the manifest's `publish`, or send raises SendError.
"""
from __future__ import annotations

import json as _json
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from .host import current_host

#: delay-ms is a u32 in function.wit.
MAX_DELAY_MS = 2**32 - 1

Attributes = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Body = Union[bytes, bytearray, memoryview, str]


def send(queue: str, body: Body, attributes: Optional[Attributes] = None, delay_ms: Optional[int] = None) -> str:
    """Sends `body` (bytes, or str as UTF-8) to `queue`; returns the new message's id.

    `attributes` is a dict or (name, value) pairs of str; `delay_ms` hides the message from
    consumers for that long after publishing. Raises SendError when the host refuses the message,
    TypeError or ValueError for arguments it could not carry.
    """
    if not isinstance(queue, str):
        raise TypeError(f"send: queue must be a str, got {queue!r}")  # which queues exist is the host's call
    return current_host().send(queue, _body_bytes(body), attribute_list(attributes), _delay(delay_ms))


def send_json(queue: str, value: Any, attributes: Optional[Attributes] = None, delay_ms: Optional[int] = None) -> str:
    """send() of `json.dumps(value)` with ("content-type", "application/json") added unless given."""
    pairs = attribute_list(attributes)
    if not any(name == "content-type" for name, _ in pairs):
        pairs.insert(0, ("content-type", "application/json"))
    return send(queue, _json.dumps(value, ensure_ascii=False), pairs, delay_ms)


def attribute_list(attributes: Optional[Attributes]) -> List[Tuple[str, str]]:
    """(name, value) pairs of str, from a dict or pairs; raises TypeError naming the bad entry."""
    if attributes is None:
        return []
    entries = attributes.items() if isinstance(attributes, Mapping) else attributes
    pairs: List[Tuple[str, str]] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise TypeError(f"send: attribute #{i} must be a (name, value) pair, got {entry!r}")
        name, value = entry
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"send: attribute #{i} must be a pair of str, got {entry!r}")
        pairs.append((name, value))
    return pairs


def _body_bytes(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"send: body must be bytes or str, got a {type(body).__name__} (use send_json for objects)")


def _delay(delay_ms: Optional[int]) -> int:
    if delay_ms is None:
        return 0
    if isinstance(delay_ms, bool) or not isinstance(delay_ms, int) or not 0 <= delay_ms <= MAX_DELAY_MS:
        raise ValueError(f"send: delay_ms must be an integer 0-{MAX_DELAY_MS}, got {delay_ms!r}")
    return delay_ms
