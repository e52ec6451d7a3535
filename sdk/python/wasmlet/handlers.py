"""Which functions of handler.py implement which export of sdk/wit/function.wit.

The one table both sides read: the SDK exports the handlers a module defines, and
toolchains/python/pick_world.py picks the component's world from the same names, because
componentize-py must be told the world before it runs the module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, List, Tuple


@dataclass(frozen=True)
class HandlerInterface:
    #: The exported WIT interface, e.g. "queue-handler".
    interface: str
    #: The class componentize-py looks up in the app module for it (the interface in CamelCase).
    class_name: str
    #: The function names that implement it; a module defines at most one of them.
    functions: Tuple[str, ...]


#: In the order the worlds of function.wit list their exports.
HANDLER_INTERFACES: Tuple[HandlerInterface, ...] = (
    HandlerInterface("http-handler", "HttpHandler", ("handle",)),
    # handle_message(message) is called once per message; handle_batch(queue, messages) once per batch.
    HandlerInterface("queue-handler", "QueueHandler", ("handle_message", "handle_batch")),
    HandlerInterface("schedule-handler", "ScheduleHandler", ("handle_schedule",)),
)

HANDLER_FUNCTIONS: Tuple[str, ...] = tuple(f for h in HANDLER_INTERFACES for f in h.functions)


def interfaces_for(names: Iterable[str]) -> List[HandlerInterface]:
    """The interfaces implemented by any of `names` (names a module defines), in WIT order."""
    defined = set(names)
    return [h for h in HANDLER_INTERFACES if defined.intersection(h.functions)]


def defined_handlers(module: Any) -> List[str]:
    """The handler functions `module` defines, in table order; raises TypeError for one that is
    not callable, which would otherwise fail only when the first invocation arrives."""
    found = []
    for name in HANDLER_FUNCTIONS:
        value = getattr(module, name, None)
        if value is None:
            continue
        if not callable(value):
            raise TypeError(f"wasmlet: {_module_name(module)}.{name} must be a function, got a {type(value).__name__}")
        found.append(name)
    return found


def _module_name(module: Any) -> str:
    return getattr(module, "__name__", repr(module))
