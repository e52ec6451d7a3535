"""Adapts `handle_message(message)` or `handle_batch(queue, messages)` to the `queue-handler` export.

handle_message is called once per message, in order:
- it returns None or Ok() -> ok; returns or raises Retry(delay_ms=None) / Fail(reason) -> that;
- it raises GuestError(text) -> the whole batch ends with err(text) (and is retried);
- it raises anything else, or returns something else -> retry with the trigger's backoff, and the
  traceback goes to the log: one bad message does not hold back the others, and reaches the
  dead-letter queue after max_attempts.
handle_batch returns one result per message (None counts as Ok()); an exception is err for the
whole batch, except a raised Ok / Retry / Fail, which applies to every message.
"""
from __future__ import annotations

from typing import Any, Callable, List, Sequence

from .errors import GuestError, describe_exception
from .guest_call import call_guest, log_exception
from .queue import Message, MessageResult, Ok, Retry

#: Delivers one batch: (queue, message records) -> one result per message; raises GuestError for err.
Delivery = Callable[[str, Sequence[Any]], List[MessageResult]]


def queue_delivery(module: Any) -> Delivery:
    """How `module`'s queue handler is called; TypeError (at build time) when it defines both forms."""
    each, batch = getattr(module, "handle_message", None), getattr(module, "handle_batch", None)
    if each is not None and batch is not None:
        raise TypeError(
            "wasmlet: define handle_message(message) or handle_batch(queue, messages), not both: "
            "a queue batch is delivered to one of them"
        )
    if each is not None:
        return lambda queue, records: deliver_each(each, queue, records)
    if batch is not None:
        return lambda queue, records: deliver_batch(batch, queue, records)
    raise TypeError("wasmlet: no queue handler: define handle_message(message) or handle_batch(queue, messages)")


def deliver_each(handle_message: Callable[[Message], Any], queue: str, records: Sequence[Any]) -> List[MessageResult]:
    return call_guest(lambda: [_deliver_one(handle_message, m) for m in messages_of(queue, records)])


def deliver_batch(
    handle_batch: Callable[[str, List[Message]], Any], queue: str, records: Sequence[Any]
) -> List[MessageResult]:
    messages = messages_of(queue, records)

    def run() -> List[MessageResult]:
        try:
            returned = handle_batch(queue, messages)
        except MessageResult as raised:
            return [raised] * len(messages)
        return batch_results(returned, len(messages))

    return call_guest(run)


def messages_of(queue: str, records: Sequence[Any]) -> List[Message]:
    """The `message` records (any objects with its fields) as Messages that know their queue."""
    return [
        Message(
            id=r.id,
            body=bytes(r.body),
            attempt=r.attempt,
            enqueued_at=r.enqueued_at,
            attributes=[(name, value) for name, value in r.attributes],
            queue=queue,
        )
        for r in records
    ]


def batch_results(returned: Any, count: int) -> List[MessageResult]:
    """handle_batch's return value checked: `count` results, None meaning Ok(). Raises TypeError."""
    if not isinstance(returned, (list, tuple)) or len(returned) != count:
        raise TypeError(
            f"handle_batch must return a list of {count} results (Ok(), Retry(), Fail(reason) or None), "
            f"one per message, got {_describe(returned)}"
        )
    return [_result(r, f"handle_batch's result #{i}") for i, r in enumerate(returned)]


def _deliver_one(handle_message: Callable[[Message], Any], message: Message) -> MessageResult:
    try:
        return _result(handle_message(message), "handle_message")
    except MessageResult as raised:
        return raised
    except GuestError:
        raise
    except Exception as err:  # noqa: BLE001 - an unexpected failure retries this message only
        log_exception(err, f"message {message.id}: retrying after {describe_exception(err)}\n")
        return Retry()


def _result(value: Any, what: str) -> MessageResult:
    if value is None:
        return Ok()
    if isinstance(value, MessageResult) and type(value) is not MessageResult:
        return value
    raise TypeError(f"{what} must be Ok(), Retry(), Fail(reason) or None, got {_describe(value)}")


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return repr(value) if value is None or isinstance(value, (bool, int, str)) else f"a {type(value).__name__}"
