"""Calling the user's code: whatever it raises becomes the invocation's `err(message)`."""
from __future__ import annotations

import os
from typing import Callable, TypeVar

from .errors import GuestError, describe_exception, format_traceback
from .host import current_host
from .stdio import flush_stdio

T = TypeVar("T")

#: The SDK's own frames lead every traceback of a handler; they say nothing to the user.
_SDK_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def call_guest(run: Callable[[], T]) -> T:
    """run(), with any Exception turned into GuestError: "Type: text" for the err message, the
    traceback to the invocation's log. A GuestError keeps its message and logs nothing.

    BaseExceptions that are not Exceptions (SystemExit, KeyboardInterrupt) pass through, and the
    component traps.
    """
    try:
        return run()
    except GuestError:
        raise
    except Exception as err:  # noqa: BLE001 - every failure of the user's code is a guest error
        log_exception(err)
        raise GuestError(describe_exception(err)) from None
    finally:
        flush_stdio()


def log_exception(err: BaseException, preface: str = "") -> None:
    current_host().log("error", preface + format_traceback(err, skip_leading_in=_SDK_DIR))
