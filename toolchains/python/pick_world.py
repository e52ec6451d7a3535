"""Picks the world of a Python function from the handlers its handler.py defines, before
componentize-py runs (it must be told the world up front). Prints `<world> <interface>...`:

    $ python3 toolchains/python/pick_world.py greeter/handler.py
    http-function http-handler

"generated-function" means a combination without a named world in sdk/wit/function.wit: the build
appends it. A module that defines a top-level class `IncomingHandler` is a standard wasi:http guest
(componentize-py's http world): the answer is then `wasi-http wasi:http/incoming-handler`, and
build.sh builds it against wasi:http/proxy instead of wasmlet's worlds. The source is parsed, not run: a handler counts when handler.py binds its name at the
top level (def, assignment, import), also inside top-level if/try/with blocks. The SDK checks the
module it really imports against the same table (sdk/python/wasmlet/handlers.py) and fails the
build on a mismatch, e.g. for a handler that arrives through `from jobs import *`.
Needs Python >= 3.9; source newer than the Python running this falls back to a line scan.
"""
from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from typing import Iterable, List, Set


def _load_handler_table():
    # The table's file alone (it needs only the standard library), not the whole SDK package,
    # and without writing __pycache__ into sdk/.
    path = Path(__file__).resolve().parents[2] / "sdk" / "python" / "wasmlet" / "handlers.py"
    spec = importlib.util.spec_from_file_location("wasmlet_handlers", path)
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode = True
    sys.modules[spec.name] = module  # dataclasses looks its module up while building the class
    spec.loader.exec_module(module)
    return module


_table = _load_handler_table()
HANDLER_FUNCTIONS, HANDLER_INTERFACES, interfaces_for = _table.HANDLER_FUNCTIONS, _table.HANDLER_INTERFACES, _table.interfaces_for

#: The worlds function.wit names, by their exports in WIT order.
NAMED_WORLDS = {
    ("http-handler",): "http-function",
    ("queue-handler",): "queue-function",
    ("schedule-handler",): "schedule-function",
    tuple(h.interface for h in HANDLER_INTERFACES): "function",
}
GENERATED_WORLD = "generated-function"

#: The class componentize-py calls for `wasi:http/incoming-handler` (the interface in CamelCase).
WASI_HTTP_CLASS = "IncomingHandler"
#: What pick_world answers for a wasi:http guest: build.sh's cue to use the wasi:http/proxy world.
WASI_HTTP = ["wasi-http", "wasi:http/incoming-handler"]


class PickError(Exception):
    """A module the build cannot give a world to; the message says why."""


def pick_world(source: str) -> List[str]:
    """[world, interface, ...]; empty when the source defines no handler."""
    names = top_level_names(source)
    interfaces = tuple(h.interface for h in interfaces_for(names))
    if WASI_HTTP_CLASS in names:
        if interfaces:
            defined = sorted(names.intersection(HANDLER_FUNCTIONS))
            raise PickError(
                f"defines both class {WASI_HTTP_CLASS} (a wasi:http guest) and wasmlet handlers "
                f"({', '.join(defined)}): a component is one or the other; move one of them to its own function"
            )
        return list(WASI_HTTP)
    if not interfaces:
        return []
    return [NAMED_WORLDS.get(interfaces, GENERATED_WORLD), *interfaces]


def top_level_names(source: str) -> Set[str]:
    """The names the module binds at its top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # Syntax newer than this Python (the component runs CPython 3.14): a rougher scan. A real
        # syntax error fails later, inside componentize-py, with a proper message.
        return _scanned_names(source)
    names: Set[str] = set()
    _bind(tree.body, names)
    return names


def _bind(statements: Iterable[ast.stmt], names: Set[str]) -> None:
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                _bind(getattr(node, block, []), names)
            for handler in getattr(node, "handlers", []):
                _bind(handler.body, names)


_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)")
_IMPORT = re.compile(r"^\s*(?:from\s+\S+\s+)?import\s+\(?([^)#]*)")


def _scanned_names(source: str) -> Set[str]:
    names: Set[str] = set()
    for line in source.splitlines():
        definition = _DEFINITION.match(line)
        if definition:
            names.add(definition.group(1) or definition.group(2))
        imported = _IMPORT.match(line)
        if imported:
            for part in imported.group(1).split(","):
                words = part.split()
                if words:
                    names.add(words[-1].split(".")[0])
    # Only handler names matter; a handler name in a comment or string is the risk of this scan.
    return names & {*HANDLER_FUNCTIONS, WASI_HTTP_CLASS}


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print("usage: pick_world.py <handler.py>", file=sys.stderr)
        return 2
    try:
        picked = pick_world(Path(argv[1]).read_text(encoding="utf-8"))
    except PickError as e:
        print(f"python build: {argv[1]} {e}", file=sys.stderr)
        return 1
    if not picked:
        print(
            f"python build: {argv[1]} defines no handler: define at least one of "
            + ", ".join(f"`{f}`" for f in HANDLER_FUNCTIONS)
            + f" at its top level (see sdk/python/README.md), or a class `{WASI_HTTP_CLASS}` for a standard wasi:http component",
            file=sys.stderr,
        )
        return 1
    print(" ".join(picked))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
