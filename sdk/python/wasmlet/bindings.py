"""The bindings componentize-py generates while it builds the component (`wit_world`,
`componentize_py_types`), gathered in one place. In plain Python (unit tests, editors) none exist
and every attribute is None; a world that lacks an interface lacks its module too."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Bindings:
    #: componentize_py_types.Err: raising Err(message) from an export returns err(message).
    Err: Any = None
    #: wit_world.imports.host (log, get-config).
    host: Any = None
    #: wit_world.imports.publisher (send).
    publisher: Any = None
    #: wit_world.imports.outbound_http (send, Request, ErrorCode); absent from a world without it.
    outbound_http: Any = None
    #: wit_world.exports.http_handler, queue_handler, schedule_handler: their record types.
    http_handler: Any = None
    queue_handler: Any = None
    schedule_handler: Any = None


def _load() -> Bindings:
    found = {}
    try:
        from componentize_py_types import Err

        found["Err"] = Err
    except ImportError:
        pass
    # Each module separately: a world exports only the interfaces the function implements.
    for name, package in (
        ("host", "imports"),
        ("publisher", "imports"),
        ("outbound_http", "imports"),
        ("http_handler", "exports"),
        ("queue_handler", "exports"),
        ("schedule_handler", "exports"),
    ):
        module = _import(f"wit_world.{package}.{name}")
        if module is not None:
            found[name] = module
    return Bindings(**found)


def _import(name: str) -> Optional[Any]:
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        return None


#: Loaded once, at import time, which inside a component is build time.
BINDINGS = _load()
