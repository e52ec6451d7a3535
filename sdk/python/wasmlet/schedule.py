"""The schedule-handler record: which tick of which `[[schedule]]` an invocation is for."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class ScheduleEvent:
    """One tick of a schedule, delivered at least once.

    >>> ScheduleEvent("nightly", 86_400_000).scheduled_time().isoformat()
    '1970-01-02T00:00:00+00:00'
    """

    #: The schedule's name from the manifest.
    name: str
    #: The tick this event is for (not when it runs), in milliseconds since the Unix epoch.
    scheduled_at: int = 0

    def scheduled_time(self) -> datetime:
        """`scheduled_at` as an aware UTC datetime."""
        return datetime.fromtimestamp(self.scheduled_at / 1000, tz=timezone.utc)
