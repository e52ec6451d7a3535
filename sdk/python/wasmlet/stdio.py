"""Where print() and sys.stderr go: WASI's stdout/stderr, or host log lines for components built
with componentize-py's --stub-wasi, where a write to the real stdout would trap."""
from __future__ import annotations

import io
import sys

from .host import current_host

STDIO_MODES = ("wasi", "log")


def use_stdio(mode: str) -> None:
    """"wasi" leaves sys.stdout and sys.stderr alone; "log" turns their lines into info / warn logs."""
    if mode not in STDIO_MODES:
        raise ValueError(f'stdio must be "wasi" or "log", got {mode!r}')
    if mode == "log":
        sys.stdout = LogStream("info")
        sys.stderr = LogStream("warn")


def flush_stdio() -> None:
    # The instance is discarded after the call: anything still buffered would be lost.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a broken stream must not turn a result into an error
            pass


class LogStream(io.TextIOBase):
    """A text stream whose every line becomes one host log line of `level`."""

    def __init__(self, level: str) -> None:
        super().__init__()
        self._level = level
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        text = self._pending + s
        *lines, self._pending = text.split("\n")
        for line in lines:
            current_host().log(self._level, line)
        return len(s)

    def flush(self) -> None:
        if self._pending:
            line, self._pending = self._pending, ""
            current_host().log(self._level, line)
