"""Adapts `handle_schedule(event)` to the `schedule-handler` export: returning (None) is ok; an
exception is err, and the host retries the event with the schedule's backoff."""
from __future__ import annotations

from typing import Any, Callable

from .guest_call import call_guest
from .schedule import ScheduleEvent

HandleSchedule = Callable[[ScheduleEvent], Any]


def run_schedule(handle_schedule: HandleSchedule, record: Any) -> None:
    """One tick: the `schedule-event` record in; raises GuestError (the component's `err`)."""
    event = ScheduleEvent(name=record.name, scheduled_at=record.scheduled_at)
    call_guest(lambda: _nothing(handle_schedule(event)))


def _nothing(returned: Any) -> None:
    if returned is not None:
        # Most likely `async def` (a coroutine) or a habit from another language: refuse it loudly.
        raise TypeError(f"handle_schedule must return None (raise to fail), got a {type(returned).__name__}")
