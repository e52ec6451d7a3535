"""The queue-handler records: the messages a function receives, and the result it gives each."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Tuple

from .body import REQUIRED, body_json, body_text

#: retry's delay is an option<u32> in function.wit.
MAX_RETRY_DELAY_MS = 2**32 - 1


@dataclass(frozen=True)
class Message:
    """One message from a durable queue, delivered at least once.

    >>> m = Message(id="m1", body=b'{"n": 1}', attributes=[("content-type", "application/json")])
    >>> m.json()["n"], m.attribute("content-type"), m.attempt
    (1, 'application/json', 1)
    """

    #: Unique within its queue, the same on every redelivery: deduplicate with it.
    id: str
    body: bytes
    #: 1 on the first delivery, 2 on the first redelivery, ...
    attempt: int = 1
    #: When the message was first sent, in milliseconds since the Unix epoch.
    enqueued_at: int = 0
    #: (name, value) pairs, as the sender gave them.
    attributes: Sequence[Tuple[str, str]] = ()
    #: The queue it came from.
    queue: str = ""

    def attribute(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of attribute `name` (names are case-sensitive), or `default`."""
        return next((value for key, value in self.attributes if key == name), default)

    def attribute_values(self, name: str) -> List[str]:
        """Every value of attribute `name`, in order."""
        return [value for key, value in self.attributes if key == name]

    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes become U+FFFD)."""
        return body_text(self.body)

    def json(self, default: Any = REQUIRED) -> Any:
        """The body parsed as JSON; an empty or invalid body raises ValueError unless `default` is given."""
        return body_json(self.body, default, f"message {self.id} body")


class MessageResult(Exception):
    """What becomes of one message: Ok, Retry or Fail.

    handle_message may return one (None means Ok) or raise Retry / Fail from anywhere below it;
    handle_batch returns one per message. They are exceptions only so that they can be raised.
    """

    def _fields(self) -> tuple:
        return ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._fields() == self._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(f) for f in self._fields())})"


class Ok(MessageResult):
    """Done: the host deletes the message."""


class Retry(MessageResult):
    """Deliver the message again after `delay_ms`, or after the trigger's backoff when None.
    After the trigger's `max_attempts` deliveries it goes to the dead-letter queue instead."""

    def __init__(self, delay_ms: Optional[int] = None) -> None:
        if delay_ms is not None and (
            isinstance(delay_ms, bool) or not isinstance(delay_ms, int) or not 0 <= delay_ms <= MAX_RETRY_DELAY_MS
        ):
            raise ValueError(f"Retry: delay_ms must be None or an integer 0-{MAX_RETRY_DELAY_MS}, got {delay_ms!r}")
        super().__init__(delay_ms)
        self.delay_ms = delay_ms

    def _fields(self) -> tuple:
        return (self.delay_ms,)


class Fail(MessageResult):
    """A permanent failure: the message goes to the dead-letter queue now, with `reason`."""

    def __init__(self, reason: str) -> None:
        if not isinstance(reason, str):
            raise TypeError(f"Fail: reason must be a str, got {reason!r}")
        super().__init__(reason)
        self.reason = reason

    def _fields(self) -> tuple:
        return (self.reason,)
