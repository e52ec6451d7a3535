"""The classes componentize-py exports, built from the handlers the user's module defines.
toolchains/python/build.sh picks the world from the same handlers and generates the app module:

    import handler
    from wasmlet.export import export_handlers
    _classes = export_handlers(handler, ["http-handler", "queue-handler"], stdio="wasi")
    HttpHandler = _classes["HttpHandler"]
    QueueHandler = _classes["QueueHandler"]

componentize-py instantiates each class once, at build time, and calls its `handle` method on
every invocation. The classes translate between the SDK's values and the generated bindings;
the calling itself is in http_handler.py, queue_handler.py and schedule_handler.py.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Callable, Dict, List, Sequence, TypeVar

from .bindings import BINDINGS, Bindings
from .errors import GuestError
from .handlers import HANDLER_FUNCTIONS, defined_handlers, interfaces_for
from .http_handler import call_http
from .queue import Fail, MessageResult, Ok, Retry
from .queue_handler import queue_delivery
from .schedule_handler import run_schedule
from .stdio import use_stdio

T = TypeVar("T")


def export_handlers(
    module: Any, interfaces: Sequence[str], *, stdio: str = "wasi", bindings: Bindings = BINDINGS
) -> Dict[str, type]:
    """{class name: class} for every handler `module` defines, e.g. {"HttpHandler": ...}.

    `interfaces` are the exports of the world the build picked; raises TypeError (the build
    fails with it) when the module's handlers do not match them. stdio="log" sends print() and
    sys.stderr to the host log, for components built with componentize-py's --stub-wasi.
    """
    found = interfaces_for(defined_handlers(module))
    if not found:
        raise TypeError(
            f"wasmlet: {_name(module)} defines no handler: define at least one of "
            + ", ".join(f"`{f}`" for f in HANDLER_FUNCTIONS)
            + " (for HTTP: `def handle(request): ...` returning a wasmlet.Response)"
        )
    if [h.interface for h in found] != list(interfaces):
        raise TypeError(
            f"wasmlet: {_name(module)} implements {', '.join(h.interface for h in found)}, but the build "
            f"picked a world exporting {', '.join(interfaces) or 'nothing'}. The build finds handlers by "
            f"reading {_name(module)}.py: define or import them by name at its top level "
            "(`def handle_schedule(event):`, `from jobs import handle_batch`)"
        )
    use_stdio(stdio)
    exporters = {"http-handler": _http_class, "queue-handler": _queue_class, "schedule-handler": _schedule_class}
    return {h.class_name: exporters[h.interface](module, bindings) for h in found}


def _http_class(module: Any, bindings: Bindings) -> type:
    handle = module.handle

    class HttpHandler:
        def handle(self, request: Any) -> Any:
            status, headers, body = _err_on_guest_error(bindings, lambda: call_http(handle, request))
            return bindings.http_handler.HttpResponse(status, headers, body)

    return HttpHandler


def _queue_class(module: Any, bindings: Bindings) -> type:
    deliver = queue_delivery(module)

    class QueueHandler:
        def handle(self, queue: str, messages: List[Any]) -> List[Any]:
            results = _err_on_guest_error(bindings, lambda: deliver(queue, messages))
            return [message_result_record(r, bindings.queue_handler) for r in results]

    return QueueHandler


def _schedule_class(module: Any, bindings: Bindings) -> type:
    handle_schedule = module.handle_schedule

    class ScheduleHandler:
        def handle(self, event: Any) -> None:
            _err_on_guest_error(bindings, lambda: run_schedule(handle_schedule, event))

    return ScheduleHandler


def message_result_record(result: MessageResult, types: Any) -> Any:
    """The generated `message-result` variant case for an Ok / Retry / Fail."""
    if isinstance(result, Retry):
        return types.MessageResult_Retry(result.delay_ms)
    if isinstance(result, Fail):
        return types.MessageResult_Fail(result.reason)
    if isinstance(result, Ok):
        return types.MessageResult_Ok()
    raise TypeError(f"not a message result: {result!r}")  # the adapters never let one through


def _err_on_guest_error(bindings: Bindings, run: Callable[[], T]) -> T:
    """run(); GuestError becomes componentize-py's Err, which the export returns as err(message)."""
    try:
        return run()
    except GuestError as err:
        if bindings.Err is None:
            raise
        raise bindings.Err(err.value) from None


def _name(module: Any) -> str:
    return module.__name__ if isinstance(module, ModuleType) else repr(module)
